/**
 * Attribute and resource keys the OTLP output uses (metrics.md §11). Semantic-convention keys that are
 * not stable yet are copied here rather than imported, so a semconv release cannot rename them under us.
 */

/** Identity attributes on every domain data point. @experimental (ours, libvirt.* namespace) */
export const ATTR_DOMAIN_NAME = 'libvirt.domain.name' as const;
/** @experimental (ours) */
export const ATTR_DOMAIN_UUID = 'libvirt.domain.uuid' as const;
/** Prefix of metadata attributes (`otel.metadataAttributes: true`). @experimental (ours) */
export const ATTR_DOMAIN_METADATA_PREFIX = 'libvirt.domain.metadata.' as const;
/** vCPU index, an int attribute. @experimental (ours) */
export const ATTR_VCPU_ID = 'libvirt.vcpu.id' as const;
/** Result of an OTLP export on `virtmon.otlp.exports`. @experimental (ours) */
export const ATTR_OTLP_RESULT = 'virtmon.otlp.export.result' as const;

/** Resource keys (semconv: service.* stable; host.* @experimental). */
export const RES_SERVICE_NAME = 'service.name' as const;
/** Stable semconv. */
export const RES_SERVICE_VERSION = 'service.version' as const;
/** @experimental */
export const RES_SERVICE_INSTANCE_ID = 'service.instance.id' as const;
/** @experimental */
export const RES_HOST_NAME = 'host.name' as const;
/** @experimental */
export const RES_HOST_ID = 'host.id' as const;

/** Instrumentation scope of every virtmon metric. */
export const SCOPE_NAME = 'virtmon' as const;

/** Attributes whose values are integers on the wire (labels are strings in the catalog). */
export const INT_ATTRIBUTES: ReadonlySet<string> = new Set([ATTR_VCPU_ID]);

/**
 * The OTLP twin of `virtmon_otlp_exports_total` (metrics.md §6). §11 has no row for it, so it is named
 * here rather than in the catalog. @experimental (ours)
 */
export const OTLP_EXPORTS_INSTRUMENT = {
  name: 'virtmon.otlp.exports',
  unit: '{export}',
  description: 'OTLP metric exports by result (ok, failed), as virtmon_otlp_exports_total; sent with the next export.',
} as const;
