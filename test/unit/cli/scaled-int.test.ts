import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseScaledInt, ULLONG_MAX } from '../../../src/cli/scaled-int.ts';

const bytes = (text: string): bigint => {
  const r = parseScaledInt(text, 1024n, ULLONG_MAX);
  assert.ok(r.ok, text);
  return r.bytes;
};

test('sizes with virsh unit suffixes; a bare number is KiB', () => {
  assert.equal(bytes('1024'), 1024n * 1024n);
  assert.equal(bytes('512b'), 512n);
  assert.equal(bytes('3bytes'), 3n);
  assert.equal(bytes('2k'), 2048n);
  assert.equal(bytes('2KiB'), 2048n);
  assert.equal(bytes('2KB'), 2000n);
  assert.equal(bytes('1M'), 1048576n);
  assert.equal(bytes('1MB'), 1000000n);
  assert.equal(bytes('1G'), 1073741824n);
  assert.equal(bytes('1gib'), 1073741824n);
  assert.equal(bytes('1T'), 1024n ** 4n);
  assert.equal(bytes('0'), 0n);
});

test('malformed, unknown suffix and overflow are told apart', () => {
  assert.deepEqual(parseScaledInt('-1', 1024n, ULLONG_MAX), { ok: false });
  assert.deepEqual(parseScaledInt('abc', 1024n, ULLONG_MAX), { ok: false });
  assert.deepEqual(parseScaledInt('99999999999999999999999', 1024n, ULLONG_MAX), { ok: false });
  const unknown = parseScaledInt('10x', 1024n, ULLONG_MAX);
  assert.ok(!unknown.ok && unknown.error?.message === "invalid argument: unknown suffix 'x'");
  const big = parseScaledInt('99999999T', 1024n, ULLONG_MAX);
  assert.ok(!big.ok && big.error?.message === 'numerical overflow: value too large: 99999999T');
});
