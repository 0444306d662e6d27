/**
 * Block I/O files of a cgroup: v2 `io.stat` (`MAJ:MIN rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…`)
 * and v1 `blkio.throttle.io_service_bytes` / `blkio.throttle.io_serviced`
 * (`MAJ:MIN Read|Write|Sync|Async|Discard|Total N` lines and a final `Total N`).
 */
import { parseU64 } from './numbers.ts';

/** v2 `io.stat`: device (`MAJ:MIN`) → key → value. Keys vary by kernel and controller (`rbytes`, `cost.*`…). */
export function parseIoStat(text: string): Map<string, Map<string, bigint>> {
  const out = new Map<string, Map<string, bigint>>();
  for (const line of text.split('\n')) {
    const [device, ...pairs] = line.trim().split(' ');
    if (device === undefined || !device.includes(':')) continue;
    const values = new Map<string, bigint>();
    for (const pair of pairs) {
      const eq = pair.indexOf('=');
      const value = eq < 0 ? undefined : parseU64(pair.slice(eq + 1));
      if (value !== undefined) values.set(pair.slice(0, eq), value);
    }
    out.set(device, values);
  }
  return out;
}

/** One device of a v1 blkio throttle file (bytes or operations). */
export interface BlkioDevice {
  readonly read?: bigint;
  readonly write?: bigint;
  readonly sync?: bigint;
  readonly async?: bigint;
  readonly discard?: bigint;
  readonly total?: bigint;
}

/** A v1 blkio throttle file. */
export interface BlkioThrottle {
  readonly devices: ReadonlyMap<string, BlkioDevice>;
  /** The last line, the sum over devices. */
  readonly total?: bigint;
}

const OPS = { Read: 'read', Write: 'write', Sync: 'sync', Async: 'async', Discard: 'discard', Total: 'total' } as const;

/** Parses `blkio.throttle.io_service_bytes` or `blkio.throttle.io_serviced`. */
export function parseBlkioThrottle(text: string): BlkioThrottle {
  const devices = new Map<string, { -readonly [K in keyof BlkioDevice]: BlkioDevice[K] }>();
  let total: bigint | undefined;
  for (const line of text.split('\n')) {
    const parts = line.trim().split(' ');
    if (parts.length === 2 && parts[0] === 'Total') {
      total = parseU64(parts[1] ?? '');
      continue;
    }
    if (parts.length !== 3) continue;
    const [device = '', op = '', raw = ''] = parts;
    const key = (OPS as Record<string, keyof BlkioDevice | undefined>)[op];
    const value = parseU64(raw);
    if (key === undefined || value === undefined || !device.includes(':')) continue;
    const entry = devices.get(device) ?? {};
    entry[key] = value;
    devices.set(device, entry);
  }
  return total === undefined ? { devices } : { devices, total };
}
