/**
 * A qemu driver environment for system tests: temp state/run/log directories, a unique `vmt` cgroup
 * partition and tap prefix, the driver opened on them, domain XML for the test guest, and a sweep that
 * removes everything the environment made even when a test failed halfway: every QEMU whose command
 * line points into the temp dir, every tap with the prefix, the cgroup partition in every hierarchy.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFile, readdir, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { recordingLogger, type RecordedLog } from '../../src/domain/logger.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { openConnection, type Connection } from '../../src/drivers/dispatch.ts';
import type { QmpObserver } from '../../src/domain/qmp-observer.ts';
import { qemuDriver } from '../../src/drivers/qemu/driver.ts';
import { parseUri } from '../../src/drivers/uri.ts';
import { shortTempDir, type ShortTempDir } from './tmp-socket.ts';

const exec = promisify(execFile);

/** One test's driver environment. */
export interface QemuDriverEnv {
  readonly tmp: ShortTempDir;
  /** Settings to pass to open(): directories, cgroup partition, tap prefix. */
  readonly settings: Record<string, unknown>;
  /** `vmt…`, unique: prefix of generated taps and of names the test gives taps. */
  readonly tapPrefix: string;
  /** Absolute cgroup partition (`/vmt…`). */
  readonly partition: string;
  readonly logs: RecordedLog[];
  /** Opens qemu:///system on the environment (extra settings merged in; a QMP observer if given). */
  open(extra?: Record<string, unknown>, qmpObserver?: QmpObserver): Promise<Connection>;
  /** Kills QEMUs, removes taps, cgroups and the temp dir. Safe to call twice. */
  sweep(): Promise<void>;
}

/** Makes an environment; register `sweep` in after() right away. */
export async function qemuDriverEnv(tag = 'd'): Promise<QemuDriverEnv> {
  const tmp = await shortTempDir(tag);
  const unique = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`.slice(0, 7);
  const tapPrefix = `vmt${unique}`;
  const partition = `/vmt${unique}`;
  const logs: RecordedLog[] = [];
  const settings: Record<string, unknown> = {
    stateDir: tmp.path('state'), runDir: tmp.path('run'), logDir: tmp.path('log'),
    cgroupPartition: partition, tapPrefix, qmpTimeoutMs: 20_000,
  };
  return {
    tmp, settings, tapPrefix, partition, logs,
    open: (extra = {}, qmpObserver) => openConnection(parseUri('qemu:///system'), [qemuDriver], {
      settings: { ...settings, ...extra }, logger: recordingLogger(logs), ...(qmpObserver === undefined ? {} : { qmpObserver }),
    }),
    sweep: async () => {
      for (const pid of await pidsReferencing(tmp.dir)) {
        try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ }
      }
      await sleepUntilGone(tmp.dir);
      for (const tap of await tapsWithPrefix(tapPrefix)) await exec('ip', ['link', 'del', 'dev', tap]).catch(() => undefined);
      await removeCgroupTrees(partition);
      await tmp.remove();
    },
  };
}

/** Pids whose command line mentions `text`. */
export async function pidsReferencing(text: string): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    const cmd = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmd.includes(text) && cmd.includes('qemu-system')) out.push(Number(entry));
  }
  return out;
}

async function sleepUntilGone(text: string): Promise<void> {
  for (let i = 0; i < 50 && (await pidsReferencing(text)).length > 0; i++) await new Promise((r) => setTimeout(r, 100));
}

/** Network devices whose name starts with `prefix`. */
export async function tapsWithPrefix(prefix: string): Promise<string[]> {
  return (await readdir('/sys/class/net')).filter((n) => n.startsWith(prefix));
}

/** Every directory of the cgroup tree `partition` in every hierarchy under /sys/fs/cgroup. */
export async function cgroupDirsUnder(partition: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    out.push(dir);
    for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name));
  };
  for (const h of await readdir('/sys/fs/cgroup')) await walk(join('/sys/fs/cgroup', h, partition));
  return out;
}

async function removeCgroupTrees(partition: string): Promise<void> {
  const dirs = await cgroupDirsUnder(partition);
  for (const dir of dirs.sort((a, b) => b.length - a.length)) await rmdir(dir).catch(() => undefined);
}

/** A domain's test-guest XML. */
export interface GuestXmlOptions {
  readonly name: string;
  readonly uuid?: string;
  readonly type?: 'qemu' | 'kvm';
  readonly memoryMiB?: number;
  /** Kernel, initrd and command line of the test guest; without it the VM sits in the BIOS. */
  readonly guest?: { readonly kernel: string; readonly initrd: string; readonly append: string };
  readonly disk?: string;
  readonly tap?: { readonly name: string; readonly hostCidr?: string };
  readonly serialLog?: string;
  readonly machine?: string;
  readonly emulator?: string;
  readonly onPoweroff?: string;
}

/** Domain XML the way an operator writes it. */
export function guestXml(o: GuestXmlOptions): string {
  const mem = o.memoryMiB ?? 128;
  const os = o.guest === undefined ? '' : `<kernel>${o.guest.kernel}</kernel><initrd>${o.guest.initrd}</initrd><cmdline>${o.guest.append}</cmdline>`;
  const ip = o.tap?.hostCidr === undefined ? '' : `<ip address='${o.tap.hostCidr.split('/')[0] ?? ''}' prefix='${o.tap.hostCidr.split('/')[1] ?? '24'}'/>`;
  return `<domain type='${o.type ?? 'qemu'}'>
  <name>${o.name}</name>
  <uuid>${o.uuid ?? randomUUID()}</uuid>
  <memory unit='MiB'>${mem}</memory>
  <currentMemory unit='MiB'>${mem}</currentMemory>
  <vcpu>1</vcpu>
  <os><type arch='x86_64' machine='${o.machine ?? 'pc'}'>hvm</type>${os}</os>
  <on_poweroff>${o.onPoweroff ?? 'destroy'}</on_poweroff>
  <devices>
    ${o.emulator === undefined ? '' : `<emulator>${o.emulator}</emulator>`}
    ${o.disk === undefined ? '' : `<disk type='file' device='disk'><driver name='qemu' type='raw'/><source file='${o.disk}'/><target dev='vda' bus='virtio'/></disk>`}
    ${o.tap === undefined ? '' : `<interface type='ethernet'><mac address='52:54:00:${randomBytes(3).toString('hex').match(/../g)?.join(':') ?? '00:00:01'}'/><target dev='${o.tap.name}'/><model type='virtio'/>${ip}</interface>`}
    ${o.serialLog === undefined ? '' : `<serial type='file'><source path='${o.serialLog}'/></serial>`}
    <memballoon model='virtio'><stats period='1'/></memballoon>
  </devices>
</domain>`;
}

/** Collects the events of a connection. */
export function recordEvents(conn: Connection): { events: DomainEvent[]; lifecycle(name?: string): string[]; stop(): void } {
  const events: DomainEvent[] = [];
  const stop = conn.onDomainEvent((e) => events.push(e));
  return {
    events,
    lifecycle: (name) => events.filter((e) => e.kind === 'lifecycle' && (name === undefined || e.domain.name === name))
      .map((e) => (e.kind === 'lifecycle' ? `${e.type}/${e.detail}` : '')),
    stop,
  };
}

/** A raw disk image of `mib` MiB. */
export async function rawDisk(path: string, mib = 8): Promise<string> {
  await writeFile(path, Buffer.alloc(mib * 1024 * 1024));
  return path;
}
