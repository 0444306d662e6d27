/** Helpers for the alerts and actions tests: test-driver domains, a guarded service on a connection. */
import { Registry } from 'prom-client';
import { MemoryAuditLog, type AuditSink } from '../../src/actions/audit-log.ts';
import { remediationCounter } from '../../src/actions/counter.ts';
import { createGuardedActions, type ActionSafety, type GuardedOps } from '../../src/actions/service.ts';
import type { Actions } from '../../src/actions/types.ts';
import { silentLogger, type Logger } from '../../src/domain/logger.ts';

/** Minimal domain XML for the test driver. */
export function testDomainXml(name: string, vcpus = 1, memoryKiB = 65536): string {
  return `<domain type='test'><name>${name}</name><memory>${memoryKiB}</memory><vcpu>${vcpus}</vcpu>`
    + '<os><type>hvm</type></os></domain>';
}

/** A guarded service with an in-memory audit log and its own registry. */
export interface GuardedFixture {
  readonly actions: Actions;
  readonly audit: MemoryAuditLog;
  readonly registry: Registry;
  /** `domain/action/result` → counter value. */
  counts(): Promise<Map<string, number>>;
}

/** Builds a guarded service over `ops` with the given safety (defaults: live, no limits, nothing protected). */
export function guarded(ops: GuardedOps, safety: Partial<ActionSafety> = {}, extra: {
  readonly clock?: () => number; readonly logger?: Logger; readonly audit?: AuditSink;
} = {}): GuardedFixture {
  const registry = new Registry();
  const audit = new MemoryAuditLog();
  const actions = createGuardedActions({
    ops,
    safety: { dryRun: false, cooldownMs: 0, capPerMinute: 0, protected: [], ...safety },
    audit: extra.audit ?? audit,
    count: remediationCounter(registry),
    logger: extra.logger ?? silentLogger(),
    ...(extra.clock === undefined ? {} : { clock: extra.clock }),
  });
  return {
    actions, audit, registry,
    counts: async () => {
      const out = new Map<string, number>();
      const m = await registry.getSingleMetricAsString('virtmon_remediation_actions_total');
      for (const line of m.split('\n')) {
        const hit = /^virtmon_remediation_actions_total\{domain="([^"]*)",action="([^"]*)",result="([^"]*)"\} (\S+)$/.exec(line);
        if (hit !== null) out.set(`${hit[1]}/${hit[2]}/${hit[3]}`, Number(hit[4]));
      }
      return out;
    },
  };
}
