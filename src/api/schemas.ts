/** Request schemas of the control API (TypeBox → JSON Schema: fastify validates, swagger documents). */
import { Type } from 'typebox';

/** `:dom`: a name, a UUID or an id. */
export const DomParams = Type.Object({ dom: Type.String({ minLength: 1, description: 'domain name, UUID or id' }) });

/** List filters (virsh list's --state-* and --all). */
export const ListQuery = Type.Object({
  state: Type.Optional(Type.Enum(['all', 'active', 'inactive', 'running', 'paused', 'shutoff', 'other'], {
    default: 'all', description: 'which domains: all, active, inactive, or one state (other = none of running/paused/shut off)',
  })),
}, { additionalProperties: false });

export const XmlQuery = Type.Object({
  inactive: Type.Optional(Type.Boolean({ description: 'the persistent config instead of the live definition' })),
}, { additionalProperties: false });

export const XmlBody = Type.Object({ xml: Type.String({ minLength: 1, description: 'domain XML' }) }, { additionalProperties: false });

export const CreateBody = Type.Object({
  xml: Type.String({ minLength: 1, description: 'domain XML of the transient domain' }),
  paused: Type.Optional(Type.Boolean()),
  autodestroy: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const StartBody = Type.Object({
  paused: Type.Optional(Type.Boolean({ description: 'leave the vCPUs stopped' })),
  forceBoot: Type.Optional(Type.Boolean({ description: 'boot even with a managed save image (discarding it)' })),
  bypassCache: Type.Optional(Type.Boolean()),
  autodestroy: Type.Optional(Type.Boolean()),
}, { additionalProperties: false });

export const DestroyBody = Type.Object({
  graceful: Type.Optional(Type.Boolean({ description: 'SIGTERM only, never SIGKILL' })),
}, { additionalProperties: false });

export const ActionBody = Type.Object({
  reason: Type.Optional(Type.String({ maxLength: 200, description: 'recorded in the audit log' })),
  dryRun: Type.Optional(Type.Boolean({ description: 'report what would happen, change nothing' })),
}, { additionalProperties: false });

export const UndefineQuery = Type.Object({
  managedSave: Type.Optional(Type.Boolean({ description: 'also remove the managed save image' })),
}, { additionalProperties: false });

const saveFlags = {
  running: Type.Optional(Type.Boolean({ description: 'run after restore' })),
  paused: Type.Optional(Type.Boolean({ description: 'stay paused after restore' })),
};
export const SaveBody = Type.Object({ path: Type.String({ minLength: 1, description: 'image path on the agent host' }), ...saveFlags }, { additionalProperties: false });
export const SaveFlagsBody = Type.Object(saveFlags, { additionalProperties: false });

const affect = {
  live: Type.Optional(Type.Boolean({ description: 'VIR_DOMAIN_AFFECT_LIVE' })),
  config: Type.Optional(Type.Boolean({ description: 'VIR_DOMAIN_AFFECT_CONFIG' })),
};
export const MemoryBody = Type.Object({
  kib: Type.Integer({ minimum: 1, description: 'new size in KiB' }),
  maximum: Type.Optional(Type.Boolean({ description: 'change the maximum (config only)' })),
  ...affect,
}, { additionalProperties: false });
export const VcpusBody = Type.Object({ count: Type.Integer({ minimum: 1 }), ...affect }, { additionalProperties: false });
export const DeviceBody = Type.Object({ xml: Type.String({ minLength: 1, description: 'device XML' }), ...affect }, { additionalProperties: false });
export const AutostartBody = Type.Object({ autostart: Type.Boolean() }, { additionalProperties: false });
export const NameParams = Type.Object({ name: Type.String({ minLength: 1 }) });
export const UuidParams = Type.Object({ uuid: Type.String({ minLength: 1 }) });
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 0 }) });
