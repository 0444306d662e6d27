/**
 * The `libvirt_domain_metadata_info` allowlist (metrics.md §9; the idea of collectd's HostnameMetadataNS /
 * HostnameMetadataXPath and KubeVirt's label allowlist). `metrics.metadataLabels: [{label, namespace,
 * xpath}]`: label names `[a-zA-Z_][a-zA-Z0-9_]*`, not `domain`, at most 10; values cut to 128 characters;
 * every configured label is always present (empty when missing), so the label set is fixed.
 *
 * The xpath names the `<metadata>` child in `namespace` by its local name, then child elements, then
 * optionally an attribute: `instance/name`, `instance/flavor/@name` (the form src/domain/metadata.ts
 * accepts). collectd's spelling is accepted too: a leading `/` and a final `/text()` (`/instance/name/text()`).
 * Steps match local names; no wildcards, `//` or predicates.
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
  /** Local names: the namespaced `<metadata>` child first, then descendants. */
  readonly steps: readonly string[];
  /** Attribute to read at the end, or undefined for the element's text. */
  readonly attribute: string | undefined;
}

const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const NAME = '(?:[A-Za-z_][\\w.-]*:)?[A-Za-z_][\\w.-]*';
const PATH_RE = new RegExp(`^${NAME}(?:/${NAME})*(?:/@${NAME})?$`);

function configError(key: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: ${detail}`, { key });
}

function compilePath(xpath: string, key: string): Pick<ResolvedMetadataLabel, 'steps' | 'attribute'> {
  let path = xpath.startsWith('/') ? xpath.slice(1) : xpath;
  if (path.endsWith('/text()')) path = path.slice(0, -'/text()'.length);
  if (!PATH_RE.test(path)) {
    throw configError(key, `'${xpath}' is not a simple path (element names separated by '/', optional final '@attr')`);
  }
  const parts = path.split('/');
  const last = parts[parts.length - 1] ?? '';
  const attribute = last.startsWith('@') ? localName(last.slice(1)) : undefined;
  if (attribute !== undefined) parts.pop();
  return { steps: parts.map(localName), attribute };
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
  const [first, ...rest] = l.steps;
  if (first !== localName(root.name)) return undefined;
  let nodes: XmlElement[] = [root];
  for (const step of rest) {
    const next: XmlElement[] = [];
    for (const n of nodes) for (const c of childElements(n)) if (localName(c.name) === step) next.push(c);
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
