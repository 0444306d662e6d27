/**
 * The source functions on the fixture trees (test/fixtures/{proc,cgroup-v1,cgroup-hybrid,cgroup-v2}):
 * one logical domain, `vm1`, placed the way libvirt places it on each layout.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import type { SampleFields } from '../../../../src/domain/sample.ts';
import type { CgroupPlacement, StatsNic } from '../../../../src/domain/stats-target.ts';
import { placementFromProcCgroup } from '../../../../src/collectors/parse/proc-cgroup.ts';
import { resolvePlacement } from '../../../../src/collectors/sources/cgroup.ts';
import type { SourceContext } from '../../../../src/collectors/sources/context.ts';
import { createSourceContext } from '../../../../src/collectors/sources/context.ts';
import { fillCpuTotal } from '../../../../src/collectors/sources/cpu-total.ts';
import { fillInterface, sharedNetDev } from '../../../../src/collectors/sources/interface.ts';
import { fillCgroupExtras, readRssKiB } from '../../../../src/collectors/sources/memory.ts';
import { fillVcpu } from '../../../../src/collectors/sources/vcpu.ts';

const fixture = (name: string): string => fileURLToPath(new URL(`../../../fixtures/${name}`, import.meta.url));

const contexts: SourceContext[] = [];
after(() => { for (const ctx of contexts) ctx.files.closeAll(); });

function context(cgroupTree: string): SourceContext {
  const ctx = createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture(cgroupTree) });
  contexts.push(ctx);
  return ctx;
}

const DOMAIN = '/machine/qemu-1-vm1.libvirt-qemu';
const SCOPE = '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt';
const V1: CgroupPlacement = { v1: { cpu: DOMAIN, cpuacct: DOMAIN, memory: DOMAIN, blkio: DOMAIN, cpuset: DOMAIN } };
const NICS: StatsNic[] = [
  { index: 0, hostDev: 'vnet0', swapRxTx: true },
  { index: 1, swapRxTx: true },
  { index: 2, hostDev: 'eth0', swapRxTx: false },
  { index: 3, hostDev: 'vnet9', swapRxTx: true },
];

interface Target {
  pid?: number;
  vcpuTids?: readonly number[];
  cgroup?: CgroupPlacement;
}

/** Runs every source the way the collectors will, in bulk-stats group order. */
function sample(ctx: SourceContext, t: Target): SampleFields {
  const target = {
    ref: { name: 'vm1', uuid: 'c7a5fdbd-cdaf-9455-926a-d65c16db1809', id: 1 },
    def: { vcpu: { max: 2, current: 2 } },
    nics: NICS,
    ...t,
  };
  const into: SampleFields = new Map();
  fillCpuTotal(ctx, target, into);
  const rss = readRssKiB(ctx, target);
  if (rss !== undefined) into.set('balloon.rss', rss);
  fillVcpu(ctx, target, into);
  fillInterface(target, sharedNetDev(ctx)(), into);
  fillCgroupExtras(ctx, target, into);
  return into;
}

test('layouts are detected from the cgroup root', () => {
  assert.deepEqual(context('cgroup-v1').cgroups, { layout: 'v1', v1: fixture('cgroup-v1') });
  assert.deepEqual(context('cgroup-hybrid').cgroups,
    { layout: 'hybrid', unified: `${fixture('cgroup-hybrid')}/unified`, v1: fixture('cgroup-hybrid') });
  assert.deepEqual(context('cgroup-v2').cgroups, { layout: 'v2', unified: fixture('cgroup-v2') });
});

test('cgroup v1: cpuacct for cpu.*, memory.usage_in_bytes, cpu.stat throttled_time', () => {
  const f = sample(context('cgroup-v1'), { pid: 4242, vcpuTids: [4250, 4251], cgroup: V1 });
  assert.equal(f.get('cpu.time'), 127710489n);
  assert.equal(f.get('cpu.user'), 90_000_000n); // 9 USER_HZ ticks
  assert.equal(f.get('cpu.system'), 30_000_000n);
  assert.equal(f.get('balloon.rss'), 47192n); // 11798 pages × 4 KiB
  assert.equal(f.get('virtmon.cgroup.memory.current'), 33255424n);
  assert.equal(f.get('virtmon.cgroup.cpu.throttled'), 0n);
});

