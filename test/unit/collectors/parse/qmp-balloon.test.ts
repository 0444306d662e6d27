import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { SampleFields } from '../../../../src/domain/sample.ts';
import {
  balloonCurrentKiB, guestStatsFields, isGuestStatsNotReady, writeBalloonFields,
} from '../../../../src/collectors/parse/qmp-balloon.ts';

const replies = JSON.parse(readFileSync(new URL('../../../fixtures/qmp/stats-replies-vm1.json', import.meta.url), 'utf8')) as
  Record<string, unknown>;

test('query-balloon actual bytes → KiB', () => {
  assert.equal(balloonCurrentKiB(replies['query-balloon']), 65536n);
  assert.equal(balloonCurrentKiB({ actual: '1099511627776' }), 1073741824n);
  assert.equal(balloonCurrentKiB({}), undefined);
});

test('guest-stats before the guest reports (QEMU 7.2: every stat 2^64-1, last-update 0)', () => {
  assert.deepEqual(guestStatsFields(replies['guest-stats']), [['balloon.last-update', 0n]]);
});

test('guest-stats mapping: confusing names, bytes → KiB, -1 → absent, libvirt order', () => {
  const reply = {
    'last-update': 1700000000,
    stats: {
      'stat-swap-in': 8192, 'stat-swap-out': -1, 'stat-major-faults': 12, 'stat-minor-faults': 3400,
      'stat-free-memory': 104857600, 'stat-total-memory': 2147483648, 'stat-available-memory': 1073741824,
      'stat-disk-caches': 52428800, 'stat-htlb-pgalloc': 0, 'stat-htlb-pgfail': 18446744073709551615n,
    },
  };
  assert.deepEqual(guestStatsFields(reply), [
    ['balloon.swap_in', 8n],
    ['balloon.major_fault', 12n],
    ['balloon.minor_fault', 3400n],
    ['balloon.unused', 102400n],
    ['balloon.available', 2097152n],
    ['balloon.usable', 1048576n],
    ['balloon.last-update', 1700000000n],
    ['balloon.disk_caches', 51200n],
    ['balloon.hugetlb_pgalloc', 0n],
  ]);
});

test('the balloon group: current, maximum, guest stats, rss', () => {
  const into: SampleFields = new Map();
  writeBalloonFields(into, { currentKiB: 65536n, maximumKiB: 65536n, guestStats: replies['guest-stats'], rssKiB: 47188n });
  assert.deepEqual([...into], [
    ['balloon.current', 65536n], ['balloon.maximum', 65536n], ['balloon.last-update', 0n], ['balloon.rss', 47188n],
  ]);
});

test('the old "not updated yet" QMP error is recognised', () => {
  assert.equal(isGuestStatsNotReady(new Error("internal error: guest hasn't updated any stats yet")), true);
  assert.equal(isGuestStatsNotReady(new Error('other')), false);
  assert.equal(isGuestStatsNotReady('x'), false);
});
