import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSchedWaitSumNs, parseSchedstat } from '../../../../src/collectors/parse/schedstat.ts';

test('schedstat: run ns, wait ns, slices', () => {
  assert.deepEqual(parseSchedstat('78047538 16768981 125\n'), { runNs: 78047538n, waitNs: 16768981n, slices: 125n });
  assert.deepEqual(parseSchedstat('18446744073709551615 9007199254740993 1\n'),
    { runNs: 18446744073709551615n, waitNs: 9007199254740993n, slices: 1n });
  assert.equal(parseSchedstat('1 2\n'), undefined);
  assert.equal(parseSchedstat(''), undefined);
});

const pad = (key: string, value: string): string => `${key.padEnd(45)}:${value.padStart(21)}`;

test('sched wait_sum (kernel >= 5.16 key) is ms with the ns remainder, exact', () => {
  const text = [
    'CPU 0/KVM (4250, #threads: 5)',
    '-------------------------------------------------------------------',
    pad('se.exec_start', '2248982.641176'),
    pad('se.nr_migrations', '5'),
    pad('wait_max', '8.120304'),
    pad('wait_sum', '123.456789'),
    pad('wait_count', '1520'),
    pad('nr_switches', '74'),
  ].join('\n');
  assert.equal(parseSchedWaitSumNs(text), 123_456_789n);
});

test('sched se.statistics.wait_sum (kernels before 5.16)', () => {
  const text = [pad('se.statistics.wait_start', '0.000000'), pad('se.statistics.wait_sum', '0.042000'),
    pad('se.statistics.wait_count', '12')].join('\n');
  assert.equal(parseSchedWaitSumNs(text), 42_000n);
});

test('sched wait_sum beyond 2^53 ns stays exact', () => {
  // 9007199254.740993 ms = 9007199254740993 ns = 2^53 + 1.
  assert.equal(parseSchedWaitSumNs(pad('wait_sum', '9007199254.740993')), 9007199254740993n);
});

test('sched without schedstats has no wait_sum', () => {
  const text = [pad('se.exec_start', '1.000000'), pad('se.sum_exec_runtime', '69.866620'), pad('nr_switches', '74')].join('\n');
  assert.equal(parseSchedWaitSumNs(text), undefined);
  // wait_start, wait_max and wait_count must not be mistaken for it.
  assert.equal(parseSchedWaitSumNs([pad('wait_start', '1.0'), pad('wait_max', '2.0'), pad('wait_count', '3')].join('\n')), undefined);
});
