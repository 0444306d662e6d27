/**
 * The shared fixture of bench/peers (performance.md §8.2): K small transient QEMU VMs created through
 * libvirtd (qemu:///system) running the cached test guest under TCG: 1 vCPU, 96 MiB, 2 virtio qcow2
 * disks, 1 virtio NIC on a tap, a balloon with `<stats period='5'/>`. Each also gets a second QMP
 * monitor through `<qemu:commandline>` for virtmon, so every tool observes the same VMs (libvirt marks
 * them tainted: custom-argv). For virtmon each VM becomes a StatsTarget as its qemu driver would build
 * it: pid from libvirt's pidfile, vCPU tids from query-cpus-fast, cgroup from /proc/PID/cgroup, disk
 * node names and qdev ids from query-block.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { placementFromProcCgroup } from '../../src/collectors/parse/proc-cgroup.ts';
import { DomainState } from '../../src/domain/states.ts';
import type { StatsDisk, StatsTarget } from '../../src/domain/stats-target.ts';
import { parseDomainXml } from '../../src/domain/xml-parse.ts';
import { QmpClient } from '../../src/drivers/qemu/qmp/client.ts';
import { locateTestGuest } from '../../test/helpers/test-guest.ts';
import { virsh } from './libvirt.ts';

/** The running VMs. */
export interface PeerVms {
  readonly names: readonly string[];
  readonly qemuPids: readonly number[];
  readonly targets: readonly StatsTarget[];
  close(): Promise<void>;
}

function domainXml(dir: string, name: string, tap: string, append: string): string {
  const disk = (file: string, dev: string): string => `<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>`
    + `<source file='${join(dir, file)}'/><target dev='${dev}' bus='virtio'/></disk>`;
  return `<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>
  <name>${name}</name><memory unit='MiB'>96</memory><vcpu>1</vcpu>
  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>${join(dir, 'vmlinuz')}</kernel><initrd>${join(dir, 'initrd.gz')}</initrd><cmdline>${append}</cmdline></os>
  <devices>
    ${disk(`${name}-a.qcow2`, 'vda')}
    ${disk(`${name}-b.qcow2`, 'vdb')}
    <interface type='ethernet'><target dev='${tap}'/><model type='virtio'/></interface>
    <serial type='file'><source path='${join(dir, `${name}.serial.log`)}'/></serial>
    <memballoon model='virtio'><stats period='5'/></memballoon>
  </devices>
  <qemu:commandline><qemu:arg value='-qmp'/><qemu:arg value='unix:${join(dir, `${name}.qmp`)},server=on,wait=off'/></qemu:commandline>
</domain>`;
}

interface QueryBlockEntry { qdev?: string; inserted?: { 'node-name'?: string; file?: string } }

/** Creates `count` VMs and connects virtmon's monitors; everything is undone by close(). */
export async function startVms(count: number): Promise<PeerVms> {
  const guest = locateTestGuest();
  // libvirt runs QEMU as libvirt-qemu: the files must be reachable outside /root.
  const dir = mkdtempSync('/var/tmp/vmtp-');
  chmodSync(dir, 0o777);
  for (const f of ['vmlinuz', 'initrd.gz']) {
    copyFileSync(join(guest.dir, f), join(dir, f));
    chmodSync(join(dir, f), 0o644);
  }
  const names: string[] = [];
  const clients: QmpClient[] = [];
  const close = async (): Promise<void> => {
    await Promise.all(clients.map((c) => c.close().catch(() => undefined)));
    for (const name of names) await virsh(['destroy', name]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const tag = process.pid.toString(36);
    for (let i = 0; i < count; i++) {
      const name = `vmtp-${tag}-${i}`;
      for (const d of ['a', 'b']) execFileSync('qemu-img', ['create', '-q', '-f', 'qcow2', join(dir, `${name}-${d}.qcow2`), '64M']);
      const xmlPath = join(dir, `${name}.xml`);
      writeFileSync(xmlPath, domainXml(dir, name, `vmtp${tag}${i}`.slice(0, 15), guest.manifest.append));
      await virsh(['create', xmlPath]);
      names.push(name);
    }
    const targets: StatsTarget[] = [];
    const qemuPids: number[] = [];
    for (const [i, name] of names.entries()) {
      const pid = Number(readFileSync(`/run/libvirt/qemu/${name}.pid`, 'utf8').trim());
      qemuPids.push(pid);
      const sock = join(dir, `${name}.qmp`);
      for (let k = 0; k < 100 && !existsSync(sock); k++) await sleep(100);
      const client = new QmpClient({ path: sock });
      await client.connect();
      clients.push(client);
      const cpus = await client.execute<Array<{ 'thread-id': number }>>('query-cpus-fast');
      const blocks = await client.execute<QueryBlockEntry[]>('query-block');
      const disks: StatsDisk[] = blocks.filter((b) => b.inserted !== undefined).map((b, index) => {
        const formatNode = b.inserted?.['node-name'];
        const qdevId = b.qdev?.replace(/^\/machine\/peripheral\//, '').replace(/\/virtio-backend$/, '');
        return {
          index, target: `vd${'abcdefgh'[index]}`,
          ...(b.inserted?.file === undefined ? {} : { path: b.inserted.file }),
          ...(qdevId === undefined ? {} : { qdevId }),
          ...(formatNode === undefined ? {} : { formatNode, storageNode: formatNode.replace(/-format$/, '-storage') }),
        };
      });
      const def = parseDomainXml(readFileSync(join(dir, `${name}.xml`), 'utf8'));
      const tap = def.devices.interfaces[0]?.targetDev;
      targets.push({
        ref: { name, uuid: def.uuid, id: i + 1 }, def, persistent: false,
        state: () => ({ state: DomainState.RUNNING, reason: 1 }),
        pid, vcpuTids: cpus.map((c) => c['thread-id']), qmp: client, balloonQomPath: '/machine/peripheral/balloon0',
        cgroup: placementFromProcCgroup(readFileSync(`/proc/${pid}/cgroup`, 'utf8')),
        disks, nics: [{ index: 0, ...(tap === undefined ? {} : { hostDev: tap }), swapRxTx: true }],
      });
    }
    return { names, qemuPids, targets, close };
  } catch (error) {
    await close();
    throw error;
  }
}
