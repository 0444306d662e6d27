/**
 * Where the local agent's control sockets live, shared by the agent (which listens) and the CLI's
 * remote driver (which connects): `/run/virtmon/virtmon-sock` for qemu:///system, the user's runtime
 * directory for qemu:///session (libvirt: /run/libvirt/libvirt-sock and $XDG_RUNTIME_DIR/libvirt).
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** File name of the read-write socket in the run directory. */
export const SOCKET_NAME = 'virtmon-sock';
/** File name of the read-only socket in the run directory. */
export const READ_ONLY_SOCKET_NAME = 'virtmon-sock-ro';

/** The per-user run directory (session agents, non-root agents). */
export function sessionRunDir(env: NodeJS.ProcessEnv): string {
  const xdg = env.XDG_RUNTIME_DIR;
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'virtmon');
  return join(env.HOME ?? homedir(), '.cache', 'virtmon', 'run');
}

/** The run directory of the agent that serves `mode` (system: /run/virtmon). */
export function runDirFor(mode: 'system' | 'session', env: NodeJS.ProcessEnv): string {
  return mode === 'system' ? '/run/virtmon' : sessionRunDir(env);
}

/** The agent's socket for a local URI path (`/system`, `/session`); read-only picks the -ro socket. */
export function localSocketPath(path: string, readOnly: boolean, env: NodeJS.ProcessEnv): string {
  const dir = runDirFor(path === '/session' ? 'session' : 'system', env);
  return join(dir, readOnly ? READ_ONLY_SOCKET_NAME : SOCKET_NAME);
}
