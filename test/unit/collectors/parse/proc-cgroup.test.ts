import { test } from 'node:test';
import assert from 'node:assert/strict';
import { locateDomainGroup, parseProcCgroup, placementFromProcCgroup } from '../../../../src/collectors/parse/proc-cgroup.ts';

// libvirt 9.0 on a hybrid host (libvirt-semantics.md §10): cpu/cpuset/0:: in emulator, memory/blkio on the
// domain group, cpuacct left at the root.
const HYBRID = `12:cpuset:/machine/qemu-3-x.libvirt-qemu/emulator
11:memory:/machine/qemu-3-x.libvirt-qemu
9:name=systemd:/
7:blkio:/machine/qemu-3-x.libvirt-qemu
3:cpuacct:/
1:cpu:/machine/qemu-3-x.libvirt-qemu/emulator
0::/machine/qemu-3-x.libvirt-qemu/emulator
`;

test('v1 lines per controller and the v2 0:: line', () => {
  const p = parseProcCgroup('4:cpu,cpuacct:/machine/qemu-1-vm1.libvirt-qemu/emulator\n2:name=systemd:/x\n0::/a/b\n');
  assert.equal(p.v1.get('cpu'), '/machine/qemu-1-vm1.libvirt-qemu/emulator');
  assert.equal(p.v1.get('cpuacct'), '/machine/qemu-1-vm1.libvirt-qemu/emulator');
  assert.equal(p.v1.get('name=systemd'), '/x');
  assert.equal(p.unified, '/a/b');
  assert.equal(parseProcCgroup('3:memory:/\n').unified, undefined);
});

test('the domain group: a trailing emulator, vcpuN or iothreadN is stripped', () => {
  assert.deepEqual(locateDomainGroup('/machine/qemu-1-vm1.libvirt-qemu/emulator'),
    { group: '/machine/qemu-1-vm1.libvirt-qemu', machine: '/machine/qemu-1-vm1.libvirt-qemu' });
  assert.deepEqual(locateDomainGroup('/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator'), {
    group: '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt',
    machine: '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope',
  });
  assert.equal(locateDomainGroup('/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/vcpu12')?.group,
    '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt');
  assert.equal(locateDomainGroup('/machine/qemu-1-vm1.libvirt-qemu/iothread1')?.group, '/machine/qemu-1-vm1.libvirt-qemu');
  // Only whole leaf names: a group merely ending in those letters stays.
  assert.equal(locateDomainGroup('/machine/my-emulator')?.group, '/machine/my-emulator');
  assert.equal(locateDomainGroup('/'), undefined);
  assert.equal(locateDomainGroup('/emulator'), undefined);
});

test('placement of a libvirt domain on a hybrid host leaves cpuacct out', () => {
  assert.deepEqual(placementFromProcCgroup(HYBRID), {
    unified: '/machine/qemu-3-x.libvirt-qemu',
    v1: {
      cpu: '/machine/qemu-3-x.libvirt-qemu',
      memory: '/machine/qemu-3-x.libvirt-qemu',
      blkio: '/machine/qemu-3-x.libvirt-qemu',
      cpuset: '/machine/qemu-3-x.libvirt-qemu',
    },
  });
});

test('placement on a pure v2 systemd host is the nested libvirt group', () => {
  assert.deepEqual(placementFromProcCgroup('0::/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/emulator\n'),
    { unified: '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt' });
  assert.deepEqual(placementFromProcCgroup('0::/\n'), {});
});
