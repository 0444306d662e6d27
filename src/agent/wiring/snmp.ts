/** The SNMP bridge (config `snmp`, off by default): LIBVIRT-MIB agent or AgentX subagent, traps. */
import { join } from 'node:path';
import { release, type } from 'node:os';
import { Counter } from 'prom-client';
import { METRICS_BY_NAME } from '../../catalog/metrics.ts';
import { SnmpBridge } from '../../exporters/snmp/bridge.ts';
import { bumpEngineBoots } from '../../exporters/snmp/engine-boots.ts';
import type { AgentContext, Component } from '../components.ts';

/** The bridge as an agent component; snmpEngineBoots is bumped in the run directory before v3 answers. */
export function snmpComponent(ctx: AgentContext): Component | undefined {
  const c = ctx.config.snmp;
  if (!c.enabled) return undefined;
  let bridge: SnmpBridge | undefined;
  const help = METRICS_BY_NAME.get('virtmon_snmp_pdus_total')?.help ?? 'SNMP PDUs handled by type and result.';
  // Read from the bridge's own tally at scrape time (zeros before it starts), as otel.ts does.
  new Counter({
    name: 'virtmon_snmp_pdus_total', help, labelNames: ['pdu', 'result'], registers: [ctx.registry],
    collect() {
      this.reset();
      if (bridge === undefined) return;
      for (const e of bridge.pdus.entries()) this.inc({ pdu: e.pdu, result: e.result }, e.value);
    },
  });
  return {
    name: 'snmp',
    async start() {
      const v3 = c.mode === 'agent' && c.users.length > 0;
      bridge = new SnmpBridge({
        config: c, snapshot: ctx.snapshot,
        live: { listDomains: () => ctx.conn.listAllDomains() },
        actions: ctx.actions,
        subscribeEvents: ctx.onDomainEvent,
        logger: ctx.logger.child({ room: 'snmp' }),
        system: { descr: `virtmon ${ctx.version} (${ctx.config.uri.raw}) ${type()} ${release()}` },
        ...(v3 ? { engineBoots: await bumpEngineBoots(join(ctx.runDir, 'snmp-engine-boots')) } : {}),
      });
      await bridge.start();
      ctx.links.snmp = bridge;
    },
    stop: async () => { await bridge?.stop(); },
  };
}
