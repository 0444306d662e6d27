import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCpuStat, parseCpuacctStat, parseCpuacctUsage } from '../../../../src/collectors/parse/cgroup-cpu.ts';
import { parseMemoryStat, parseMemoryUsage } from '../../../../src/collectors/parse/cgroup-memory.ts';
import { parseBlkioThrottle, parseIoStat } from '../../../../src/collectors/parse/cgroup-io.ts';
import { jsonU64, parseKeyedU64, parseU64 } from '../../../../src/collectors/parse/numbers.ts';

test('u64 parsing is exact to 2^64-1 and rejects the rest', () => {
  assert.equal(parseU64('18446744073709551615'), 18446744073709551615n);
  assert.equal(parseU64('9007199254740993'), 9007199254740993n);
  assert.equal(parseU64('18446744073709551616'), undefined);
  assert.equal(parseU64('-1'), undefined);
  assert.equal(parseU64('max'), undefined);
  assert.equal(parseU64(''), undefined);
  assert.equal(parseKeyedU64('a 1\nb max\n\nc 3').size, 2);
});

test('QMP numbers: safe integers, bigints and decimal strings; nothing negative or fractional', () => {
  assert.equal(jsonU64(12), 12n);
  assert.equal(jsonU64(9007199254740993n), 9007199254740993n);
  assert.equal(jsonU64('18446744073709551615'), 18446744073709551615n);
  assert.equal(jsonU64(-1), undefined);
  assert.equal(jsonU64(1.5), undefined);
  assert.equal(jsonU64(2 ** 64), undefined);
  assert.equal(jsonU64(null), undefined);
});

test('v1 cpuacct.usage and cpuacct.stat', () => {
  assert.equal(parseCpuacctUsage('140350228\n'), 140350228n);
  assert.equal(parseCpuacctUsage('18446744073709551615\n'), 18446744073709551615n);
  assert.deepEqual(parseCpuacctStat('user 10321\nsystem 3939\n'), { user: 10321n, system: 3939n });
});

test('cpu.stat v1: throttled_time in ns', () => {
  assert.deepEqual(parseCpuStat('nr_periods 10\nnr_throttled 2\nthrottled_time 9007199254740993\nnr_bursts 0\nburst_time 0\n'),
    { nrPeriods: 10n, nrThrottled: 2n, throttledTimeNs: 9007199254740993n });
});

test('cpu.stat v2: usage, user, system, throttled in µs', () => {
  const text = 'usage_usec 138142872\nuser_usec 99982904\nsystem_usec 38159967\nnice_usec 0\n'
    + 'core_sched.force_idle_usec 0\nnr_periods 1520\nnr_throttled 37\nthrottled_usec 412000\nnr_bursts 0\nburst_usec 0\n';
  assert.deepEqual(parseCpuStat(text), {
    usageUsec: 138142872n, userUsec: 99982904n, systemUsec: 38159967n,
    nrPeriods: 1520n, nrThrottled: 37n, throttledUsec: 412000n,
  });
  // A v2 group without the cpu controller prints only the first four lines.
  assert.deepEqual(parseCpuStat('usage_usec 1\nuser_usec 1\nsystem_usec 0\nnice_usec 0\n'),
    { usageUsec: 1n, userUsec: 1n, systemUsec: 0n });
});

test('memory usage and memory.stat of both versions', () => {
  assert.equal(parseMemoryUsage('33107968\n'), 33107968n);
  assert.equal(parseMemoryUsage('max\n'), undefined);
  const v1 = parseMemoryStat('cache 7172096\nrss 25419776\nhierarchical_memory_limit 9223372036854771712\n');
  assert.equal(v1.get('rss'), 25419776n);
  assert.equal(v1.get('hierarchical_memory_limit'), 9223372036854771712n);
  const v2 = parseMemoryStat('anon 52428800\nfile 14680064\nkernel 2998272\npgfault 6202\n');
  assert.deepEqual([...v2.keys()], ['anon', 'file', 'kernel', 'pgfault']);
});

test('v2 io.stat per device', () => {
  const t = parseIoStat('254:0 rbytes=1089536 wbytes=8192 rios=266 wios=2 dbytes=0 dios=0\n'
    + '8:16 rbytes=18446744073709551615 wbytes=0 rios=1 wios=0 dbytes=0 dios=0 cost.usage=12\n');
  assert.equal(t.get('254:0')?.get('rbytes'), 1089536n);
  assert.equal(t.get('254:0')?.get('wios'), 2n);
  assert.equal(t.get('8:16')?.get('rbytes'), 18446744073709551615n);
  assert.equal(t.get('8:16')?.get('cost.usage'), 12n);
  assert.equal(parseIoStat('').size, 0);
});

test('v1 blkio.throttle.io_service_bytes per device plus the total', () => {
  const t = parseBlkioThrottle('254:0 Read 1089536\n254:0 Write 8192\n254:0 Sync 8192\n254:0 Async 1089536\n'
    + '254:0 Discard 0\n254:0 Total 1097728\nTotal 1097728\n');
  assert.deepEqual(t.devices.get('254:0'), { read: 1089536n, write: 8192n, sync: 8192n, async: 1089536n, discard: 0n, total: 1097728n });
  assert.equal(t.total, 1097728n);
  const empty = parseBlkioThrottle('Total 0\n');
  assert.equal(empty.devices.size, 0);
  assert.equal(empty.total, 0n);
});