test('hybrid (this machine): cpu.* from the unified cpu.stat, throttling from v1 cpu', () => {
  const ctx = context('cgroup-hybrid');
  const placement = resolvePlacement(ctx, 4242);
  assert.deepEqual(placement, { unified: DOMAIN, v1: { cpu: DOMAIN, cpuacct: DOMAIN, memory: DOMAIN, blkio: DOMAIN, cpuset: DOMAIN } });
  const f = sample(ctx, { pid: 4242, vcpuTids: [4250, 4251], ...(placement === undefined ? {} : { cgroup: placement }) });
  assert.equal(f.get('cpu.time'), 129_360_000n);
  assert.equal(f.get('cpu.user'), 97_997_000n);
  assert.equal(f.get('cpu.system'), 31_362_000n);
  assert.equal(f.get('virtmon.cgroup.cpu.throttled'), 0n);
  assert.equal(typeof f.get('virtmon.cgroup.memory.current'), 'bigint');
});

test('pure v2 under systemd: the nested libvirt group of the scope, schedstats wait', () => {
  const ctx = context('cgroup-v2');
  const placement = resolvePlacement(ctx, 5252);
  assert.deepEqual(placement, { unified: SCOPE });
  const f = sample(ctx, { pid: 5252, vcpuTids: [5260, 5261], ...(placement === undefined ? {} : { cgroup: placement }) });
  assert.equal(f.get('cpu.time'), 142_395_000n);
  assert.equal(f.get('cpu.user'), 109_934_000n);
  assert.equal(f.get('cpu.system'), 32_461_000n);
  assert.equal(f.get('virtmon.cgroup.memory.current'), 68157440n);
  assert.equal(f.get('virtmon.cgroup.cpu.throttled'), 412_000_000n);
  assert.equal(f.get('vcpu.0.wait'), 123_456_789n);
  assert.equal(f.get('vcpu.1.wait'), 42_000n);
});

test('pure v2 without systemd: /machine/qemu-1-vm1.libvirt-qemu', () => {
  const f = sample(context('cgroup-v2'), { pid: 4242, vcpuTids: [4250, 4251], cgroup: { unified: DOMAIN } });
  assert.equal(f.get('cpu.time'), 150_123_000n);
  assert.equal(f.get('virtmon.cgroup.memory.current'), 70254592n);
  assert.equal(f.get('virtmon.cgroup.cpu.throttled'), 500_000_000n);
});

test('the same domain on v1, hybrid and v2 fixtures gives the same field names in the same order', () => {
  const names = (tree: string, cgroup: CgroupPlacement): string[] =>
    [...sample(context(tree), { pid: 4242, vcpuTids: [4250, 4251], cgroup }).keys()];
  const v1 = names('cgroup-v1', V1);
  assert.deepEqual(names('cgroup-hybrid', { ...V1, unified: DOMAIN }), v1);
  assert.deepEqual(names('cgroup-v2', { unified: SCOPE }), v1);
  assert.deepEqual(names('cgroup-v2', { unified: DOMAIN }), v1);
  assert.deepEqual(v1, [
    'cpu.time', 'cpu.user', 'cpu.system', 'balloon.rss',
    'vcpu.current', 'vcpu.maximum',
    'vcpu.0.state', 'vcpu.0.time', 'vcpu.0.delay', 'vcpu.0.cpu',
    'vcpu.1.state', 'vcpu.1.time', 'vcpu.1.delay', 'vcpu.1.cpu',
    'net.count',
    'net.0.name', 'net.0.rx.bytes', 'net.0.rx.pkts', 'net.0.rx.errs', 'net.0.rx.drop',
    'net.0.tx.bytes', 'net.0.tx.pkts', 'net.0.tx.errs', 'net.0.tx.drop',
    'net.2.name', 'net.2.rx.bytes', 'net.2.rx.pkts', 'net.2.rx.errs', 'net.2.rx.drop',
    'net.2.tx.bytes', 'net.2.tx.pkts', 'net.2.tx.errs', 'net.2.tx.drop',
    'net.3.name',
    'virtmon.cgroup.memory.current', 'virtmon.cgroup.cpu.throttled',
  ]);
});

