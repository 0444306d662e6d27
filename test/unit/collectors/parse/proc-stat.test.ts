import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseProcStat } from '../../../../src/collectors/parse/proc-stat.ts';

// A vCPU thread of QEMU, copied from this machine (comm with a space and a slash).
const VCPU = '4250 (CPU 0/TCG) S 11080 11028 4565 0 -1 138412224 1030 0 0 0 6 1 0 0 20 0 5 0 222396 1520693248 11797 '
  + '18446744073709551615 94648630861824 94648636722261 140735049869520 0 0 0 2147220087 4096 16451 1 0 0 -1 0 0 0 0 0 0 '
  + '94648639834360 94648645038512 94649335537664 140735049873748 140735049874133 140735049874133 140735049875420 0\n';

test('task stat: utime, stime, rss, processor, comm with a space', () => {
  const s = parseProcStat(VCPU);
  assert.ok(s);
  assert.equal(s.pid, 4250);
  assert.equal(s.comm, 'CPU 0/TCG');
  assert.equal(s.state, 'S');
  assert.equal(s.utime, 6n);
  assert.equal(s.stime, 1n);
  assert.equal(s.numThreads, 5);
  assert.equal(s.starttime, 222396n);
  assert.equal(s.rss, 11797n);
  assert.equal(s.processor, 0);
});

test('comm with parentheses and spaces is taken up to the last )', () => {
  const line = '77 (a) b (c) R 1 77 77 0 -1 4194304 10 0 0 0 123 45 0 0 20 0 1 0 999 1000 55 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
  const s = parseProcStat(line);
  assert.ok(s);
  assert.equal(s.comm, 'a) b (c');
  assert.equal(s.state, 'R');
  assert.equal(s.utime, 123n);
  assert.equal(s.stime, 45n);
  assert.equal(s.rss, 55n);
  assert.equal(s.processor, 1);
});

test('tick counters beyond 2^53 stay exact', () => {
  const line = VCPU.replace(' 6 1 0 0 20 ', ' 9007199254740993 18446744073709551615 0 0 20 ');
  const s = parseProcStat(line);
  assert.ok(s);
  assert.equal(s.utime, 9007199254740993n);
  assert.equal(s.stime, 18446744073709551615n);
});

test('a truncated or foreign line gives undefined', () => {
  assert.equal(parseProcStat(''), undefined);
  assert.equal(parseProcStat('4250 (CPU 0/TCG) S 1 2 3'), undefined);
  assert.equal(parseProcStat('no parentheses here'), undefined);
});
