/**
 * A bounded ring of recent values per domain, fed from snapshot entries. Rates come from two successive
 * samples of the same domain (Δcounter / Δsample time); a counter that went down (restart, re-plug) gives
 * no rate for that point rather than a negative one.
 */
import { convertValue } from '../../catalog/convert.ts';
import type { DomainSample } from '../../domain/sample.ts';
import type { SnapshotEntry } from '../../snapshot/types.ts';
import type { HistoryPoint } from './types.ts';

/** Fixed-capacity ring; the oldest value is overwritten. */
export class Ring<T> {
  readonly #items: (T | undefined)[];
  #next = 0;
  #size = 0;
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.#items = new Array<T | undefined>(capacity);
  }

  push(item: T): void {
    this.#items[this.#next] = item;
    this.#next = (this.#next + 1) % this.capacity;
    this.#size = Math.min(this.#size + 1, this.capacity);
  }

  get size(): number { return this.#size; }

  /** The newest item, if any. */
  newest(): T | undefined {
    return this.#size === 0 ? undefined : this.#items[(this.#next - 1 + this.capacity) % this.capacity];
  }

  /** The newest items for which `keep` holds, walking back from the newest; oldest first. */
  newestWhile(keep: (item: T) => boolean): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.#size; i++) {
      const item = this.#items[(this.#next - i + this.capacity) % this.capacity] as T;
      if (!keep(item)) break;
      out.push(item);
    }
    return out.reverse();
  }

  /** Oldest first. */
  toArray(): T[] {
    const out: T[] = [];
    const start = (this.#next - this.#size + this.capacity) % this.capacity;
    for (let i = 0; i < this.#size; i++) out.push(this.#items[(start + i) % this.capacity] as T);
    return out;
  }
}

/** The counter totals a rate needs, in exported units (seconds, bytes). */
interface Totals { readonly time: number; readonly cpu?: number; readonly disk?: number; readonly net?: number }

function sumDevices(sample: DomainSample, prefix: 'block' | 'net', fields: readonly string[]): number | undefined {
  const count = convertValue(sample.fields.get(`${prefix}.count`), 'id');
  if (count === undefined) return undefined;
  let total = 0;
  let seen = false;
  for (let i = 0; i < count; i++) {
    for (const f of fields) {
      const v = convertValue(sample.fields.get(`${prefix}.${i}.${f}`), 'id');
      if (v !== undefined) { total += v; seen = true; }
    }
  }
  return seen ? total : undefined;
}

function totals(sample: DomainSample): Totals {
  const cpu = convertValue(sample.fields.get('cpu.time'), 'ns→s');
  const disk = sumDevices(sample, 'block', ['rd.bytes', 'wr.bytes']);
  const net = sumDevices(sample, 'net', ['rx.bytes', 'tx.bytes']);
  return { time: sample.time, ...(cpu === undefined ? {} : { cpu }), ...(disk === undefined ? {} : { disk }), ...(net === undefined ? {} : { net }) };
}

function rate(now: number | undefined, prev: number | undefined, seconds: number): number | undefined {
  if (now === undefined || prev === undefined || now < prev) return undefined;
  return (now - prev) / seconds;
}

/** Per-domain history, keyed by UUID; domains that left the snapshot are forgotten. */
export class StatusHistory {
  readonly #rings = new Map<string, Ring<HistoryPoint>>();
  readonly #last = new Map<string, Totals>();
  readonly capacity: number;

  constructor(capacity: number) {
    this.capacity = capacity;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 10_000) {
      throw new RangeError(`status historySize must be an integer in 1..10000, got ${capacity}`);
    }
  }

  /** Adds a point for every entry whose sample is newer than the last one seen. */
  observe(entries: Iterable<SnapshotEntry>): void {
    const present = new Set<string>();
    for (const { sample } of entries) {
      present.add(sample.uuid);
      const prev = this.#last.get(sample.uuid);
      if (prev !== undefined && sample.time <= prev.time) continue;
      const now = totals(sample);
      this.#last.set(sample.uuid, now);
      let ring = this.#rings.get(sample.uuid);
      if (ring === undefined) {
        ring = new Ring<HistoryPoint>(this.capacity);
        this.#rings.set(sample.uuid, ring);
      }
      ring.push(point(sample, now, prev));
    }
    for (const uuid of [...this.#rings.keys()]) {
      if (!present.has(uuid)) { this.#rings.delete(uuid); this.#last.delete(uuid); }
    }
  }

  /** Oldest first; empty for an unknown domain. */
  points(uuid: string): HistoryPoint[] {
    return this.#rings.get(uuid)?.toArray() ?? [];
  }

  /** The newest point of a domain. */
  latest(uuid: string): HistoryPoint | undefined {
    return this.#rings.get(uuid)?.newest();
  }

  /** Points newer than `t` (ms), oldest first. */
  pointsAfter(uuid: string, t: number): HistoryPoint[] {
    return this.#rings.get(uuid)?.newestWhile((p) => p.t > t) ?? [];
  }

  /** Domains with history (bounded by the snapshot's size). */
  get domains(): number { return this.#rings.size; }
}

function point(sample: DomainSample, now: Totals, prev: Totals | undefined): HistoryPoint {
  const mem = convertValue(sample.fields.get('balloon.current'), 'KiB→B');
  const out: { t: number; cpu?: number; mem?: number; disk?: number; net?: number } = { t: sample.time };
  if (mem !== undefined && sample.active) out.mem = mem;
  if (prev === undefined || !sample.active) return out;
  const seconds = (now.time - prev.time) / 1000;
  const vcpus = convertValue(sample.fields.get('vcpu.current'), 'id');
  const cpu = rate(now.cpu, prev.cpu, seconds);
  if (cpu !== undefined && vcpus !== undefined && vcpus > 0) out.cpu = (cpu / vcpus) * 100;
  const disk = rate(now.disk, prev.disk, seconds);
  if (disk !== undefined) out.disk = disk;
  const net = rate(now.net, prev.net, seconds);
  if (net !== undefined) out.net = net;
  return out;
}
