/** Opens test-driver connections for tests: fixture node files, a stepped clock, recorded events. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Connection } from '../../src/drivers/dispatch.ts';
import type { OpenOptions } from '../../src/drivers/driver.ts';
import { open } from '../../src/drivers/index.ts';
import type { DomainEvent } from '../../src/domain/events.ts';
import { lifecycleToString } from '../../src/domain/events.ts';

/** Absolute path of a node file under test/fixtures/nodes. */
export function nodeFixture(name: string): string {
  return new URL(`../fixtures/nodes/${name}`, import.meta.url).pathname;
}

/** A clock tests move by hand. */
export class SteppedClock {
  now: number;
  constructor(start = 1_700_000_000_000) { this.now = start; }
  readonly read = (): number => this.now;
  advance(ms: number): void { this.now += ms; }
}

/** A connection plus its recorded events and clock. */
export interface TestConn {
  readonly conn: Connection;
  readonly clock: SteppedClock;
  /** Events seen since the last {@link takeEvents}. */
  readonly events: DomainEvent[];
}

/** Opens `test:///default` (node `default`), a fixture by name, or an absolute node path; records every event. */
export async function openTest(node: string, options: OpenOptions = {}): Promise<TestConn> {
  const clock = new SteppedClock();
  const uri = node === 'default' ? 'test:///default' : `test://${node.startsWith('/') ? node : nodeFixture(node)}`;
  const conn = await open(uri, { clock: clock.read, ...options });
  const events: DomainEvent[] = [];
  if (conn.supports('onDomainEvent')) conn.onDomainEvent((e) => { events.push(e); });
  return { conn, clock, events };
}

/** Renders and clears the recorded events: `Stopped Destroyed`, `reboot`, `balloon-change 1024` … */
export function takeEvents(tc: TestConn): string[] {
  const out = tc.events.map((e) => {
    switch (e.kind) {
      case 'lifecycle': return lifecycleToString(e.type, e.detail);
      case 'balloon-change': return `balloon-change ${e.actualKiB}`;
      case 'device-added':
      case 'device-removed': return `${e.kind} ${e.alias}`;
      case 'reboot':
      case 'io-error':
      case 'control-error': return e.kind;
    }
  });
  tc.events.length = 0;
  return out;
}

/** A short temp dir removed by the returned cleanup. */
export function tempDir(): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'vmt-'));
  return { dir, cleanup: () => { rmSync(dir, { recursive: true, force: true }); } };
}
