/**
 * The `libvirt_domain_metadata_info` allowlist (metrics.md §9; the idea of collectd's HostnameMetadataNS /
 * HostnameMetadataXPath and KubeVirt's label allowlist). `metrics.metadataLabels: [{label, namespace,
 * xpath}]`: label names `[a-zA-Z_][a-zA-Z0-9_]*`, not `domain`, at most 10; values cut to 128 characters;
 * every configured label is always present (empty when missing), so the label set is fixed.
 *
 * The path is src/domain/metadata.ts's simple form: the `<metadata>` child in `namespace` by local name, then
 * child elements, then optionally an attribute (`instance/name`, `instance/flavor/@name`). collectd's
 * spelling is accepted and normalised: a leading `/`, a final `/text()` and prefixes on steps
 * (`/nova:instance/nova:name/text()` → `instance/name`).
 */
import type { DomainDef } from '../domain/def.ts';
import { VirtmonError } from '../domain/errors.ts';
import { isSimpleMetadataPath, metadataValue } from '../domain/metadata.ts';
import { localName } from '../domain/xml-query.ts';
import { cleanLabelValue } from './label-value.ts';

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

/** A validated metadata label with its path in the simple form. */
export interface ResolvedMetadataLabel extends MetadataLabelSpec {
  /** The normalised path handed to `metadataValue` (`instance/flavor/@name`). */
  readonly path: string;
}

const LABEL_RE = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function configError(key: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: ${detail}`, { key });
}

/** collectd's XPath spelling → the simple path form; throws a config error for anything else. */
function normalisePath(xpath: string, key: string): string {
  let path = xpath.startsWith('/') ? xpath.slice(1) : xpath;
  if (path.endsWith('/text()')) path = path.slice(0, -'/text()'.length);
  path = path.split('/').map((step) => (step.startsWith('@') ? `@${localName(step.slice(1))}` : localName(step))).join('/');
  if (!isSimpleMetadataPath(path)) {
    throw configError(key, `'${xpath}' is not a simple path (element names separated by '/', optional final '@attr')`);
  }
  return path;
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
    return Object.freeze({ label: s.label, namespace: s.namespace, xpath: s.xpath, path: normalisePath(s.xpath, `${at}.xpath`) });
  });
}

/** The label values of the allowlist for a domain, in allowlist order; '' where the metadata is missing. */
export function metadataLabelValues(def: DomainDef, labels: readonly ResolvedMetadataLabel[]): string[] {
  return labels.map((l) => {
    const v = metadataValue(def, l.namespace, l.path);
    return v === undefined ? '' : cleanLabelValue(v, MAX_METADATA_VALUE);
  });
}
