/**
 * The driver table: every hypervisor driver, in probe order (libvirt registers its drivers the same
 * way, explicitly). The remote driver joins this list when it lands.
 */
import type { HypervisorDriver, OpenOptions } from './driver.ts';
import { openConnection } from './dispatch.ts';
import type { Connection } from './dispatch.ts';
import { qemuDriver } from './qemu/driver.ts';
import { testDriver } from './test/driver.ts';
import { parseUri } from './uri.ts';

/** Every driver, in the order URIs are probed. */
export const DRIVERS: readonly HypervisorDriver[] = [testDriver, qemuDriver];

/** Parses `uri` and opens it through the driver table (aliases and defaults are resolved by the caller). */
export function open(uri: string, options: OpenOptions = {}): Promise<Connection> {
  return openConnection(parseUri(uri), DRIVERS, options);
}
