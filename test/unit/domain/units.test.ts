import { test } from 'node:test';
import assert from 'node:assert/strict';
import { memoryToKiB, unitMultiplier } from '../../../src/domain/units.ts';
import { errorOf } from './xml-helpers.ts';

test('every libvirt unit converts to KiB; no unit means KiB', () => {
  const cases: [string, string | undefined, number][] = [
    ['2048', undefined, 2048], ['2048', '', 2048],
    ['1024', 'b', 1], ['1024', 'bytes', 1], ['2048', 'byte', 2],
    ['1000', 'KB', 977], ['1', 'k', 1], ['7', 'KiB', 7],
    ['1', 'MB', 977], ['256', 'M', 262144], ['256', 'MiB', 262144],
    ['1', 'GB', 976563], ['2', 'G', 2097152], ['2', 'GiB', 2097152],
    ['1', 'TB', 976562500], ['1', 'T', 1073741824], ['1', 'TiB', 1073741824],
    ['1', 'PB', 976562500000], ['1', 'P', 1099511627776], ['1', 'PiB', 1099511627776],
    ['1', 'E', 1125899906842624], ['1', 'EiB', 1125899906842624], ['1', 'EB', 976562500000000],
    // libvirt compares letters case-insensitively (virScaleInteger).
    ['1', 'mib', 1024], ['1', 'gb', 976563], ['1', 'KIB', 1],
  ];
  for (const [value, unit, kib] of cases) assert.equal(memoryToKiB(value, unit, '<memory>'), kib, `${value} ${unit ?? '(none)'}`);
});

test('sizes round up to a whole KiB as libvirt does', () => {
  assert.equal(memoryToKiB('1', 'b', '<memory>'), 1);
  assert.equal(memoryToKiB('1025', 'bytes', '<memory>'), 2);
  assert.equal(memoryToKiB('0', 'bytes', '<memory>'), 0);
  assert.equal(memoryToKiB('1000000001', 'b', '<memory>'), 976563);
  assert.equal(memoryToKiB(' 42 ', 'KiB', '<memory>'), 42);
});

test('unknown units, non-integers and overflow are XML errors naming the element', () => {
  const e1 = errorOf(() => memoryToKiB('4', 'XB', '<memory>', 'domain/memory'));
  assert.equal(e1.message, "XML error: unknown memory unit 'XB' in <memory>");
  assert.equal(e1.key, 'domain/memory');
  assert.equal(errorOf(() => memoryToKiB('1.5', 'GiB', '<memory>')).message,
    "XML error: invalid value '1.5' in <memory>: expected a non-negative integer");
  assert.equal(errorOf(() => memoryToKiB('-1', undefined, '<currentMemory>')).message,
    "XML error: invalid value '-1' in <currentMemory>: expected a non-negative integer");
  assert.equal(errorOf(() => memoryToKiB('lots', undefined, '<memory>')).message,
    "XML error: invalid value 'lots' in <memory>: expected a non-negative integer");
  assert.equal(errorOf(() => memoryToKiB('9', 'EiB', '<maxMemory>')).message, 'XML error: value too large: 9 EiB in <maxMemory>');
  assert.equal(errorOf(() => memoryToKiB('99999999999999999999', undefined, '<memory>')).message,
    'XML error: value too large: 99999999999999999999 in <memory>');
  assert.equal(unitMultiplier('MiBs'), undefined);
  assert.equal(unitMultiplier('kibi'), undefined);
});
