/**
 * A running "QEMU" the qemu driver can take over without QEMU: a sleeping process whose command line
 * carries `-name guest=NAME` and `-uuid UUID` (what the driver checks), a status file in the driver's
 * run directory pointing at a scripted fake QMP server, and the server primed with what the driver
 * asks when it reconnects (query-status, query-cpus-fast). For fault cases real QEMU cannot produce
 * on demand: a monitor EOF mid-operation, a command that never answers, a failed migration.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { DomainState, RunningReason } from '../../src/domain/states.ts';
import { readProcStat } from '../../src/drivers/qemu/proc.ts';
import { writeStatus, type DomainStatus } from '../../src/drivers/qemu/status-file.ts';
import { FakeQmpServer, type FakeStep } from './fake-qmp-server.ts';
import { guestXml } from './qemu-driver.ts';

/** A fake domain ready to be adopted by the next open(). */
export interface FakeDomain {
  readonly name: string;
  readonly uuid: string;
  readonly id: number;
  readonly server: FakeQmpServer;
  readonly proc: ChildProcess;
  readonly pid: number;
  /** The steps the driver's reconnect sends (query-status running, query-cpus-fast). */
  reconnectSteps(): FakeStep[];
  /** Kills the process (SIGKILL) and waits for it. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the process and server and writes the status file into `runDir`. */
export async function fakeDomain(runDir: string, name: string, id: number, options: { onCrash?: string } = {}): Promise<FakeDomain> {
  const uuid = randomUUID();
  const proc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1 << 30)', '--', '-name', `guest=${name},debug-threads=on`, '-uuid', uuid], {
    stdio: 'ignore',
  });
  const pid = proc.pid;
  if (pid === undefined) throw new Error('cannot spawn the fake QEMU process');
  const exited = once(proc, 'exit');
  const server = await FakeQmpServer.start();
  let ticks: number | undefined;
  for (let i = 0; i < 50 && ticks === undefined; i++) {
    ticks = (await readProcStat(pid))?.startTicks;
    if (ticks === undefined) await new Promise((r) => setTimeout(r, 20));
  }
  const xml = guestXml({ name, uuid })
    .replace('</on_poweroff>', `</on_poweroff><on_crash>${options.onCrash ?? 'destroy'}</on_crash>`)
    .replace(/<memballoon.*<\/memballoon>/, "<memballoon model='none'/>");
  const status: DomainStatus = {
    version: 1, name, uuid, id, state: DomainState.RUNNING, reason: RunningReason.BOOTED, persistent: false, autodestroy: false,
    pid, pidStartTicks: ticks ?? 0, startedAt: Date.now(), domainDir: `${runDir}/domain-${id}-${name}`, monitorPath: server.path,
    pidfile: `${runDir}/${name}.pid`, logPath: `${runDir}/${name}.log`, taps: [], vcpuTids: [pid], disks: [
      { index: 0, target: 'vda', qdevId: 'virtio-disk0', formatNode: 'libvirt-1-format', storageNode: 'libvirt-1-storage' },
    ], nics: [],
    flags: { gotShutdown: false, beingDestroyed: false, fakeReboot: false, pausedShutdown: false },
    xml,
  };
  await mkdir(runDir, { recursive: true });
  await writeStatus(`${runDir}/${name}.status.json`, status);
  return {
    name, uuid, id, server, proc, pid,
    reconnectSteps: () => [
      { execute: 'query-status', reply: { return: { status: 'running', running: true, singlestep: false } } },
      { execute: 'query-cpus-fast', reply: { return: [{ 'cpu-index': 0, 'thread-id': pid, 'qom-path': '/machine/unattached/device[0]', target: 'x86_64' }] } },
    ],
    kill: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
    },
    close: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await exited;
      await server.close();
    },
  };
}
