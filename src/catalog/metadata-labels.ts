/**
 * The `libvirt_domain_metadata_info` allowlist (metrics.md §9; the idea of collectd's HostnameMetadataNS /
 * HostnameMetadataXPath and KubeVirt's label allowlist). `metrics.metadataLabels: [{label, namespace,
 * xpath}]`: label names `[a-zA-Z_][a-zA-Z0-9_]*`, not `domain`, at most 10; values cut to 128 characters;
 * every configured label is always present (empty when missing), so the label set is fixed.
 *
 * The xpath is a location path evaluated on the `<metadata>` child in `namespace`: `/instance/name`,
 * `/instance/name/text()`, `/instance/flavor/@name`, or relative (`owner/user/@uuid`, from that element).
 * Steps match local names (prefixes are ignored; the namespace picks the element) or `*`. No predicates.
 */
import type { DomainDef, XmlElement } from '../domain/def.ts';
import { VirtmonError } from '../domain/errors.ts';
import { cleanLabelValue } from './label-value.ts';
import { attr, childElements, findMetadataRoot, localName, textContent } from './xml-tree.ts';

/** At most this many metadata labels (§9). */
export const MAX_METADATA_LABELS = 10;
/** Metadata label values are cut to this many characters (§9). */
export const MAX_METADATA_VALUE = 128;

/** One configured metadata label. */
export interface MetadataLabelSpec {
  readonly label: string;
  readonly namespace: string;
  readonly xpath: string;
}

/** A validated metadata label with its compiled path. */
export interface ResolvedMetadataLabel extends MetadataLabelSpec {
  /** `true` when the first step names the namespaced element itself (absolute path). */
  readonly absolute: boolean;
  readonly steps: readonly string[];
  /** Attribute to read at the end, or undefined for the element's text. */
  readonly attribute: string | undefined;
}

const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const STEP_RE = /^(?:[A-Za-z_][\w.-]*:)?(?:[A-Za-z_][\w.-]*|\*)$/;
const ATTR_RE = /^@(?:[A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*$/;

function configError(key: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: ${detail}`, { key });
}

function compilePath(xpath: string, key: string): Pick<ResolvedMetadataLabel, 'absolute' | 'steps' | 'attribute'> {
  const absolute = xpath.startsWith('/');
  const parts = (absolute ? xpath.slice(1) : xpath).split('/');
  let attribute: string | undefined;
  const last = parts[parts.length - 1];
  if (last === 'text()') parts.pop();
  else if (last !== undefined && last.startsWith('@')) {
    if (!ATTR_RE.test(last)) throw configError(key, `invalid attribute step '${last}'`);
    attribute = localName(last.slice(1));
    parts.pop();
  }
  if (parts.length === 0 && !absolute) {
    // A bare `@attr` or `text()` reads the namespaced element itself.
    return { absolute: false, steps: [], attribute };
  }
  for (const p of parts) {
    if (!STEP_RE.test(p)) {
      throw configError(key, `unsupported step '${p}' in '${xpath}' (element names, '*', a final '@attr' or 'text()'; no '//' or predicates)`);
    }
  }
  if (absolute && parts.length === 0) throw configError(key, `'${xpath}' selects nothing`);
  return { absolute, steps: parts.map(localName), attribute };
}

/**
 * Validates the allowlist; throws a VIRTMON_ERR_CONFIG error naming the key (`metrics.metadataLabels[2].label`).
 */
export function resolveMetadataLabels(
  specs: readonly MetadataLabelSpec[], key = 'metrics.metadataLabels',
): readonly ResolvedMetadataLabel[] {
  if (specs.length > MAX_METADATA_LABELS) {
    throw configError(key, `at most ${MAX_METADATA_LABELS} labels, got ${specs.length}`);
  }
  const seen = new Set<string>();
  return specs.map((s, i) => {
    const at = `${key}[${i}]`;
    if (typeof s.label !== 'string' || !LABEL_RE.test(s.label)) {
      throw configError(`${at}.label`, `'${String(s.label)}' is not a label name ([a-zA-Z_][a-zA-Z0-9_]*)`);
    }
    if (s.label === 'domain') throw configError(`${at}.label`, "'domain' is reserved");
    if (s.label.startsWith('__')) throw configError(`${at}.label`, `'${s.label}': names starting with __ are reserved by Prometheus`);
    if (seen.has(s.label)) throw configError(`${at}.label`, `'${s.label}' is configured twice`);
    seen.add(s.label);
    if (typeof s.namespace !== 'string' || s.namespace === '') throw configError(`${at}.namespace`, 'must be a namespace URI');
    if (typeof s.xpath !== 'string' || s.xpath === '') throw configError(`${at}.xpath`, 'must be a path');
    return Object.freeze({ label: s.label, namespace: s.namespace, xpath: s.xpath, ...compilePath(s.xpath, `${at}.xpath`) });
  });
}

function evaluate(root: XmlElement, l: ResolvedMetadataLabel): string | undefined {
  let steps = l.steps;
  let nodes: XmlElement[] = [root];
  if (l.absolute) {
    const first = steps[0];
    if (first !== '*' && first !== localName(root.name)) return undefined;
    steps = steps.slice(1);
  }
  for (const step of steps) {
    const next: XmlElement[] = [];
    for (const n of nodes) for (const c of childElements(n)) if (step === '*' || localName(c.name) === step) next.push(c);
    nodes = next;
    if (nodes.length === 0) return undefined;
  }
  for (const n of nodes) {
    if (l.attribute === undefined) return textContent(n).trim();
    const v = attr(n, l.attribute);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The label values of the allowlist for a domain, in allowlist order; '' where the metadata is missing. */
export function metadataLabelValues(def: DomainDef, labels: readonly ResolvedMetadataLabel[]): string[] {
  return labels.map((l) => {
    const root = findMetadataRoot(def, [l.namespace]);
    const v = root === undefined ? undefined : evaluate(root, l);
    return v === undefined ? '' : cleanLabelValue(v, MAX_METADATA_VALUE);
  });
}
