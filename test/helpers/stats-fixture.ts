/**
 * The fixture domain `vm1` as a StatsTarget for collector tests: the captured /proc and cgroup trees
 * (test/fixtures/README.collectors.md) and a fake QMP monitor that answers the stats commands with the
 * captured QEMU 7.2 replies (test/fixtures/qmp/stats-replies-vm1.json), for as many cycles as asked.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { QmpClient } from '../../src/drivers/qemu/qmp/client.ts';
import { createSourceContext, type SourceContext } from '../../src/collectors/sources/context.ts';
import type { CgroupPlacement, StatsTarget } from '../../src/domain/stats-target.ts';
import { DomainState, type StateWithReason } from '../../src/domain/states.ts';
import { FakeQmpServer, type FakeQmpServerOptions, type FakeRequest, type FakeStep } from './fake-qmp-server.ts';
import { makeDef, nic } from './domain-def.ts';

/** Absolute path of a fixture. */
export const fixture = (name: string): string => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

/** The captured replies by command (`query-blockstats`, `query-named-block-nodes`, `query-balloon`, `guest-stats`). */
export const VM1_REPLIES = JSON.parse(readFileSync(fixture('qmp/stats-replies-vm1.json'), 'utf8')) as Record<string, unknown>;

/** The canned answer to a stats command, or undefined for any other command. */
export function vm1Reply(req: FakeRequest): FakeStep | undefined {
  switch (req.execute) {
    case 'query-blockstats': return { execute: req.execute, reply: { return: VM1_REPLIES['query-blockstats'] } };
    case 'query-named-block-nodes': return { execute: req.execute, reply: { return: VM1_REPLIES['query-named-block-nodes'] } };
    case 'query-balloon': return { execute: req.execute, reply: { return: VM1_REPLIES['query-balloon'] } };
    case 'qom-get': return { execute: req.execute, reply: { return: VM1_REPLIES['guest-stats'] } };
    default: return undefined;
  }
}

/** A fake monitor for vm1 and a connected client. */
export interface Vm1Monitor {
  readonly server: FakeQmpServer;
  readonly client: QmpClient;
  close(): Promise<void>;
}

/** Starts a fake monitor answering with vm1's replies (override per request with `fallback`). */
export async function startVm1Monitor(options: FakeQmpServerOptions = {}): Promise<Vm1Monitor> {
  const server = await FakeQmpServer.start({ fallback: vm1Reply, ...options });
  const client = new QmpClient({ path: server.path, connectTimeoutMs: 5000 });
  await client.connect();
  return {
    server,
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}

/** The libvirt placement of vm1 on the v1 and hybrid fixture trees. */
export const VM1_GROUP = '/machine/qemu-1-vm1.libvirt-qemu';
/** The systemd placement on the v2 fixture tree. */
export const VM1_SCOPE = '/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt';

/** Source context on a fixture cgroup tree (`cgroup-v1`, `cgroup-hybrid`, `cgroup-v2`). */
export function fixtureSources(cgroupTree: string): SourceContext {
  return createSourceContext({ proc: fixture('proc'), sys: fixture('sys'), cgroup: fixture(cgroupTree) });
}

/** vm1's placement on a fixture tree. */
export function vm1Placement(cgroupTree: string): { pid: number; vcpuTids: number[]; cgroup: CgroupPlacement } {
  const v1 = { cpu: VM1_GROUP, cpuacct: VM1_GROUP, memory: VM1_GROUP, blkio: VM1_GROUP, cpuset: VM1_GROUP };
  switch (cgroupTree) {
    case 'cgroup-v1': return { pid: 4242, vcpuTids: [4250, 4251], cgroup: { v1 } };
    case 'cgroup-hybrid': return { pid: 4242, vcpuTids: [4250, 4251], cgroup: { unified: VM1_GROUP, v1 } };
    case 'cgroup-v2': return { pid: 5252, vcpuTids: [5260, 5261], cgroup: { unified: VM1_SCOPE } };
    default: throw new Error(`no placement for ${cgroupTree}`);
  }
}

/** vm1 as a running qemu domain: 2 vCPUs, a tap, a virtio qcow2 disk and an ide raw disk, a balloon with stats. */
export function vm1Target(cgroupTree: string, qmp: StatsTarget['qmp'], state: StateWithReason = { state: DomainState.RUNNING, reason: 1 }): StatsTarget {
  const uuid = 'c7a5fdbd-cdaf-9455-926a-d65c16db1809';
  const def = makeDef('vm1', uuid, {
    type: 'qemu',
    memoryKiB: 65536,
    currentMemoryKiB: 65536,
  });
  const withStats = { ...def, devices: { ...def.devices, interfaces: [nic('vnet0')], memballoon: { model: 'virtio', statsPeriod: 5, extra: [] } } };
  return {
    ref: { name: 'vm1', uuid, id: 1 },
    def: withStats,
    state: () => state,
    persistent: true,
    ...vm1Placement(cgroupTree),
    ...(qmp === undefined ? {} : { qmp }),
    balloonQomPath: '/machine/peripheral/balloon0',
    disks: [
      { index: 0, target: 'vda', path: '/var/lib/virtmon/images/disk0.qcow2', qdevId: 'virtio-disk0', formatNode: 'libvirt-2-format', storageNode: 'libvirt-2-storage' },
      { index: 1, target: 'hda', path: '/var/lib/virtmon/images/disk1.raw', qdevId: 'ide0-0-0', formatNode: 'libvirt-1-format', storageNode: 'libvirt-1-storage' },
    ],
    nics: [{ index: 0, hostDev: 'vnet0', swapRxTx: true }],
  };
}
