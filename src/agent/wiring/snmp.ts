/** The SNMP bridge (config `snmp`, off by default): LIBVIRT-MIB agent or AgentX subagent, traps. */
import { join } from 'node:path';
import { release, type } from 'node:os';
import { SnmpBridge } from '../../exporters/snmp/bridge.ts';
import { bumpEngineBoots } from '../../exporters/snmp/engine-boots.ts';
import type { AgentContext, Component } from '../components.ts';

/** The bridge as an agent component; snmpEngineBoots is bumped in the run directory before v3 answers. */
export function snmpComponent(ctx: AgentContext): Component | undefined {
  const c = ctx.config.snmp;
  if (!c.enabled) return undefined;
  let bridge: SnmpBridge | undefined;
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
