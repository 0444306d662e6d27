/** The `snmp` config block: off by default with safe defaults; bad values named by file, line and key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { SnmpBridge } from '../../../src/exporters/snmp/bridge.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';

test('defaults: disabled, standalone agent on 127.0.0.1:1161, public read-only, no writers, no sinks', () => {
  const { snmp } = parseConfigText('uri: test:///default\n', 'virtmon.yaml');
  assert.equal(snmp.enabled, false);
  assert.equal(snmp.mode, 'agent');
  assert.equal(snmp.listen, '127.0.0.1:1161');
  assert.equal(snmp.agentx, 'tcp:127.0.0.1:705');
  assert.deepEqual(snmp.communities, { ro: ['public'], rw: [] });
  assert.deepEqual(snmp.users, []);
  assert.deepEqual(snmp.sinks, []);
  assert.equal(snmp.system.objectId, '0.0');
  assert.equal(snmp.trapInstance, 'zero');
});

test('bad values are refused with file, line and key', () => {
  const bad = (yaml: string, key: RegExp): void => {
    assert.throws(() => parseConfigText(`uri: test:///default\nsnmp:\n${yaml}\n`, 'virtmon.yaml'), (err: unknown) => {
      assert.ok(err instanceof VirtmonError && err.code === 'VIRTMON_ERR_CONFIG');
      assert.match(err.message, /virtmon\.yaml:\d+/);
      assert.match(err.message, key);
      return true;
    });
  };
  bad('  mode: master', /snmp\.mode/);
  bad('  agentx: /var/agentx/master', /snmp\.agentx/);
  bad('  users: [{ name: u, authPassword: short }]', /authPassword/);
  bad('  users: [{ name: u, authPassword: longenough, privProtocol: des }]', /privProtocol/);
  bad('  communitys: { ro: [x] }', /communitys/);
  bad('  maxMessageSize: 100', /maxMessageSize/);
});

test('a v3 sink must name a configured user (refused when the bridge is built, before start)', () => {
  const { snmp } = parseConfigText('uri: test:///default\nsnmp: { enabled: true, sinks: [{ target: "udp:127.0.0.1:162", version: v3, user: nobody }] }\n', 'virtmon.yaml');
  assert.throws(() => new SnmpBridge({
    config: snmp, snapshot: new SnapshotStore(), live: { listDomains: () => Promise.resolve([]) },
    actions: { perform: () => Promise.reject(new Error('unused')) }, subscribeEvents: () => () => undefined, logger: silentLogger(),
  }), /snmp\.sinks\[0\]\.user/);
});

test('a v3 inform sink is refused (informs are v2c only)', () => {
  const { snmp } = parseConfigText('uri: test:///default\nsnmp: { enabled: true, users: [{ name: u, authPassword: longenough }], sinks: [{ target: "udp:127.0.0.1:162", version: v3, user: u, kind: inform }] }\n', 'virtmon.yaml');
  assert.throws(() => new SnmpBridge({
    config: snmp, snapshot: new SnapshotStore(), live: { listDomains: () => Promise.resolve([]) },
    actions: { perform: () => Promise.reject(new Error('unused')) }, subscribeEvents: () => () => undefined, logger: silentLogger(),
  }), /snmp\.sinks\[0\]\.kind/);
});

test('a listen address already in use fails start() with a typed error naming snmp.listen', async () => {
  const { createSocket } = await import('node:dgram');
  const busy = createSocket('udp4');
  await new Promise<void>((resolve) => { busy.bind(0, '127.0.0.1', () => { resolve(); }); });
  const port = busy.address().port;
  try {
    const { snmp } = parseConfigText(`uri: test:///default\nsnmp: { enabled: true, listen: "127.0.0.1:${port}" }\n`, 'virtmon.yaml');
    const bridge = new SnmpBridge({
      config: snmp, snapshot: new SnapshotStore(), live: { listDomains: () => Promise.resolve([]) },
      actions: { perform: () => Promise.reject(new Error('unused')) }, subscribeEvents: () => () => undefined, logger: silentLogger(),
    });
    await assert.rejects(bridge.start(), (err: unknown) => err instanceof VirtmonError && err.code === 'VIR_ERR_SYSTEM_ERROR' && /snmp\.listen 127\.0\.0\.1:\d+: .*EADDRINUSE/.test(err.message));
    await bridge.stop();
  } finally {
    busy.close();
  }
});
