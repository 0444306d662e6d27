/**
 * Launching QEMU for a domain in libvirt's order (libvirt-semantics.md §6, qemuProcessStart): checks,
 * taps, early status file, spawn (detached, -S), cgroups, monitor, vCPU threads into their groups,
 * balloon target and stats polling, `query-block`/`query-balloon`, then `cont` (or stay paused), the
 * status file and STARTED/BOOTED. Any failure kills QEMU, removes taps, cgroups and sockets, and
 * leaves the domain SHUTOFF/failed; the error says why, with QEMU's own last words when it had any.
 */
import { mkdir } from 'node:fs/promises';
import type { DomainDef, InterfaceDef } from '../../domain/def.ts';
import { VirtmonError } from '../../domain/errors.ts';
import { LifecycleType, StartedDetail, SuspendedDetail } from '../../domain/events.ts';
import { DomainState, PausedReason, RunningReason, ShutoffReason } from '../../domain/states.ts';
import { buildQemuCommandLine } from './argv.ts';
import type { QemuCommandLine } from './argv.ts';
import type { QemuDomain, QemuHost } from './host.ts';
import { connectMonitor } from './monitor.ts';
import { checkDiskSources, chooseAccel } from './preflight.ts';
import { isAlive, readProcStat } from './proc.ts';
import type { QmpClient } from './qmp/client.ts';
import { queryVcpuTids } from './reconcile.ts';
import { newRun } from './run.ts';
import type { QemuRun } from './run.ts';
import { checkEmulator, readLogTail, spawnQemu } from './spawn.ts';
import { stopRun } from './stop.ts';
import { checkTapName, createTap, generateTapNames, isUnmanagedTap, requireExistingTap, tapSetupOf } from './tap.ts';

/** How to launch. */
export interface LaunchOptions {
  /** Leave the vCPUs stopped: PAUSED/user, STARTED/BOOTED then SUSPENDED/PAUSED. */
  readonly paused: boolean;
  /** `-incoming defer` (restore): returns PAUSED/migrating before `cont`; the caller streams the image. */
  readonly incoming: boolean;
}

const TAP_TYPES = new Set(['ethernet', 'bridge']);

/** The tap name of each interface (undefined for user networking), generated where the definition has none. */
async function planTaps(host: QemuHost, def: DomainDef): Promise<(string | undefined)[]> {
  const nics = def.devices.interfaces;
  for (const n of nics) {
    if (n.type === 'network') {
      throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED',
        "interface type 'network' needs a libvirt virtual network, which virtmon does not manage: use type='bridge' or 'ethernet'");
    }
    if (n.targetDev !== undefined && TAP_TYPES.has(n.type)) checkTapName(n.targetDev);
  }
  const missing = nics.filter((n) => TAP_TYPES.has(n.type) && n.targetDev === undefined).length;
  const generated = await generateTapNames(missing, host.settings.tapPrefix, host.reservedTaps);
  return nics.map((n) => (TAP_TYPES.has(n.type) ? (n.targetDev ?? generated.shift()) : undefined));
}

/** Builds the command line (also used before anything happens, to refuse what QEMU cannot run). */
function commandLine(host: QemuHost, def: DomainDef, run: Pick<QemuRun, 'monitorPath' | 'pidfile'>, taps: readonly (string | undefined)[],
  accel: 'kvm' | 'tcg', incoming: boolean, serialLog: string): QemuCommandLine {
  const emulator = def.devices.emulator ?? host.settings.emulator;
  const forArgv = emulator === undefined || emulator === def.devices.emulator ? def : { ...def, devices: { ...def.devices, emulator } };
  return buildQemuCommandLine(forArgv, {
    paths: {
      monitorSocket: run.monitorPath, pidfile: run.pidfile, taps,
      ...(def.devices.serials.length > 0 ? { serialLog } : {}),
    },
    accel, incomingDefer: incoming, sandbox: host.settings.sandbox,
  });
}

