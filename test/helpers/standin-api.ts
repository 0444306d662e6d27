/**
 * A stand-in for the agent's control API, used until src/api lands: a few routes over a real
 * Connection (test:///default) with the security plugins in the agent's order, JSON schemas that
 * refuse unknown fields and wrong types, the image-roots check on define, and the job-lock mapping.
 * The fuzz test and bench/remote use it; when the agent's app exists they point at that instead.
 */
import type { FastifyInstance } from 'fastify';
import type { ResolvedRemote, ResolvedToken } from '../../src/config/blocks/auth.ts';
import type { Connection } from '../../src/drivers/dispatch.ts';
import { VirtmonError } from '../../src/domain/errors.ts';
import { silentLogger, type Logger } from '../../src/domain/logger.ts';
import { stateToString } from '../../src/domain/states.ts';
import { parseDomainXml } from '../../src/domain/xml-parse.ts';
import { auditPlugin, type ApiAuditRecord } from '../../src/security/audit-plugin.ts';
import { authPlugin } from '../../src/security/auth-plugin.ts';
import { createImageRootsCheck } from '../../src/security/image-roots.ts';
import { limitsPlugin } from '../../src/security/limits-plugin.ts';
import { createTokenVerifier } from '../../src/security/token-verifier.ts';
import { captureFastify } from './security-app.ts';

/** Lifecycle actions of the stand-in. */
export const ACTIONS = ['start', 'shutdown', 'destroy', 'suspend', 'resume', 'reboot', 'reset'] as const;

/** What {@link buildStandinApi} needs. */
export interface StandinOptions {
  readonly conn: Connection;
  readonly tokens: readonly ResolvedToken[];
  readonly limits: ResolvedRemote['limits'];
  readonly imageRoots: readonly string[];
  readonly audit: (e: ApiAuditRecord) => void;
  readonly logger?: Logger;
  readonly now?: () => number;
  /** fastify's own log level (its lines are kept in memory; 'silent' for benches). */
  readonly logLevel?: string;
}

const reasonSchema = {
  type: 'object', additionalProperties: false,
  properties: { reason: { type: 'string', maxLength: 256 }, dryRun: { type: 'boolean' } },
} as const;

/** Builds the stand-in app (not listening). */
export async function buildStandinApi(o: StandinOptions): Promise<FastifyInstance> {
  const logger = o.logger ?? silentLogger();
  const now = o.now ?? Date.now;
  const { app } = captureFastify({ bodyLimit: o.limits.bodyBytes, logLevel: o.logLevel ?? 'info' });
  // Validation: unknown fields are errors, not silently dropped; no type coercion.
  app.setValidatorCompiler(({ schema }) => {
    return (data: unknown) => {
      const problem = check(schema as Schema, data, 'body');
      return problem === undefined ? { value: data } : { error: new VirtmonError('VIRTMON_ERR_REQUEST', problem) };
    };
  });
  await app.register(auditPlugin, { sink: { record: o.audit }, logger, now });
  await app.register(limitsPlugin, { limits: o.limits, now });
  await app.register(authPlugin, { verifier: createTokenVerifier(o.tokens, now), allowRemote: false, logger });
  const imageRoots = createImageRootsCheck({ roots: o.imageRoots, emulators: ['/usr/bin/qemu-system-x86_64'] });
  const { conn } = o;

  app.get('/healthz', () => Promise.resolve({ ok: true }));
  app.get('/api/v1/domains', { config: { access: 'read' } }, async () =>
    (await conn.listAllDomains()).map((d) => ({ name: d.name, uuid: d.uuid, state: stateToString(d.state) })));
  app.get<{ Params: { domain: string } }>('/api/v1/domains/:domain', { config: { access: 'read' } }, async (req) => {
    const dom = await conn.lookupDomain(req.params.domain);
    const st = await conn.getState(dom);
    return { name: dom.name, uuid: dom.uuid, state: stateToString(st.state) };
  });
  app.post<{ Params: { domain: string; action: string } }>('/api/v1/domains/:domain/:action',
    { config: { access: 'operator' }, schema: { body: reasonSchema } }, async (req) => {
      const action = ACTIONS.find((a) => a === req.params.action);
      if (action === undefined) throw new VirtmonError('VIRTMON_ERR_REQUEST', `unknown action '${req.params.action.slice(0, 64)}'`);
      const dom = await conn.lookupDomain(req.params.domain);
      if (action === 'start') await conn.create(dom);
      else await conn[action](dom);
      return { outcome: 'done', state: stateToString((await conn.getState(dom)).state) };
    });
  app.post<{ Body: { xml: string } }>('/api/v1/domains', {
    config: { access: 'admin' },
    schema: { body: { type: 'object', additionalProperties: false, required: ['xml'], properties: { xml: { type: 'string' } } } },
  }, async (req) => {
    const def = parseDomainXml(req.body.xml);
    await imageRoots(def);
    const dom = await conn.defineXML(req.body.xml);
    return { outcome: 'done', name: dom.name, uuid: dom.uuid };
  });
  app.delete<{ Params: { domain: string } }>('/api/v1/domains/:domain', { config: { access: 'admin' } }, async (req) => {
    await conn.undefine(await conn.lookupDomain(req.params.domain));
    return { outcome: 'done' };
  });
  return app;
}

type Schema = { type?: string; additionalProperties?: boolean; required?: readonly string[]; properties?: Record<string, Schema>; maxLength?: number };

/** A tiny strict validator for the stand-in's flat schemas; returns the first problem. */
function check(schema: Schema, data: unknown, at: string): string | undefined {
  if (schema.type === 'object') {
    if (data === undefined && (schema.required ?? []).length === 0) return undefined;
    if (typeof data !== 'object' || data === null || Array.isArray(data)) return `${at} must be an object`;
    for (const k of schema.required ?? []) if (!(k in data)) return `${at}.${k} is required`;
    for (const [k, v] of Object.entries(data)) {
      const sub = schema.properties?.[k];
      if (sub === undefined) return `${at}: unknown field '${k.slice(0, 64)}'`;
      const p = check(sub, v, `${at}.${k}`);
      if (p !== undefined) return p;
    }
    return undefined;
  }
  if (schema.type === 'string' && typeof data !== 'string') return `${at} must be a string`;
  if (schema.type === 'boolean' && typeof data !== 'boolean') return `${at} must be a boolean`;
  if (schema.maxLength !== undefined && typeof data === 'string' && data.length > schema.maxLength) return `${at} is longer than ${schema.maxLength}`;
  return undefined;
}
