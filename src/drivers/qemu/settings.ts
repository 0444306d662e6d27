/**
 * The qemu driver's settings: where it keeps definitions, status files, sockets and logs for
 * `qemu:///system` and `qemu:///session`, and the host knobs tests and the agent's config override
 * (OpenOptions.settings). Resolved and validated once at open(), before anything touches the host.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { VirtmonError } from '../../domain/errors.ts';

/** Settings after defaults, all paths absolute. */
export interface QemuSettings {
  /** `system` or `session`. */
  readonly mode: 'system' | 'session';
  /** Persistent state: `config/` (definitions, `autostart/` links), `save/` (managed-save images). */
  readonly stateDir: string;
  /** Runtime state: status files, pidfiles, per-domain socket dirs. Cleared at host boot. */
  readonly runDir: string;
  /** QEMU's stdout/stderr and serial logs, one file per domain. */
  readonly logDir: string;
  /** Binary used when the definition has no `<emulator>` (default: by architecture). */
  readonly emulator: string | undefined;
  /** The KVM device checked before launching a `type='kvm'` domain. */
  readonly kvmDevice: string;
  /** Where the cgroup hierarchies are mounted. */
  readonly cgroupRoot: string;
  /** Parent of the per-domain groups: absolute (`/machine`) or relative to this process's own groups. */
  readonly cgroupPartition: string;
  /** False: no cgroup placement at all (statistics come from /proc). */
  readonly cgroups: boolean;
  /** Prefix of generated tap names (`vmtap0`, `vmtap1` …). */
  readonly tapPrefix: string;
  /** How long an operation waits for another one on the same domain (libvirt: 30 s). */
  readonly jobTimeoutMs: number;
  /** Deadline of one QMP command. */
  readonly qmpTimeoutMs: number;
  /** Deadline for QEMU's monitor to accept a connection after spawn. */
  readonly monitorConnectTimeoutMs: number;
  /** How long detach waits for DEVICE_DELETED before returning (libvirt: 5 s). */
  readonly unplugTimeoutMs: number;
  /** libvirt's seccomp sandbox on the command line. */
  readonly sandbox: boolean;
  /** Start inactive autostart domains on the first open after host boot. */
  readonly autostart: boolean;
}

/** Directories of a mode, from the environment (XDG for session). */
function defaultDirs(mode: 'system' | 'session', env: NodeJS.ProcessEnv): { stateDir: string; runDir: string; logDir: string } {
  if (mode === 'system') {
    return { stateDir: '/var/lib/virtmon/qemu', runDir: '/run/virtmon/qemu', logDir: '/var/log/virtmon/qemu' };
  }
  const home = env.HOME ?? homedir();
  const xdg = (name: string, fallback: string): string => {
    const v = env[name];
    return v !== undefined && isAbsolute(v) ? v : join(home, fallback);
  };
  const config = xdg('XDG_CONFIG_HOME', '.config');
  const cache = xdg('XDG_CACHE_HOME', '.cache');
  const runtime = env.XDG_RUNTIME_DIR !== undefined && isAbsolute(env.XDG_RUNTIME_DIR) ? env.XDG_RUNTIME_DIR : join(cache, 'virtmon', 'run');
  return {
    stateDir: join(config, 'virtmon', 'qemu'),
    runDir: join(runtime, 'virtmon', 'qemu'),
    logDir: join(cache, 'virtmon', 'qemu', 'log'),
  };
}

const bad = (key: string, what: string): VirtmonError =>
  new VirtmonError('VIR_ERR_INVALID_ARG', `qemu driver setting '${key}' ${what}`, { key });

function path(raw: Readonly<Record<string, unknown>>, key: string, dflt: string): string {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'string' || !isAbsolute(v)) throw bad(key, 'must be an absolute path');
  return v;
}

function num(raw: Readonly<Record<string, unknown>>, key: string, dflt: number): number {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) throw bad(key, 'must be a positive number of ms');
  return v;
}

function bool(raw: Readonly<Record<string, unknown>>, key: string, dflt: boolean): boolean {
  const v = raw[key];
  if (v === undefined) return dflt;
  if (typeof v !== 'boolean') throw bad(key, 'must be true or false');
  return v;
}

