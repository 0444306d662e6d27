/**
 * `GET /v1/domstats`: virConnectGetAllDomainStats for the remote driver, so `virtmon domstats` through
 * an agent prints what it prints in-process. The agent samples every group now (a CLI query, not a
 * monitoring path); each value carries its type so 64-bit counters and doubles print as virsh does.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { DomainSample, SampleValue } from '../../domain/sample.ts';
import type { ApiDeps } from '../deps.ts';

/** One field on the wire: name, type, value (bigints as decimal strings). */
export type WireField = readonly [string, 'bigint' | 'number' | 'string' | 'boolean', string | number | boolean];

/** Encodes a sample value with its type. */
export function encodeValue(name: string, v: SampleValue): WireField {
  return typeof v === 'bigint' ? [name, 'bigint', v.toString()] : [name, typeof v as 'number' | 'string' | 'boolean', v];
}

/** Options of {@link domstatsRoutes}: the agent's one-shot sampler over its connection. */
export interface DomstatsRouteOptions extends ApiDeps {
  /** Samples every domain's every group now; absent = the collection's latest samples. */
  readonly sampleNow?: () => Promise<DomainSample[]>;
}

/** GET /v1/domstats. */
export const domstatsRoutes: FastifyPluginAsync<DomstatsRouteOptions> = (app, { conn, latest, sampleNow }) => {
  app.get('/v1/domstats', {
    config: { access: 'read' },
    schema: { summary: 'virConnectGetAllDomainStats: every domain sampled now, with its live XML, state and typed fields', tags: ['stats'] },
  }, async () => {
    const samples = sampleNow === undefined ? latest() : await sampleNow();
    const list = await conn.listAllDomains();
    return Promise.all(samples.map(async (s) => {
      const entry = list.find((d) => d.uuid === s.uuid);
      const ref = { name: s.name, uuid: s.uuid, id: s.id };
      return {
        ...ref,
        state: entry === undefined ? { state: s.state, reason: 0 } : { state: entry.state, reason: entry.reason },
        persistent: entry?.persistent ?? true,
        xml: await conn.getXMLDesc(ref),
        fields: [...s.fields].map(([k, v]) => encodeValue(k, v)),
      };
    }));
  });
  return Promise.resolve();
};
