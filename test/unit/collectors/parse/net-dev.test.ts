import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseNetDev } from '../../../../src/collectors/parse/net-dev.ts';

const TEXT = `Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    3193      29    0    0    0     0          0         0     3193      29    0    0    0     0       0          0
  eth0: 1058318739   34972    0    0    0     0          0         0  3298156   24840    0    0    0     0       0          0
 vnet0:       0       0    0    0    0     0          0         0       90       1    0    0    0     0       0          0
vnet123:18446744073709551615 9007199254740993 1 2 3 4 5 6 7 8 9 10 11 12 13 14
`;

test('all interfaces at once, names trimmed, headers skipped', () => {
  const t = parseNetDev(TEXT);
  assert.deepEqual([...t.keys()], ['lo', 'eth0', 'vnet0', 'vnet123']);
  const eth0 = t.get('eth0');
  assert.equal(eth0?.rx.bytes, 1058318739n);
  assert.equal(eth0?.rx.packets, 34972n);
  assert.equal(eth0?.tx.bytes, 3298156n);
  assert.equal(eth0?.tx.packets, 24840n);
  assert.equal(t.get('vnet0')?.tx.bytes, 90n);
});

test('a long name touching its first counter, and counters beyond 2^53, parse exactly', () => {
  const v = parseNetDev(TEXT).get('vnet123');
  assert.ok(v);
  assert.equal(v.rx.bytes, 18446744073709551615n);
  assert.equal(v.rx.packets, 9007199254740993n);
  assert.deepEqual([v.rx.errs, v.rx.drop, v.rx.fifo, v.rx.frameOrColls, v.rx.compressedOrCarrier, v.rx.multicastOrCompressed],
    [1n, 2n, 3n, 4n, 5n, 6n]);
  assert.deepEqual([v.tx.bytes, v.tx.packets, v.tx.errs, v.tx.drop], [7n, 8n, 9n, 10n]);
  assert.equal(v.tx.multicastOrCompressed, 14n);
});

test('torn or short lines are skipped', () => {
  const t = parseNetDev('  eth0: 1 2 3\n  tap1: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 x\n');
  assert.equal(t.size, 0);
});
