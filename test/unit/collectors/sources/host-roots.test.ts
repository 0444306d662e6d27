import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_HOST_CONSTANTS, detectHostConstants, ticksToNs } from '../../../../src/collectors/sources/host.ts';
import { groupFile } from '../../../../src/collectors/sources/roots.ts';

test('host constants come from getconf, with the defaults for what it cannot say', () => {
  assert.deepEqual(detectHostConstants((name) => (name === 'CLK_TCK' ? '250\n' : '16384\n')), { clockTicks: 250, pageSize: 16384 });
  assert.deepEqual(detectHostConstants(() => 'undefined\n'), DEFAULT_HOST_CONSTANTS);
  assert.deepEqual(detectHostConstants(() => { throw new Error('ENOENT'); }), DEFAULT_HOST_CONSTANTS);
  // This machine's real getconf.
  const real = detectHostConstants();
  assert.ok(real.clockTicks > 0 && real.pageSize >= 4096);
});

test('clock ticks convert to ns exactly', () => {
  assert.equal(ticksToNs(12n, { clockTicks: 100, pageSize: 4096 }), 120_000_000n);
  assert.equal(ticksToNs(9007199254740993n, { clockTicks: 100, pageSize: 4096 }), 90071992547409930000000n);
  assert.equal(ticksToNs(1n, { clockTicks: 250, pageSize: 4096 }), 4_000_000n);
});

test('group files: the root group is never a domain group', () => {
  assert.equal(groupFile('/sys/fs/cgroup/unified', '/machine/qemu-1-vm1.libvirt-qemu', 'cpu.stat'),
    '/sys/fs/cgroup/unified/machine/qemu-1-vm1.libvirt-qemu/cpu.stat');
  assert.equal(groupFile('/sys/fs/cgroup', 'machine.slice/x.scope/', 'memory.current'), '/sys/fs/cgroup/machine.slice/x.scope/memory.current');
  assert.equal(groupFile('/sys/fs/cgroup/cpuacct', '/', 'cpuacct.usage'), undefined);
  assert.equal(groupFile('/sys/fs/cgroup/cpuacct', '', 'cpuacct.usage'), undefined);
  assert.equal(groupFile(undefined, '/machine', 'cpu.stat'), undefined);
  assert.equal(groupFile('/sys/fs/cgroup', undefined, 'cpu.stat'), undefined);
});
