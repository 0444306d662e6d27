/**
 * virDomainSaveFlags and virDomainManagedSave (qemuDomainSaveInternal): `stop` (PAUSED/saving),
 * unlimited migration bandwidth, then QEMU migrates to a unix socket Node listens on and Node writes
 * the image (libvirt's header, marked partial until the stream is complete and synced). query-migrate
 * is polled until `completed`; then QEMU is stopped: SHUTOFF/saved + STOPPED/SAVED. On failure the
 * partial image is removed and a guest the save paused gets `cont` (RUNNING/save canceled).
 */
import { createWriteStream } from 'node:fs';
import { mkdir, open, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { LifecycleType, ResumedDetail, StoppedDetail } from '../../../domain/events.ts';
import { DomainState, PausedReason, RunningReason, ShutoffReason } from '../../../domain/states.ts';
import { formatDomainXml } from '../../../domain/xml-format.ts';
import { checkManagedSave, checkSave, checkSaveFlags } from '../../common/lifecycle-rules.ts';
import type { SaveFlags } from '../../driver.ts';
import type { QemuDomain, QemuHost } from '../host.ts';
import { killPainfully } from '../proc.ts';
import { encodeSaveHeader, markComplete } from '../save-image.ts';
import { stopRun } from '../stop.ts';
import { executeAndAwait, requireMonitor, waitForMigration } from './common.ts';

/** QEMU's largest migration bandwidth that JSON carries exactly (bytes/s): effectively unlimited. */
const UNLIMITED_BANDWIDTH = Number.MAX_SAFE_INTEGER;

/** Listens on `sockPath`; the first connection's bytes go into `path` from `offset`. */
async function receiveInto(sockPath: string, path: string, offset: number): Promise<{ server: Server; done: Promise<void> }> {
  const server = createServer();
  const done = new Promise<void>((resolve, reject) => {
    server.once('connection', (socket: Socket) => {
      server.close();
      pipeline(socket, createWriteStream(path, { flags: 'r+', start: offset })).then(resolve, reject);
    });
  });
  done.catch(() => undefined);
  server.listen(sockPath);
  await once(server, 'listening');
  return { server, done };
}

/** Saves the running domain's state to `path` and stops it. Caller holds the job. */
async function saveToFile(host: QemuHost, obj: QemuDomain, path: string, flags: SaveFlags): Promise<void> {
  const { run, qmp } = requireMonitor(obj);
  const wasRunning = flags.running === true ? true : flags.paused === true ? false : obj.state === DomainState.RUNNING;
  const xml = formatDomainXml(obj.def);
  run.asyncJob = 'save';
  await host.saveStatus(obj);
  let pausedBySave = false;
  let server: Server | undefined;
  const sock = `${run.domainDir}/save.sock`;
  try {
    if (obj.state === DomainState.RUNNING) {
      run.pausedIntent = PausedReason.SAVE;
      await executeAndAwait(qmp, 'stop', 'STOP', host.settings.qmpTimeoutMs);
      pausedBySave = true;
    }
    await qmp.execute('migrate-set-parameters', { 'max-bandwidth': UNLIMITED_BANDWIDTH });
    await mkdir(run.domainDir, { recursive: true, mode: 0o700 });
    const header = encodeSaveHeader(xml, wasRunning);
    await writeFile(path, header, { mode: 0o600 });
    const receiver = await receiveInto(sock, path, header.length);
    server = receiver.server;
    await qmp.execute('migrate', { uri: `unix:${sock}` });
    await waitForMigration(qmp, 'domain save');
    await receiver.done;
    const fh = await open(path, 'r+');
    try {
      await markComplete(fh);
    } finally {
      await fh.close();
    }
  } catch (err) {
    run.pausedIntent = undefined;
    server?.close();
    await rm(path, { force: true });
    await rm(sock, { force: true });
    run.asyncJob = undefined;
    if (pausedBySave && obj.priv.run === run && run.qmp !== undefined && obj.state === DomainState.PAUSED) {
      run.runningIntent = { reason: RunningReason.SAVE_CANCELED, event: { type: LifecycleType.RESUMED, detail: ResumedDetail.UNPAUSED } };
      await run.qmp.execute('cont').catch((e: unknown) => { host.log.error({ err: e, domain: obj.name }, 'cannot resume after a failed save'); });
    }
    await host.saveStatus(obj).catch(() => undefined);
    throw err;
  }
  server.close();
  run.stopping = true;
  await killPainfully(run.pid, run.pidStartTicks);
  await stopRun(host, obj, run, ShutoffReason.SAVED, StoppedDetail.SAVED);
}

/** virDomainSaveFlags. */
export async function save(host: QemuHost, dom: DomainRef, path: string, flags: SaveFlags): Promise<void> {
  checkSaveFlags(flags);
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainSaveFlags', async () => {
    checkSave(obj);
    await saveToFile(host, obj, path, flags);
  });
}

/** virDomainManagedSave: to save/NAME.save; the next start restores it. */
export async function managedSave(host: QemuHost, dom: DomainRef, flags: SaveFlags): Promise<void> {
  checkSaveFlags(flags);
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainManagedSave', async () => {
    checkManagedSave(obj);
    await saveToFile(host, obj, host.paths.managedSaveFile(obj.name), flags);
    obj.hasManagedSave = true;
  });
}

/** virDomainManagedSaveRemove: succeeds whether or not there was an image. */
export async function managedSaveRemove(host: QemuHost, dom: DomainRef): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainManagedSaveRemove', async () => {
    await rm(host.paths.managedSaveFile(obj.name), { force: true });
    obj.hasManagedSave = false;
  });
}
