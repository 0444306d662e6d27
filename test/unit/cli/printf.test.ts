import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, padRight } from '../../../src/cli/format/printf.ts';

test('formatFixed rounds like glibc printf %.Nf (exact value, ties to even)', () => {
  assert.equal(formatFixed(0.25, 1), '0.2');
  assert.equal(formatFixed(0.75, 1), '0.8');
  assert.equal(formatFixed(0.35, 1), '0.3', '0.35 is really 0.34999…');
  assert.equal(formatFixed(2.5, 0), '2');
  assert.equal(formatFixed(3.5, 0), '4');
  assert.equal(formatFixed(1.05, 1), '1.1', '1.05 is really 1.0500000000000000444');
  assert.equal(formatFixed(123456.789, 1), '123456.8');
  assert.equal(formatFixed(0.1, 6), '0.100000');
  assert.equal(formatFixed(-1.5, 0), '-2');
  assert.equal(formatFixed(0, 1), '0.0');
  assert.equal(formatFixed(1e21, 1), '1000000000000000000000.0');
  assert.equal(formatFixed(5e-324, 2), '0.00');
});

test('padRight pads like %-Ns and never truncates', () => {
  assert.equal(padRight('Id:', 6), 'Id:   ');
  assert.equal(padRight('Security label:', 15), 'Security label:');
  assert.equal(padRight('toolongforthefield', 4), 'toolongforthefield');
});
