/** Turns the `snmp` config block into the USM engine and the resolved trap sinks. */
import { createHash } from 'node:crypto';
import { hostname } from 'node:os';
import type { RawConfig } from '../../config/schema.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { parseTarget, type Sink } from './notifier.ts';
import type { SnmpCounters } from './system-mib.ts';
import { UsmAgent, makeUser } from './usm-agent.ts';

type SnmpConfig = RawConfig['snmp'];

/** snmpEngineID: the configured hex, else RFC 3411 format 5 (octets) under enterprise 0 from the host name. */
export function engineIdFrom(config: Pick<SnmpConfig, 'engineId'>, host = hostname()): Buffer {
  if (config.engineId !== undefined) return Buffer.from(config.engineId.replace(/^0x/, ''), 'hex');
  const digest = createHash('sha256').update(`virtmon:${host}`).digest().subarray(0, 12);
  return Buffer.concat([Buffer.from([0x80, 0, 0, 0, 5]), digest]);
}

/** The USM engine when v3 users are configured; `time` is snmpEngineTime in seconds. */
export function buildUsm(config: SnmpConfig, counters: SnmpCounters, time: () => number, boots = 1): UsmAgent | undefined {
  if (config.users.length === 0) return undefined;
  const engineId = engineIdFrom(config);
  return new UsmAgent({
    engineId, boots, time, counters, maxMessageSize: config.maxMessageSize,
    users: config.users.map((u) => makeUser(u, engineId)),
  });
}

/** Resolves `snmp.sinks`; a v3 sink must name a configured user. */
export function buildSinks(config: SnmpConfig, usm: UsmAgent | undefined): Sink[] {
  return config.sinks.map((s, i) => {
    const { host, port } = parseTarget(s.target);
    if (s.version === 'v2c') return { host, port, community: s.community, inform: s.kind === 'inform' };
    if (s.kind === 'inform') {
      throw new VirtmonError('VIRTMON_ERR_CONFIG', `snmp.sinks[${i}].kind: informs are sent with v2c only (a v3 inform needs the receiver's engine)`, { key: `snmp.sinks.${i}.kind` });
    }
    const name = s.user;
    if (usm === undefined || name === undefined || !config.users.some((u) => u.name === name)) {
      throw new VirtmonError('VIRTMON_ERR_CONFIG', `snmp.sinks[${i}].user: a v3 sink needs the name of a user in snmp.users`, { key: `snmp.sinks.${i}.user` });
    }
    return { host, port, encodeV3: (pdu) => usm.encodeNotification(name, pdu) };
  });
}
