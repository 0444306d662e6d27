/**
 * Conversions of metrics.md §2: exact until the last rounding, never NaN/Inf, absent for unusable input.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convertCollectd, convertExact, convertSnmp, convertValue, rawBigint } from '../../../src/catalog/convert.ts';

/** The correctly rounded double of value / 10^digits: JavaScript parses decimal strings with one rounding. */
function reference(value: bigint, digits: number): number {
  const s = value.toString().padStart(digits + 1, '0');
  return Number(`${s.slice(0, -digits)}.${s.slice(-digits)}`);
}

test('ns→s and ms→s equal the correctly rounded quotient, below and above 2^53', () => {
  // A deterministic spread of magnitudes (xorshift), plus edges.
  let x = 0x2545f4914f6cdd1dn;
  const values = [0n, 1n, 999_999_999n, 1_000_000_000n, 2n ** 53n - 1n, 2n ** 53n, 2n ** 53n + 1n, 2n ** 63n - 1n, 2n ** 64n - 1n];
  for (let i = 0; i < 2000; i++) {
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    values.push(x >> BigInt(i % 64));
  }
  for (const v of values) {
    assert.equal(convertValue(v, 'ns→s'), reference(v, 9), `${v} ns`);
    assert.equal(convertValue(v, 'ms→s'), reference(v, 3), `${v} ms`);
  }
  assert.equal(convertValue(1_500_000_000, 'ns→s'), 1.5);
  assert.equal(convertValue(1234, 'ms→s'), 1.234);
});

test('KiB→B is exact as bigint and correctly rounded as double', () => {
  assert.equal(convertValue(2048n, 'KiB→B'), 2_097_152);
  assert.equal(convertValue(2048, 'KiB→B'), 2_097_152);
  const big = 2n ** 60n + 1n;
  assert.equal(convertExact(big, 'KiB→B'), big * 1024n);
  assert.equal(convertValue(big, 'KiB→B'), Number(big * 1024n));
});

test('id, code and none pass values through; exact bigints for integral conversions only', () => {
  assert.equal(convertValue(18_446_744_073_709_551_615n, 'id'), 2 ** 64);
  assert.equal(convertExact(18_446_744_073_709_551_615n, 'id'), 18_446_744_073_709_551_615n);
  assert.equal(convertExact(5, 'code'), 5n);
  assert.equal(convertExact(5n, 'ns→s'), undefined);
  assert.equal(convertExact(5n, 'ms→s'), undefined);
  assert.equal(convertExact(1.5, 'id'), undefined);
  assert.equal(convertValue(1.5, 'id'), 1.5);
  assert.equal(convertValue(true, 'id'), 1);
  assert.equal(convertValue(false, 'id'), 0);
});

test('unusable values convert to undefined, never NaN or Inf', () => {
  for (const v of [undefined, 'text', -1, -1n, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
    for (const c of ['id', 'ns→s', 'KiB→B', 'ms→s', 'code', 'none'] as const) {
      assert.equal(convertValue(v, c), undefined, `${String(v)} ${c}`);
      assert.equal(convertExact(v, c), undefined, `${String(v)} ${c}`);
    }
    assert.equal(rawBigint(v), undefined);
  }
  assert.equal(convertValue(Number.MAX_VALUE, 'KiB→B'), undefined, 'overflow to Inf');
});

test('collectd values: integers stay exact, flush time in ms (ns ÷ 1e6), KiB → bytes', () => {
  assert.equal(convertCollectd(123_456_789_012n, 'native'), 123_456_789_012n);
  assert.equal(convertCollectd(9_999_999n, 'ns→ms'), 9n);
  assert.equal(convertCollectd(1024n, 'KiB→B'), 1_048_576n);
  assert.equal(convertCollectd(0.5, 'native'), 0.5);
  assert.equal(convertCollectd(-1n, 'native'), undefined);
});

test('SNMP values: exact, MiB truncated as libvirt-snmp does', () => {
  assert.equal(convertSnmp(2_097_152n, 'KiB→MiB'), 2048n);
  assert.equal(convertSnmp(2_097_151n, 'KiB→MiB'), 2047n);
  assert.equal(convertSnmp(18_446_744_073_709_551_615n, 'native'), 18_446_744_073_709_551_615n);
});
