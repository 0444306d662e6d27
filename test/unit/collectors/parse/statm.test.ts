import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parseProcStat } from '../../../../src/collectors/parse/proc-stat.ts';
import { parseStatmResidentPages } from '../../../../src/collectors/parse/statm.ts';

test('statm: the resident field (2nd), in pages', () => {
  assert.equal(parseStatmResidentPages('370931 11797 2563 1431 0 45281 0\n'), 11797n);
  assert.equal(parseStatmResidentPages('5 7'), 7n);
});

test('statm: text not in the kernel format is undefined', () => {
  assert.equal(parseStatmResidentPages(''), undefined);
  assert.equal(parseStatmResidentPages('370931'), undefined);
  assert.equal(parseStatmResidentPages('1 x 3'), undefined);
});

test('statm resident equals stat field 24 for a live process (this one, read back to back)', () => {
  // Both come from get_mm_rss; allocations between the two reads may move it by a few pages.
  const stat = parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  const statm = parseStatmResidentPages(readFileSync('/proc/self/statm', 'utf8'));
  assert.ok(stat !== undefined && statm !== undefined);
  const diff = stat.rss > statm ? stat.rss - statm : statm - stat.rss;
  assert.ok(diff < 256n, `stat rss ${stat.rss} vs statm ${statm}`);
});
