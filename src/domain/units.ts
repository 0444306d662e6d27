/**
 * libvirt's memory units (`<memory unit=…>`, docs/formatdomain.rst "Memory Allocation"; virScaleInteger):
 * b/byte/bytes; KB, MB, GB, TB, PB, EB powers of 1000; k/KiB, M/MiB, G/GiB, T/TiB, P/PiB, E/EiB powers of
 * 1024; letters case-insensitive as in libvirt; no unit means KiB. Values convert to KiB rounded up to a
 * whole KiB, as libvirt does (VIR_DIV_UP(bytes, 1024)).
 */
import { VirtmonError } from './errors.ts';

const POWERS = { k: 1n, m: 2n, g: 3n, t: 4n, p: 5n, e: 6n } as const;

/** Largest size libvirt accepts: LLONG_MAX bytes (virDomainParseMemory). */
const MAX_BYTES = 2n ** 63n - 1n;

/** Bytes per unit, or undefined for an unknown unit. The empty unit is KiB. */
export function unitMultiplier(unit: string | undefined): bigint | undefined {
  if (unit === undefined || unit === '') return 1024n;
  const u = unit.toLowerCase();
  if (u === 'b' || u === 'byte' || u === 'bytes') return 1n;
  const power = POWERS[u[0] as keyof typeof POWERS] as bigint | undefined;
  if (power === undefined) return undefined;
  const suffix = u.slice(1);
  if (suffix === '' || suffix === 'ib') return 1024n ** power;
  if (suffix === 'b') return 1000n ** power;
  return undefined;
}

/**
 * Converts a memory element's text and unit to KiB. `element` names the element in messages
 * (`<memory>`), `key` is the XML path for the error. Non-integer, negative, unknown-unit and too-large
 * values fail with VIR_ERR_XML_ERROR.
 */
export function memoryToKiB(value: string, unit: string | undefined, element: string, key?: string): number {
  const fail = (detail: string): VirtmonError =>
    new VirtmonError('VIR_ERR_XML_ERROR', detail, key === undefined ? {} : { key });
  const multiplier = unitMultiplier(unit);
  if (multiplier === undefined) throw fail(`unknown memory unit '${unit ?? ''}' in ${element}`);
  const text = value.trim();
  if (!/^[0-9]+$/.test(text)) {
    throw fail(`invalid value '${value}' in ${element}: expected a non-negative integer`);
  }
  const bytes = BigInt(text) * multiplier;
  if (bytes > MAX_BYTES) throw fail(`value too large: ${text}${unit === undefined ? '' : ` ${unit}`} in ${element}`);
  return Number((bytes + 1023n) / 1024n);
}

/** KiB → bytes as a JS number (exact up to 8 PiB). */
export function kibToBytes(kib: number): number {
  return kib * 1024;
}
