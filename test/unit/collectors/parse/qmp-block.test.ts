import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SampleFields } from '../../../../src/domain/sample.ts';
import type { StatsDisk } from '../../../../src/domain/stats-target.ts';
import {
  frontendOf, indexBlockstats, indexNamedBlockNodes, writeBlockFields,
} from '../../../../src/collectors/parse/qmp-block.ts';

// Replies of QEMU 7.2 to libvirt's -blockdev layout (virtio-blk qcow2 + ide raw), captured on this machine.
const replies = JSON.parse(readFileSync(new URL('../../../fixtures/qmp/stats-replies-vm1.json', import.meta.url), 'utf8')) as
  Record<string, unknown>;

const DISKS: StatsDisk[] = [
  { index: 0, target: 'vda', path: '/var/lib/virtmon/images/disk0.qcow2', qdevId: 'virtio-disk0',
    formatNode: 'libvirt-2-format', storageNode: 'libvirt-2-storage' },
  { index: 1, target: 'hda', path: '/var/lib/virtmon/images/disk1.raw', qdevId: 'ide0-0-0',
    formatNode: 'libvirt-1-format', storageNode: 'libvirt-1-storage' },
];

test('front-end entries are found by qdev id, including virtio QOM paths', () => {
  const index = indexBlockstats(replies['query-blockstats'], replies['query-blockstats-nodes']);
  assert.equal(frontendOf(index, DISKS[0] as StatsDisk)?.rdReqs, 1n);
  assert.equal(frontendOf(index, DISKS[0] as StatsDisk)?.rdBytes, 512n);
  assert.equal(frontendOf(index, DISKS[1] as StatsDisk)?.rdReqs, 0n);
});

test('the block group in libvirt order, with allocation, capacity, physical and threshold', () => {
  const into: SampleFields = new Map();
  writeBlockFields(into, DISKS, {
    blockstats: indexBlockstats(replies['query-blockstats'], replies['query-blockstats-nodes']),
    nodes: indexNamedBlockNodes(replies['query-named-block-nodes']),
  });
  assert.deepEqual([...into], [
    ['block.count', 2],
    ['block.0.name', 'vda'], ['block.0.path', '/var/lib/virtmon/images/disk0.qcow2'],
    ['block.0.rd.reqs', 1n], ['block.0.rd.bytes', 512n], ['block.0.rd.times', 92544n],
    ['block.0.wr.reqs', 0n], ['block.0.wr.bytes', 0n], ['block.0.wr.times', 0n],
    ['block.0.fl.reqs', 0n], ['block.0.fl.times', 0n],
    ['block.0.allocation', 0n], ['block.0.capacity', 67108864n], ['block.0.physical', 200704n],
    ['block.0.threshold', 1048576n],
    ['block.1.name', 'hda'], ['block.1.path', '/var/lib/virtmon/images/disk1.raw'],
    ['block.1.rd.reqs', 0n], ['block.1.rd.bytes', 0n], ['block.1.rd.times', 0n],
    ['block.1.wr.reqs', 0n], ['block.1.wr.bytes', 0n], ['block.1.wr.times', 0n],
    ['block.1.fl.reqs', 0n], ['block.1.fl.times', 0n],
    ['block.1.allocation', 1114112n], ['block.1.capacity', 16777216n], ['block.1.physical', 69632n],
  ]);
});

test('legacy -drive entries match by device name; missing counters are absent, not 0', () => {
  const devices = [{
    device: 'drive-virtio-disk0', qdev: '/machine/peripheral/virtio-disk0/virtio-backend',
    stats: { rd_operations: 5, rd_bytes: '9007199254740993', wr_operations: 2, wr_bytes: 8192n },
    parent: { stats: { wr_highest_offset: 4096 } },
  }];
  const index = indexBlockstats(devices);
  const into: SampleFields = new Map();
  writeBlockFields(into, [{ index: 0, target: 'vda', qdevId: 'virtio-disk0' }], { blockstats: index });
  assert.deepEqual([...into], [
    ['block.count', 1], ['block.0.name', 'vda'],
    ['block.0.rd.reqs', 5n], ['block.0.rd.bytes', 9007199254740993n], ['block.0.wr.reqs', 2n], ['block.0.wr.bytes', 8192n],
    ['block.0.allocation', 4096n],
  ]);
  assert.ok(index.has('device:drive-virtio-disk0'));
  assert.ok(index.has('qdev:virtio-disk0'));
});

test('no replies: names only; a disk QEMU does not know: names only', () => {
  const into: SampleFields = new Map();
  writeBlockFields(into, [{ index: 0, target: 'sda' }, { index: 1, target: 'hdc', qdevId: 'ide0-1-0' }],
    { blockstats: indexBlockstats('not an array'), nodes: indexNamedBlockNodes(null) });
  assert.deepEqual([...into], [['block.count', 2], ['block.0.name', 'sda'], ['block.1.name', 'hdc']]);
});

test('named nodes: actual-size missing means not thin provisioned; threshold 0 means none', () => {
  const nodes = indexNamedBlockNodes([
    { 'node-name': 'a', image: { 'virtual-size': 1024 }, write_threshold: 0 },
    { 'node-name': 'b', image: { 'virtual-size': 2048, 'actual-size': 512 }, write_threshold: 100 },
    { 'node-name': 'c' },
  ]);
  assert.deepEqual(nodes.get('a'), { capacity: 1024n, physical: 1024n });
  assert.deepEqual(nodes.get('b'), { capacity: 2048n, physical: 512n, threshold: 100n });
  assert.equal(nodes.has('c'), false);
});
