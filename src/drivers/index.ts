/**
 * The driver table: every hypervisor driver, in probe order (libvirt registers its drivers the same
 * way, explicitly). The agent and the CLI have their own lists.
 */
import type { HypervisorDriver, OpenOptions } from './driver.ts';
import { openConnection } from './dispatch.ts';
import type { Connection } from './dispatch.ts';
import { qemuDriver } from './qemu/driver.ts';
import { remoteDriver } from './remote/driver.ts';
import { testDriver } from './test/driver.ts';
import { parseUri } from './uri.ts';

/** The agent's drivers, in the order URIs are probed: the agent owns the hypervisors. */
export const AGENT_DRIVERS: readonly HypervisorDriver[] = [testDriver, qemuDriver];

/**
 * The CLI's drivers: test:/// in-process (its state lives in the process, as libvirt's does), and
 * everything else (qemu:///system, qemu:///session, DRIVER+unix://, DRIVER+http://) through an agent.
 */
export const CLI_DRIVERS: readonly HypervisorDriver[] = [testDriver, remoteDriver];

/** Every driver of this build (`virtmon -V`). */
export const DRIVERS: readonly HypervisorDriver[] = [testDriver, qemuDriver, remoteDriver];

/** Parses `uri` and opens it through the driver table (aliases and defaults are resolved by the caller). */
export function open(uri: string, options: OpenOptions = {}): Promise<Connection> {
  return openConnection(parseUri(uri), AGENT_DRIVERS, options);
}
