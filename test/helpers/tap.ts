/**
 * Tap devices for system tests: a unique `vmt…` name and a /24 from 10.64.0.0–10.191.255.0 not in use
 * on the host, created with `ip tuntap` (argv, no shell) and removed by `remove()`.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { uniqueHostName } from './tmp-socket.ts';

const run = promisify(execFile);

/** A tap with an address on the host side. */
export interface TestTap {
  readonly name: string;
  /** `10.a.b.1` */
  readonly hostIp: string;
  /** `10.a.b.2` */
  readonly guestIp: string;
  readonly prefixLength: 24;
  /** rx/tx packet counters of the host side. */
  counters(): Promise<{ rxPackets: number; txPackets: number }>;
  remove(): Promise<void>;
}

/** Creates a tap, gives its host side an unused 10.x.y.1/24 and brings it up. */
export async function createTap(): Promise<TestTap> {
  const name = uniqueHostName();
  const { stdout } = await run('ip', ['-o', '-4', 'addr', 'show']);
  const pick = (): string => {
    for (let tries = 0; tries < 50; tries++) {
      const net = `10.${64 + randomInt(128)}.${randomInt(256)}`;
      if (!stdout.includes(` ${net}.`)) return net;
    }
    throw new Error('no free 10.x.y.0/24 for a test tap');
  };
  const net = pick();
  await run('ip', ['tuntap', 'add', 'dev', name, 'mode', 'tap']);
  const remove = async (): Promise<void> => {
    await run('ip', ['link', 'del', name]).catch(() => undefined);
  };
  try {
    await run('ip', ['addr', 'add', `${net}.1/24`, 'dev', name]);
    await run('ip', ['link', 'set', name, 'up']);
  } catch (err) {
    await remove();
    throw err;
  }
  const stat = async (file: string): Promise<number> => Number((await readFile(`/sys/class/net/${name}/statistics/${file}`, 'utf8')).trim());
  return {
    name,
    hostIp: `${net}.1`,
    guestIp: `${net}.2`,
    prefixLength: 24,
    counters: async () => ({ rxPackets: await stat('rx_packets'), txPackets: await stat('tx_packets') }),
    remove,
  };
}
