import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTable } from '../../../src/cli/format/table.ts';

const header = ['Id', 'Name', 'State'];

test('virsh list layout: one space per cell, widest + 2 padding, Σ(width+3) dashes', () => {
  const out = formatTable({ header, rows: [['1', 'test', 'running'], ['-', 'vm1', 'shut off']] }, true);
  assert.equal(out,
    ' Id   Name   State\n' +
    '-----------------------\n' +
    ' 1    test   running\n' +
    ' -    vm1    shut off\n');
});

test('a single running domain: the dash line follows the widest cell (22 dashes)', () => {
  const out = formatTable({ header, rows: [['1', 'test', 'running']] }, true);
  assert.equal(out, ' Id   Name   State\n----------------------\n 1    test   running\n');
});

test('long names widen their column; the last column is never padded', () => {
  const out = formatTable({ header, rows: [['12', 'a-very-long-domain-name', 'paused'], ['-', 'x', 'shut off']] }, true);
  assert.equal(out,
    ' Id   Name                      State\n' +
    '------------------------------------------\n' +
    ' 12   a-very-long-domain-name   paused\n' +
    ' -    x                         shut off\n');
});

test('an empty list prints the header and the dashes only', () => {
  assert.equal(formatTable({ header, rows: [] }, true), ' Id   Name   State\n--------------------\n');
});

test('-q: no header, and widths come from the rows alone', () => {
  assert.equal(formatTable({ header, rows: [['1', 'test', 'running']] }, false), ' 1   test   running\n');
  assert.equal(formatTable({ header, rows: [] }, false), '');
});

test('wide characters count two columns, control characters are escaped', () => {
  const out = formatTable({ header: ['Name', 'X'], rows: [['日本', 'a'], ['tab\there', 'b']] }, true);
  assert.equal(out,
    ' Name          X\n' +
    '------------------\n' +
    ' 日本          a\n' +
    ' tab\\x09here   b\n');
});