test('vcpu fields from task stat, schedstat; no wait without schedstats', () => {
  const f = sample(context('cgroup-v1'), { pid: 4242, vcpuTids: [4250, 4251], cgroup: V1 });
  assert.equal(f.get('vcpu.current'), 2);
  assert.equal(f.get('vcpu.maximum'), 2);
  assert.equal(f.get('vcpu.0.state'), 1);
  assert.equal(f.get('vcpu.0.time'), 60_000_000n); // utime 6 + stime 0 ticks
  assert.equal(f.get('vcpu.0.delay'), 1843478n);
  assert.equal(f.get('vcpu.1.delay'), 95589n);
  assert.equal(f.has('vcpu.0.wait'), false);
  assert.equal(f.get('vcpu.0.cpu'), 0);
});

test('interface: tap rx/tx swapped to the guest view, macvtap not, user networking absent', () => {
  const f = sample(context('cgroup-v1'), { pid: 4242 });
  assert.equal(f.get('net.count'), 4);
  assert.equal(f.get('net.0.name'), 'vnet0');
  assert.equal(f.get('net.0.rx.bytes'), 90n); // the host sent 90 bytes into the tap: the guest received them
  assert.equal(f.get('net.0.rx.pkts'), 1n);
  assert.equal(f.get('net.0.tx.bytes'), 0n);
  assert.equal(f.has('net.1.name'), false);
  assert.equal(f.get('net.2.rx.bytes'), 1058318739n);
  assert.equal(f.get('net.2.tx.pkts'), 24840n);
  assert.equal(f.get('net.3.name'), 'vnet9');
  assert.equal(f.has('net.3.rx.bytes'), false);
});

test('/proc/net/dev is read once per shared reader', () => {
  const ctx = context('cgroup-v1');
  const read = sharedNetDev(ctx);
  const first = read();
  assert.ok(first?.has('vnet0'));
  assert.equal(read(), first);
});

test('no cgroup: cpu.* from /proc/PID/stat utime+stime', () => {
  const f = sample(context('cgroup-v1'), { pid: 4242 });
  assert.equal(f.get('cpu.time'), 120_000_000n); // 9 + 3 ticks
  assert.equal(f.get('cpu.user'), 90_000_000n);
  assert.equal(f.get('cpu.system'), 30_000_000n);
  assert.equal(f.has('virtmon.cgroup.memory.current'), false);
});

test('a vanished pid and a removed cgroup give absent fields, not a throw', () => {
  for (const tree of ['cgroup-v1', 'cgroup-hybrid', 'cgroup-v2']) {
    const gone = '/machine/qemu-9-gone.libvirt-qemu';
    const f = sample(context(tree), {
      pid: 999_999, vcpuTids: [1_000_000, 1_000_001],
      cgroup: { unified: gone, v1: { cpu: gone, cpuacct: gone, memory: gone } },
    });
    assert.deepEqual([...f.keys()], ['vcpu.current', 'vcpu.maximum', 'net.count', 'net.0.name', 'net.0.rx.bytes',
      'net.0.rx.pkts', 'net.0.rx.errs', 'net.0.rx.drop', 'net.0.tx.bytes', 'net.0.tx.pkts', 'net.0.tx.errs',
      'net.0.tx.drop', 'net.2.name', 'net.2.rx.bytes', 'net.2.rx.pkts', 'net.2.rx.errs', 'net.2.rx.drop',
      'net.2.tx.bytes', 'net.2.tx.pkts', 'net.2.tx.errs', 'net.2.tx.drop', 'net.3.name'], tree);
  }
  assert.equal(resolvePlacement(context('cgroup-v1'), 999_999), undefined);
});

test('a placement read from the fixture /proc matches the parser', () => {
  assert.deepEqual(resolvePlacement(context('cgroup-v2'), 5252),
    placementFromProcCgroup('0::/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator\n'));
});
