/**
 * Restoring a save image (qemuSaveImageStartVM): launch with `-incoming defer`, `migrate-incoming
 * uri=unix:SOCK`, Node connects and streams the image's migration stream, poll query-migrate until
 * `completed`; then STARTED/RESTORED and `cont` (RUNNING/restored) when the image says it was running,
 * else SUSPENDED/RESTORED (or /PAUSED when the caller asked for paused). Used by virDomainRestore and by
 * a start with a managed-save image.
 */
import { createReadStream } from 'node:fs';
import { createConnection } from 'node:net';
import type { Socket } from 'node:net';
import { rm } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { VirtmonError } from '../../../domain/errors.ts';
import { LifecycleType, StartedDetail, StoppedDetail, SuspendedDetail } from '../../../domain/events.ts';
import { RunningReason, ShutoffReason } from '../../../domain/states.ts';
import { checkSaveFlags } from '../../common/lifecycle-rules.ts';
import type { SaveFlags } from '../../driver.ts';
import { parseQemuDomainXml } from '../definitions.ts';
import type { QemuDomain, QemuHost } from '../host.ts';
import { launch } from '../launch.ts';
import { readSaveImageInfo } from '../save-image.ts';
import type { SaveImageInfo } from '../save-image.ts';
import { stopRun } from '../stop.ts';
import type { QmpClient } from '../qmp/client.ts';
import { contWithRetry, requireMonitor, rollbackUnstarted } from './common.ts';

/** Connects to QEMU's incoming-migration socket, retrying while it is not there yet. */
async function connectIncoming(path: string): Promise<Socket> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const s = createConnection({ path });
        s.once('connect', () => { s.off('error', reject); resolve(s); });
        s.once('error', reject);
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ECONNREFUSED') || attempt >= 100) throw err;
      await sleep(50);
    }
  }
}

/**
 * Streams the image's migration stream into QEMU. QEMU may close its end as soon as it has read the
 * stream's end marker, so how the socket ends says nothing: query-migrate tells success from failure.
 */
async function streamImage(path: string, offset: number, socketPath: string): Promise<void> {
  const socket = await connectIncoming(socketPath);
  await new Promise<void>((resolve, reject) => {
    const file = createReadStream(path, { start: offset });
    file.once('error', (err) => {
      socket.destroy();
      reject(err);
    });
    socket.on('error', () => undefined);
    socket.once('close', () => resolve());
    file.pipe(socket);
  });
}

/** Polls query-migrate until the incoming migration completes; after the stream ended it gets `graceMs`. */
async function waitForIncoming(qmp: QmpClient, streamed: Promise<void>, graceMs: number): Promise<void> {
  let endedAt: number | undefined;
  let failure: Error | undefined;
  streamed.then(() => { endedAt = performance.now(); }, (err: unknown) => { failure = err instanceof Error ? err : new Error(String(err)); });
  for (;;) {
    if (failure !== undefined) throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `cannot stream the save image to QEMU: ${failure.message}`, { cause: failure });
    const info = await qmp.execute('query-migrate');
    if (info.status === 'completed') return;
    if (info.status === 'failed' || info.status === 'cancelled') {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED', info['error-desc'] === undefined
        ? "job 'migration in' unexpectedly failed" : `job 'migration in' failed: ${info['error-desc']}`);
    }
    if (endedAt !== undefined && performance.now() - endedAt > graceMs) {
      throw new VirtmonError('VIR_ERR_OPERATION_FAILED', "job 'migration in' did not complete after the whole image was sent");
    }
    await sleep(50);
  }
}

/** Starts `obj` (its definition already the image's) from the image at `path`. Caller holds the job. */
export async function restoreImage(host: QemuHost, obj: QemuDomain, path: string, info: SaveImageInfo, flags: SaveFlags): Promise<void> {
  const run = await launch(host, obj, { paused: true, incoming: true });
  let started = false;
  try {
    const { qmp } = requireMonitor(obj);
    const sock = `${run.domainDir}/restore.sock`;
    await qmp.execute('migrate-incoming', { uri: `unix:${sock}` });
    const streamed = streamImage(path, info.streamOffset, sock);
    streamed.catch(() => undefined);
    await waitForIncoming(qmp, streamed, 30_000);
    run.asyncJob = undefined;
    started = true;
    host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.RESTORED);
    const running = flags.running === true || (info.wasRunning && flags.paused !== true);
    if (running) {
      run.runningIntent = { reason: RunningReason.RESTORED, event: undefined };
      const resumed = qmp.waitForEvent('RESUME', undefined, host.settings.qmpTimeoutMs);
      resumed.catch(() => undefined);
      await contWithRetry(qmp);
      await resumed;
    } else {
      host.lifecycle(obj, LifecycleType.SUSPENDED, flags.paused === true ? SuspendedDetail.PAUSED : SuspendedDetail.RESTORED);
    }
    await host.saveStatus(obj);
  } catch (err) {
    run.stopping = true;
    await stopRun(host, obj, run, ShutoffReason.FAILED, started ? StoppedDetail.FAILED : undefined);
    throw err;
  }
}

/** Reads an image and checks its definition. */
async function imageDefinition(path: string): Promise<{ info: SaveImageInfo; def: ReturnType<typeof parseQemuDomainXml> }> {
  const info = await readSaveImageInfo(path);
  return { info, def: parseQemuDomainXml(info.xml) };
}

/** virDomainRestoreFlags: a new start from the image (transient unless a definition with its UUID exists). */
export async function restore(host: QemuHost, path: string, flags: SaveFlags): Promise<DomainRef> {
  checkSaveFlags(flags);
  const { info, def } = await imageDefinition(path);
  const { obj } = host.domains.add(def, { live: true, checkLive: true });
  try {
    await host.job(obj, 'virDomainRestoreFlags', () => restoreImage(host, obj, path, info, flags));
  } catch (err) {
    rollbackUnstarted(host, obj);
    throw err;
  }
  return obj.ref;
}

/** A start with a managed-save image: restore it, then delete it. Caller holds the job. */
export async function restoreManaged(host: QemuHost, obj: QemuDomain, paused: boolean): Promise<void> {
  const path = host.paths.managedSaveFile(obj.name);
  const { info, def } = await imageDefinition(path);
  if (def.uuid !== obj.uuid || def.name !== obj.name) {
    throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `managed save image '${path}' belongs to domain '${def.name}' (${def.uuid})`);
  }
  host.domains.add(def, { live: true });
  try {
    await restoreImage(host, obj, path, info, paused ? { paused: true } : {});
  } catch (err) {
    rollbackUnstarted(host, obj);
    obj.hasManagedSave = true;
    throw err;
  }
  await rm(path, { force: true });
  obj.hasManagedSave = false;
}
