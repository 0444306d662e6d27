import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { KeptFdReader } from '../../../../src/collectors/sources/kept-fd.ts';

const dir = mkdtempSync(join(tmpdir(), 'vmt-keptfd-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const openFds = (): number => readdirSync('/proc/self/fd').length;

test('re-reads see new content through the same fd', (t) => {
  const reader = new KeptFdReader();
  t.after(() => reader.closeAll());
  const path = join(dir, 'counter');
  writeFileSync(path, 'usage_usec 1\n');
  assert.equal(reader.read(path, 'a'), 'usage_usec 1\n');
  writeFileSync(path, 'usage_usec 22\n');
  assert.equal(reader.read(path, 'a'), 'usage_usec 22\n');
  assert.equal(reader.size, 1);
});

test('a file larger than the buffer is read whole (the buffer grows)', (t) => {
  const reader = new KeptFdReader({ initialBufferSize: 16 });
  t.after(() => reader.closeAll());
  const path = join(dir, 'big');
  const text = 'x'.repeat(100_000) + '\nend\n';
  writeFileSync(path, text);
  assert.equal(reader.read(path), text);
  // Exactly the buffer size must not be mistaken for the whole file either.
  const exact = join(dir, 'exact');
  const size = reader.buffer.length;
  writeFileSync(exact, 'y'.repeat(size));
  assert.equal(reader.read(exact)?.length, size);
});

test('a missing file reads as undefined and keeps no fd', () => {
  const reader = new KeptFdReader();
  assert.equal(reader.read(join(dir, 'nope')), undefined);
  assert.equal(reader.read('/proc/999999999/stat'), undefined);
  assert.equal(reader.size, 0);
});

test('a missing file is remembered for the TTL; release(owner) and the TTL forget it', () => {
  let now = 1000;
  const reader = new KeptFdReader({ now: () => now, missingTtlMs: 30_000 });
  const path = join(dir, 'late');
  assert.equal(reader.read(path, 'vm1'), undefined);
  writeFileSync(path, 'here');
  // Within the TTL the kernel is not asked again (a fallback source pays no failed lookup per cycle).
  now += 29_000;
  assert.equal(reader.read(path, 'vm1'), undefined);
  assert.equal(reader.release('vm1'), 0);
  assert.equal(reader.read(path, 'vm1'), 'here');
  reader.closeAll();
  rmSync(path);
  assert.equal(reader.read(path, 'vm2'), undefined);
  writeFileSync(path, 'back');
  now += 30_000;
  assert.equal(reader.read(path, 'vm2'), 'back');
  reader.closeAll();
  const off = new KeptFdReader({ missingTtlMs: 0 });
  rmSync(path);
  assert.equal(off.read(path), undefined);
  writeFileSync(path, 'at once');
  assert.equal(off.read(path), 'at once');
  off.closeAll();
});

test('a process that exits: its kept /proc fds read as undefined and are closed', async (t) => {
  const reader = new KeptFdReader();
  t.after(() => reader.closeAll());
  const child = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => child.kill('SIGKILL'));
  const pid = child.pid;
  assert.ok(pid !== undefined);
  const stat = `/proc/${pid}/stat`;
  const taskStat = `/proc/${pid}/task/${pid}/stat`;
  assert.match(reader.read(stat, 'vm') ?? '', new RegExp(`^${pid} \\(sleep\\)`));
  assert.ok(reader.read(taskStat, 'vm') !== undefined);
  assert.equal(reader.size, 2);
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited; // reaped: the pid is gone
  assert.equal(reader.read(stat, 'vm'), undefined);
  assert.equal(reader.read(taskStat, 'vm'), undefined);
  assert.equal(reader.size, 0);
});

test('other errors throw a system error and keep nothing', () => {
  const reader = new KeptFdReader();
  assert.throws(() => reader.read(dir), (e: unknown) => e instanceof VirtmonError && e.code === 'VIR_ERR_SYSTEM_ERROR'
    && e.message.includes(dir));
  assert.equal(reader.size, 0);
});

test('release(owner) closes a domain\'s fds; sweepIdle closes what was not read lately', () => {
  let now = 1000;
  const reader = new KeptFdReader({ now: () => now });
  const files = ['a', 'b', 'c'].map((n) => { const p = join(dir, `own-${n}`); writeFileSync(p, n); return p; });
  const before = openFds();
  reader.read(files[0] ?? '', 'vm1');
  reader.read(files[1] ?? '', 'vm1');
  reader.read(files[2] ?? '', 'vm2');
  assert.equal(openFds(), before + 3);
  assert.equal(reader.release('vm1'), 2);
  assert.equal(reader.size, 1);
  now = 5000;
  reader.read(files[0] ?? '', 'vm1');
  assert.equal(reader.sweepIdle(1000), 1); // vm2's file, last read at 1000
  assert.equal(reader.size, 1);
  reader[Symbol.dispose]();
  assert.equal(reader.size, 0);
  assert.equal(openFds(), before);
});

test('the cap bounds open fds: beyond it files are read without keeping an fd, kept ones stay', () => {
  const reader = new KeptFdReader({ maxOpen: 2 });
  const files = ['1', '2', '3'].map((n) => { const p = join(dir, `cap-${n}`); writeFileSync(p, n); return p; });
  const [one = '', two = '', three = ''] = files;
  const before = openFds();
  assert.equal(reader.read(one), '1');
  assert.equal(reader.read(two), '2');
  // A cyclic working set larger than the cap must not evict on every read: three is read, not kept.
  for (let round = 0; round < 3; round++) {
    assert.equal(reader.read(three), '3');
    assert.equal(reader.read(one), '1');
    assert.equal(reader.size, 2);
    assert.equal(openFds(), before + 2);
  }
  writeFileSync(three, 'changed');
  assert.equal(reader.read(three), 'changed');
  // Released fds make room: the next new file is kept again.
  reader.close(two);
  reader.read(three);
  assert.equal(reader.size, 2);
  reader.closeAll();
  assert.equal(openFds(), before);
});

test('real /proc/self/stat through a kept fd changes between reads', (t) => {
  const reader = new KeptFdReader();
  t.after(() => reader.closeAll());
  const utimeOf = (text: string | undefined): number => Number(text?.slice(text.lastIndexOf(')') + 2).split(' ')[11]);
  const first = reader.read('/proc/self/stat');
  let spin = 0;
  const until = process.cpuUsage().user + 50_000; // burn 50 ms of user CPU: 5 ticks at USER_HZ=100
  while (process.cpuUsage().user < until) spin++;
  assert.ok(spin > 0);
  assert.ok(utimeOf(reader.read('/proc/self/stat')) > utimeOf(first));
  assert.equal(reader.size, 1);
});