/** Launches QEMU for `obj.def`. The caller holds the job and `obj` is inactive. */
export async function launch(host: QemuHost, obj: QemuDomain, options: LaunchOptions): Promise<QemuRun> {
  const def = obj.def;
  const accel = await chooseAccel(def, host.settings.kvmDevice);
  await checkDiskSources(def);
  const taps = await planTaps(host, def);
  const logPath = host.paths.logFile(def.name);
  const serialLog = `${host.paths.logDir}/${def.name}.serial.log`;
  // Refuse what cannot be launched before the domain changes state.
  commandLine(host, def, { monitorPath: '/m', pidfile: '/p' }, taps, accel, options.incoming, serialLog);
  await checkEmulator(def.devices.emulator ?? host.settings.emulator ?? '');

  for (const t of taps) if (t !== undefined) host.reservedTaps.add(t);
  host.domains.markStarted(obj, DomainState.PAUSED, PausedReason.STARTING_UP);
  const domainDir = host.paths.domainDir(obj.id, def.name);
  const run = newRun({
    pid: 0, pidStartTicks: 0, startedAt: host.clock(), domainDir, monitorPath: `${domainDir}/monitor.sock`,
    pidfile: host.paths.pidFile(def.name), logPath,
  });
  run.asyncJob = options.incoming ? 'restore' : 'start';
  obj.priv.run = run;
  let logOffset = -1;
  let exited = false;
  let monitorUp = false;
  try {
    if (run.monitorPath.length > 107) throw new VirtmonError('VIR_ERR_CONFIG_UNSUPPORTED', `monitor socket path ${run.monitorPath} is longer than 107 bytes: use a shorter runDir`);
    await mkdir(domainDir, { recursive: true, mode: 0o700 });
    await setUpTaps(run, def.devices.interfaces, taps);
    obj.def = withTapNames(def, taps);
    await host.saveStatus(obj);

    const cmd = commandLine(host, obj.def, run, taps, accel, options.incoming, serialLog);
    const spawned = await spawnQemu(cmd.binary, cmd.argv, logPath);
    logOffset = spawned.logOffset;
    run.pid = spawned.pid;
    run.child = spawned.child;
    run.pidStartTicks = (await readProcStat(spawned.pid))?.startTicks ?? 0;
    run.disks = [...cmd.disks];
    run.nics = [...cmd.nics];
    run.balloon = cmd.balloon;
    if (cmd.ignored.length > 0) host.log.info({ domain: def.name, ignored: cmd.ignored }, 'definition elements not applied to QEMU');
    const earlyExit = new AbortController();
    void spawned.exited.then(() => {
      exited = true;
      earlyExit.abort(new VirtmonError('VIR_ERR_INTERNAL_ERROR', 'QEMU exited'));
    });
    run.cgroup = await host.cgroups.create(obj.id, def.name, spawned.pid);
    await host.saveStatus(obj);

    const qmp = await connectMonitor(host, obj, run, { timeoutMs: host.settings.monitorConnectTimeoutMs, signal: earlyExit.signal });
    monitorUp = true;
    await setUpGuest(host, obj, run, qmp);
    if (options.incoming) {
      obj.setState(DomainState.PAUSED, PausedReason.MIGRATION);
    } else if (options.paused) {
      obj.setState(DomainState.PAUSED, PausedReason.USER);
      run.asyncJob = undefined;
      host.lifecycle(obj, LifecycleType.STARTED, StartedDetail.BOOTED);
      host.lifecycle(obj, LifecycleType.SUSPENDED, SuspendedDetail.PAUSED);
    } else {
      run.runningIntent = { reason: RunningReason.BOOTED, event: { type: LifecycleType.STARTED, detail: StartedDetail.BOOTED } };
      const resumed = qmp.waitForEvent('RESUME', undefined, host.settings.qmpTimeoutMs);
      resumed.catch(() => undefined);
      await qmp.execute('cont');
      await resumed;
      run.asyncJob = undefined;
    }
    await host.saveStatus(obj);
    return run;
  } catch (err) {
    const tail = logOffset >= 0 ? await readLogTail(logPath, logOffset) : '';
    const dead = exited || (run.pid > 0 && !(await isAlive(run.pid, run.pidStartTicks)));
    await stopRun(host, obj, run, ShutoffReason.FAILED, undefined);
    throw launchError(err, dead, !monitorUp, tail);
  } finally {
    for (const t of taps) if (t !== undefined) host.reservedTaps.delete(t);
  }
}

/** The error a failed start reports: QEMU's own words when it died, libvirt's phrasing around them. */
function launchError(err: unknown, dead: boolean, exitedBeforeMonitor: boolean, tail: string): VirtmonError {
  const base = err instanceof VirtmonError ? err : new VirtmonError('VIR_ERR_INTERNAL_ERROR', String(err), { cause: err });
  if (!dead) return tail === '' || base.code !== 'VIR_ERR_OPERATION_TIMEOUT' ? base : new VirtmonError(base.code, `${base.detail ?? base.message}: ${tail}`, { cause: base });
  const what = exitedBeforeMonitor ? 'process exited while connecting to monitor' : 'QEMU unexpectedly closed the monitor';
  return new VirtmonError('VIR_ERR_INTERNAL_ERROR', tail === '' ? what : `${what}: ${tail}`, { cause: base });
}

/** Creates (or checks, for managed='no') the taps, recording each in the run as soon as it exists. */
async function setUpTaps(run: QemuRun, nics: readonly InterfaceDef[], taps: readonly (string | undefined)[]): Promise<void> {
  for (const [i, nic] of nics.entries()) {
    const name = taps[i];
    if (name === undefined) continue;
    if (isUnmanagedTap(nic)) {
      await requireExistingTap(name);
      run.taps.push({ name, owned: false });
    } else {
      await createTap(name, tapSetupOf(nic));
      run.taps.push({ name, owned: true });
    }
  }
}

/** The live definition names the taps it got (generated ones included). */
function withTapNames(def: DomainDef, taps: readonly (string | undefined)[]): DomainDef {
  const interfaces = def.devices.interfaces.map((n, i) => {
    const t = taps[i];
    return t === undefined || n.targetDev === t ? n : { ...n, targetDev: t };
  });
  return { ...def, devices: { ...def.devices, interfaces } };
}

/** After the monitor is up: vCPU threads, balloon, the setup queries. */
async function setUpGuest(host: QemuHost, obj: QemuDomain, run: QemuRun, qmp: QmpClient): Promise<void> {
  run.vcpuTids = await queryVcpuTids(qmp);
  if (run.cgroup !== undefined) await host.cgroups.placeVcpus(run.cgroup, run.vcpuTids);
  const def = obj.def;
  if (run.balloon !== undefined) {
    if (def.currentMemoryKiB < def.memoryKiB) await qmp.execute('balloon', { value: def.currentMemoryKiB * 1024 });
    const period = def.devices.memballoon?.statsPeriod;
    if (period !== undefined && period > 0) {
      await qmp.execute('qom-set', { path: run.balloon.qomPath, property: 'guest-stats-polling-interval', value: period });
    }
  }
  await qmp.execute('query-block');
  if (run.balloon !== undefined) await qmp.execute('query-balloon');
}
