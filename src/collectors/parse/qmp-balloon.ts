/**
 * Maps QMP balloon replies to libvirt's `balloon.*` fields (qemuDomainGetStatsBalloon,
 * qemuMonitorJSONGetMemoryStats): `query-balloon` gives the current size, `qom-get` of the balloon
 * device's `guest-stats` property gives the guest's own counters, under names that do not say what
 * they are (`stat-total-memory` is exported as `balloon.available`, `stat-available-memory` as
 * `balloon.usable`; libvirt-semantics.md §9).
 */
import type { SampleFields } from '../../domain/sample.ts';
import { jsonU64 } from './numbers.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `query-balloon` → `{ actual: bytes }` → KiB (libvirt's cur_balloon). */
export function balloonCurrentKiB(reply: unknown): bigint | undefined {
  const actual = isObject(reply) ? jsonU64(reply.actual) : undefined;
  return actual === undefined ? undefined : actual / 1024n;
}

/** QEMU guest-stats key → bulk-stats suffix and divisor, in the order libvirt emits them. */
const GUEST_STATS = [
  ['stat-swap-in', 'swap_in', 1024n],
  ['stat-swap-out', 'swap_out', 1024n],
  ['stat-major-faults', 'major_fault', 1n],
  ['stat-minor-faults', 'minor_fault', 1n],
  ['stat-free-memory', 'unused', 1024n],
  ['stat-total-memory', 'available', 1024n],
  ['stat-available-memory', 'usable', 1024n],
  ['last-update', 'last-update', 1n],
  ['stat-disk-caches', 'disk_caches', 1024n],
  ['stat-htlb-pgalloc', 'hugetlb_pgalloc', 1n],
  ['stat-htlb-pgfail', 'hugetlb_pgfail', 1n],
] as const;

const NOT_COLLECTED = (1n << 64n) - 1n;

/**
 * A guest-stats value, or undefined when the guest does not report it: QEMU initialises every stat to
 * -1 and prints it as -1 (int64) or 18446744073709551615 (uint64, which JSON.parse rounds to 2^64).
 */
function statValue(raw: unknown): bigint | undefined {
  if (raw === -1 || raw === '-1' || raw === -1n) return undefined;
  const value = jsonU64(raw);
  return value === NOT_COLLECTED ? undefined : value;
}

/**
 * The `balloon.*` fields of a `qom-get … guest-stats` reply (`{ stats: {…}, "last-update": s }`), in
 * libvirt's order. `last-update` is top-level and 0 until the guest driver first reports; it is kept,
 * as virsh prints `balloon.last-update=0`. Returns [] for a reply of another shape.
 */
export function guestStatsFields(reply: unknown): Array<[string, bigint]> {
  if (!isObject(reply)) return [];
  const stats = isObject(reply.stats) ? reply.stats : {};
  const out: Array<[string, bigint]> = [];
  for (const [key, name, divisor] of GUEST_STATS) {
    const value = statValue(key === 'last-update' ? reply[key] : stats[key]);
    if (value !== undefined) out.push([`balloon.${name}`, value / divisor]);
  }
  return out;
}

/** QEMU before 5.x answered guest-stats with this error until the guest first reported. */
export function isGuestStatsNotReady(error: unknown): boolean {
  return error instanceof Error && error.message.includes("guest hasn't updated any stats yet");
}

/** What the balloon group is built from; each part is optional. */
export interface BalloonSources {
  /** Current balloon size, KiB ({@link balloonCurrentKiB}, or the defined memory without a balloon). */
  readonly currentKiB?: bigint;
  /** Defined (maximum) memory, KiB. */
  readonly maximumKiB?: bigint;
  /** The `qom-get guest-stats` reply. */
  readonly guestStats?: unknown;
  /** QEMU's resident set, KiB (from /proc/PID/stat). */
  readonly rssKiB?: bigint;
}

/** Writes the balloon group in libvirt's order: current, maximum, guest stats, rss. */
export function writeBalloonFields(into: SampleFields, sources: BalloonSources): void {
  if (sources.currentKiB !== undefined) into.set('balloon.current', sources.currentKiB);
  if (sources.maximumKiB !== undefined) into.set('balloon.maximum', sources.maximumKiB);
  if (sources.guestStats !== undefined) for (const [name, value] of guestStatsFields(sources.guestStats)) into.set(name, value);
  if (sources.rssKiB !== undefined) into.set('balloon.rss', sources.rssKiB);
}
