// Restart: a child process holding the driver starts two domains and is SIGKILLed; the driver opened
// again in this process finds both still running (same pids, same processes, same ids), lists and
// controls them, and nothing was restarted. A QEMU that died while nobody held the driver is found
// shut off (crashed) and cleaned up. Then the crash test: kill -9 of a QEMU while the driver watches.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { access } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { LifecycleType, StoppedDetail } from '../../../src/domain/events.ts';
import { DomainState, PausedReason, RunningReason, ShutoffReason } from '../../../src/domain/states.ts';
import type { StatsTarget } from '../../../src/domain/stats-target.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { readProcStat } from '../../../src/drivers/qemu/proc.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { cgroupDirsUnder, guestXml, pidsReferencing, qemuDriverEnv, recordEvents, tapsWithPrefix, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';

const CHILD = fileURLToPath(new URL('../../helpers/qemu-driver-child.ts', import.meta.url));

interface Started extends DomainRef { readonly pid: number }

describe('qemu driver: QEMU outlives the process holding the driver', () => {
  let env: QemuDriverEnv;
  let conn: Connection | undefined;
  let started: Started[] = [];
  const names = ['a', 'b', 'c'].map((s) => `vmtrs${process.pid}${s}`);
  const startTicks = new Map<number, number>();

  before(async () => {
    env = await qemuDriverEnv('r');
    const xmls = names.map((name, i) => guestXml({ name, memoryMiB: 64, tap: { name: `${env.tapPrefix}${i}` } }));
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(env.settings), JSON.stringify(xmls)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => { out += s; });
    child.stderr.setEncoding('utf8').on('data', (s: string) => { err += s; });
    try {
      await pollUntil('the child to start its domains', 60_000, () => (out.includes('\n') || child.exitCode !== null ? true : undefined), 50);
      assert.ok(out.includes('\n'), `the child failed: ${err}`);
      started = JSON.parse(out.trim()) as Started[];
    } finally {
      const gone = once(child, 'exit');
      child.kill('SIGKILL');
      await gone;
    }
    for (const s of started) startTicks.set(s.pid, (await readProcStat(s.pid))?.startTicks ?? -1);
  });

  after(async () => {
    await conn?.close();
    await env?.sweep();
  });

  test('the child started three domains and died by SIGKILL; their QEMUs still run', async () => {
    assert.equal(started.length, 3);
    for (const s of started) assert.ok((await readProcStat(s.pid)) !== undefined, `QEMU ${s.pid} runs`);
  });

  test('a QEMU killed while nobody held the driver is found shut off (crashed) and cleaned up', async () => {
    const victim = started[2];
    assert.ok(victim !== undefined);
    process.kill(victim.pid, 'SIGKILL');
    await pollUntil('the QEMU to die', 10_000, async () => ((await readProcStat(victim.pid)) === undefined || (await readProcStat(victim.pid))?.state === 'Z' ? true : undefined), 50);
    conn = await env.open();
    const dom = await conn.lookupByName(victim.name);
    assert.deepEqual(await conn.getState(dom), { state: DomainState.SHUTOFF, reason: ShutoffReason.CRASHED });
    assert.equal(dom.id, -1);
    assert.deepEqual(await tapsWithPrefix(`${env.tapPrefix}2`), []);
    assert.deepEqual((await cgroupDirsUnder(env.partition)).filter((d) => d.includes(`-${victim.name}.`)), []);
    await assert.rejects(access(env.tmp.path(`run/${victim.name}.status.json`)));
  });

  test('the other two are running, listed, with the same ids, pids and processes', async () => {
    assert.ok(conn !== undefined);
    const list = await conn.listAllDomains();
    for (const s of started.slice(0, 2)) {
      const entry = list.find((d) => d.uuid === s.uuid);
      assert.ok(entry !== undefined, `${s.name} listed`);
      assert.equal(entry.id, s.id);
      assert.deepEqual({ state: entry.state, reason: entry.reason }, { state: DomainState.RUNNING, reason: RunningReason.BOOTED });
      const target: StatsTarget | undefined = (await conn.statsTargets()).find((t) => t.ref.uuid === s.uuid);
      assert.equal(target?.pid, s.pid);
      assert.equal((await readProcStat(s.pid))?.startTicks, startTicks.get(s.pid), 'the same process, not a new one');
      assert.equal((await target?.qmp?.execute<{ status: string }>('query-status'))?.status, 'running');
    }
  });

  test('they are controllable: suspend, resume, destroy', async () => {
    assert.ok(conn !== undefined);
    const c = conn;
    const rec = recordEvents(c);
    const [a, b] = started;
    assert.ok(a !== undefined && b !== undefined);
    await c.suspend(a);
    assert.deepEqual(await c.getState(a), { state: DomainState.PAUSED, reason: PausedReason.USER });
    await c.resume(a);
    assert.equal((await c.getState(a)).state, DomainState.RUNNING);
    await c.destroy(b);
    assert.deepEqual(await c.getState(b), { state: DomainState.SHUTOFF, reason: ShutoffReason.DESTROYED });
    assert.deepEqual(rec.lifecycle(b.name), [`${LifecycleType.STOPPED}/${StoppedDetail.DESTROYED}`]);
    rec.stop();
  });

  test('crash: kill -9 of a QEMU makes it shut off (crashed) with STOPPED/FAILED; tap and cgroup removed', async () => {
    assert.ok(conn !== undefined);
    const c = conn;
    const a = started[0];
    assert.ok(a !== undefined);
    const rec = recordEvents(c);
    process.kill(a.pid, 'SIGKILL');
    await pollUntil('STOPPED/FAILED', 30_000, () => (rec.lifecycle(a.name).length > 0 ? true : undefined), 50);
    assert.deepEqual(rec.lifecycle(a.name), [`${LifecycleType.STOPPED}/${StoppedDetail.FAILED}`]);
    assert.deepEqual(await c.getState(a), { state: DomainState.SHUTOFF, reason: ShutoffReason.CRASHED });
    assert.deepEqual(await tapsWithPrefix(`${env.tapPrefix}0`), []);
    assert.deepEqual((await cgroupDirsUnder(env.partition)).filter((d) => d.includes('virtmon-')), []);
    assert.deepEqual(await pidsReferencing(env.tmp.dir), []);
    rec.stop();
  });
});
