/**
 * Which catalog rows are emitted: defaults, compat sets (metrics.compat), collector switches
 * (collectors.<name>.enabled), the metadata allowlist (metrics.metadataLabels) and domains.includeInactive.
 * Resolved once at start-up into {@link ResolvedCatalogOptions}, whose family lists fix the exposition order
 * every series plan indexes into.
 */
import { VirtmonError } from '../domain/errors.ts';
import { CATALOG, METADATA_INFO } from './metrics.ts';
import { resolveMetadataLabels } from './metadata-labels.ts';
import type { MetadataLabelSpec, ResolvedMetadataLabel } from './metadata-labels.ts';
import { COLLECTORS, COMPAT_SETS } from './types.ts';
import type { CollectorName, CompatSet, MetricDef } from './types.ts';

/** Catalog options as configured. */
export interface CatalogOptions {
  /** Compatibility alias sets to emit (D8); default none. */
  readonly compat?: readonly CompatSet[];
  /** The `_metadata_info` allowlist; default empty (no `_metadata_info`). */
  readonly metadataLabels?: readonly MetadataLabelSpec[];
  /** Collector switches; a collector not listed is enabled. */
  readonly collectors?: Readonly<Partial<Record<CollectorName, boolean>>>;
  /** Emit series for inactive domains (D7); default true. */
  readonly includeInactive?: boolean;
}

/** Validated options plus the families they select, in exposition order. */
export interface ResolvedCatalogOptions {
  readonly compat: ReadonlySet<CompatSet>;
  readonly metadataLabels: readonly ResolvedMetadataLabel[];
  readonly collectors: ReadonlySet<CollectorName>;
  readonly includeInactive: boolean;
  /** Per-domain families; a series plan's `familyStart` indexes this list. */
  readonly domainFamilies: readonly MetricDef[];
  /** Storage pool families (`libvirt_storage_pool_*` and the Tinkoff pool aliases). */
  readonly poolFamilies: readonly MetricDef[];
  /** Host-level families the agent fills (`libvirt_up`, `libvirt_domains`, aliases). */
  readonly hostFamilies: readonly MetricDef[];
}

function configError(key: string, detail: string): VirtmonError {
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${key}: ${detail}`, { key });
}

/** True when the row is emitted with these settings (self-metrics are the agent's, never selected here). */
function selected(m: MetricDef, compat: ReadonlySet<CompatSet>, collectors: ReadonlySet<CollectorName>, metaLabels: number): boolean {
  if (m.group === 'self') return false;
  if (m.group === 'compat') {
    if (!(m.compat ?? []).some((s) => compat.has(s))) return false;
  } else if (!m.defaultEnabled) {
    return false;
  }
  if (m.feed !== 'definition' && m.feed !== 'agent' && !collectors.has(m.feed)) return false;
  if (m.name === METADATA_INFO && metaLabels === 0) return false;
  return true;
}

/** Validates options (VIRTMON_ERR_CONFIG naming the key) and selects the families. */
export function resolveCatalogOptions(opts: CatalogOptions = {}): ResolvedCatalogOptions {
  const compat = new Set<CompatSet>();
  for (const [i, s] of (opts.compat ?? []).entries()) {
    if (!(COMPAT_SETS as readonly string[]).includes(s)) {
      throw configError(`metrics.compat[${i}]`, `unknown alias set '${String(s)}' (one of ${COMPAT_SETS.join(', ')})`);
    }
    compat.add(s);
  }
  const collectors = new Set<CollectorName>(COLLECTORS);
  for (const [name, on] of Object.entries(opts.collectors ?? {})) {
    if (!(COLLECTORS as readonly string[]).includes(name)) {
      throw configError(`collectors.${name}`, `unknown collector (one of ${COLLECTORS.join(', ')})`);
    }
    if (on === false) collectors.delete(name as CollectorName);
  }
  const metadataLabels = resolveMetadataLabels(opts.metadataLabels ?? []);
  const domainFamilies: MetricDef[] = [];
  const poolFamilies: MetricDef[] = [];
  const hostFamilies: MetricDef[] = [];
  for (const m of CATALOG) {
    if (!selected(m, compat, collectors, metadataLabels.length)) continue;
    if (m.domains !== 'host') {
      domainFamilies.push(m.name === METADATA_INFO
        ? Object.freeze({ ...m, labelNames: ['domain', ...metadataLabels.map((l) => l.label)] })
        : m);
    } else if (m.feed === 'storage_pool') {
      poolFamilies.push(m);
    } else {
      hostFamilies.push(m);
    }
  }
  return Object.freeze({
    compat, metadataLabels, collectors, includeInactive: opts.includeInactive ?? true,
    domainFamilies: Object.freeze(domainFamilies),
    poolFamilies: Object.freeze(poolFamilies),
    hostFamilies: Object.freeze(hostFamilies),
  });
}