const KNOWN = new Set([
  'stateDir', 'runDir', 'logDir', 'emulator', 'kvmDevice', 'cgroupRoot', 'cgroupPartition', 'cgroups', 'tapPrefix',
  'jobTimeoutMs', 'qmpTimeoutMs', 'monitorConnectTimeoutMs', 'unplugTimeoutMs', 'sandbox', 'autostart',
]);

/** Resolves the settings of a `qemu:///MODE` connection; throws INVALID_ARG naming a bad key. */
export function resolveSettings(
  mode: 'system' | 'session',
  raw: Readonly<Record<string, unknown>> = {},
  env: NodeJS.ProcessEnv = process.env,
): QemuSettings {
  for (const key of Object.keys(raw)) if (!KNOWN.has(key)) throw bad(key, 'is unknown');
  const dirs = defaultDirs(mode, env);
  const partition = raw.cgroupPartition ?? '/machine';
  if (typeof partition !== 'string' || partition === '' || partition.split('/').some((p) => p === '..')) {
    throw bad('cgroupPartition', "must be a cgroup path such as '/machine'");
  }
  const tapPrefix = raw.tapPrefix ?? 'vmtap';
  if (typeof tapPrefix !== 'string' || !/^[A-Za-z][A-Za-z0-9_-]{0,9}$/.test(tapPrefix)) {
    throw bad('tapPrefix', 'must be 1-10 letters, digits, - or _ starting with a letter');
  }
  const emulator = raw.emulator === undefined ? undefined : path(raw, 'emulator', '');
  return {
    mode,
    stateDir: path(raw, 'stateDir', dirs.stateDir),
    runDir: path(raw, 'runDir', dirs.runDir),
    logDir: path(raw, 'logDir', raw.stateDir === undefined ? dirs.logDir : join(path(raw, 'stateDir', ''), 'log')),
    emulator,
    kvmDevice: path(raw, 'kvmDevice', '/dev/kvm'),
    cgroupRoot: path(raw, 'cgroupRoot', '/sys/fs/cgroup'),
    cgroupPartition: partition.replace(/\/+$/, ''),
    cgroups: bool(raw, 'cgroups', true),
    tapPrefix,
    jobTimeoutMs: num(raw, 'jobTimeoutMs', 30_000),
    qmpTimeoutMs: num(raw, 'qmpTimeoutMs', 30_000),
    monitorConnectTimeoutMs: num(raw, 'monitorConnectTimeoutMs', 30_000),
    unplugTimeoutMs: num(raw, 'unplugTimeoutMs', 5_000),
    sandbox: bool(raw, 'sandbox', true),
    autostart: bool(raw, 'autostart', true),
  };
}

/** Where one driver instance keeps each kind of file. */
export interface QemuPaths {
  readonly configDir: string;
  readonly autostartDir: string;
  readonly saveDir: string;
  readonly runDir: string;
  readonly logDir: string;
  configFile(name: string): string;
  autostartLink(name: string): string;
  managedSaveFile(name: string): string;
  statusFile(name: string): string;
  pidFile(name: string): string;
  logFile(name: string): string;
  /** Per-run directory for the monitor and migration sockets: short, because sun_path is 108 bytes. */
  domainDir(id: number, name: string): string;
}

/** The file layout under the settings' directories. */
export function qemuPaths(s: QemuSettings): QemuPaths {
  const configDir = join(s.stateDir, 'config');
  const autostartDir = join(configDir, 'autostart');
  const saveDir = join(s.stateDir, 'save');
  return {
    configDir, autostartDir, saveDir, runDir: s.runDir, logDir: s.logDir,
    configFile: (name) => join(configDir, `${name}.xml`),
    autostartLink: (name) => join(autostartDir, `${name}.xml`),
    managedSaveFile: (name) => join(saveDir, `${name}.save`),
    statusFile: (name) => join(s.runDir, `${name}.status.json`),
    pidFile: (name) => join(s.runDir, `${name}.pid`),
    logFile: (name) => join(s.logDir, `${name}.log`),
    // libvirt's domain-ID-NAME with the name cut to 20 characters (virDomainDefGetShortName).
    domainDir: (id, name) => join(s.runDir, `domain-${id}-${[...name].slice(0, 20).join('').replace(/[^A-Za-z0-9_.-]/g, '_')}`),
  };
}
