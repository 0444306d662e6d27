/**
 * Locates the test guest built by scripts/build-test-guest.sh (kernel + busybox initramfs, cached under
 * `${VIRTMON_CACHE:-$HOME/.cache/virtmon}/guest/`) and reads its serial log.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { pollUntil } from './qemu.ts';

/** manifest.json written by the build script. */
export interface TestGuestManifest {
  readonly scriptSha256: string;
  readonly kernelPackage: string;
  readonly kernelRelease: string;
  readonly modules: readonly string[];
  readonly append: string;
  readonly markers: { readonly up: string; readonly beat: string };
}

/** The cached guest. */
export interface TestGuest {
  readonly dir: string;
  readonly kernel: string;
  readonly initrd: string;
  readonly manifest: TestGuestManifest;
  /** Kernel command line: serial console, and eth0 configuration when addresses are given. */
  append(net?: { guestCidr: string; hostIp: string }): string;
}

/** The cache directory the build script writes to. */
export function testGuestDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.VIRTMON_CACHE !== undefined && env.VIRTMON_CACHE !== '' ? env.VIRTMON_CACHE : join(env.HOME ?? homedir(), '.cache', 'virtmon');
  return join(cache, 'guest');
}

/** Returns the cached guest or throws telling how to build it. */
export function locateTestGuest(env: NodeJS.ProcessEnv = process.env): TestGuest {
  const dir = testGuestDir(env);
  const kernel = join(dir, 'vmlinuz');
  const initrd = join(dir, 'initrd.gz');
  const manifestPath = join(dir, 'manifest.json');
  const missing = [kernel, initrd, manifestPath].filter((p) => !existsSync(p));
  if (missing.length > 0) {
    throw new Error(`test guest not built (missing ${missing.join(', ')}): run \`sudo bash scripts/setup-debian.sh\` `
      + '(it runs scripts/build-test-guest.sh), or set VIRTMON_CACHE to where it was built');
  }
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as TestGuestManifest;
  return {
    dir,
    kernel,
    initrd,
    manifest,
    append: (net) => (net === undefined
      ? manifest.append
      : `${manifest.append} virtmon.ip=${net.guestCidr} virtmon.gw=${net.hostIp}`),
  };
}

/** Waits until the serial log contains `marker`; the error carries the log's tail. */
export async function waitForSerial(logPath: string, marker: string, timeoutMs: number): Promise<string> {
  try {
    return await pollUntil(`'${marker}' in ${logPath}`, timeoutMs, async () => {
      const text = await readFile(logPath, 'utf8').catch(() => '');
      return text.includes(marker) ? text : undefined;
    });
  } catch (err) {
    const tail = (await readFile(logPath, 'utf8').catch(() => '')).slice(-2000);
    throw new Error(`${(err as Error).message}; serial log tail:\n${tail}`, { cause: err });
  }
}
