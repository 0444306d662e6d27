/**
 * The test driver's statistics: every bulk-stats group the collectors read, computed from the
 * driver's clock so a scheduler, the snapshot and the exporters run end to end without QEMU.
 *
 * Deterministic: values depend only on the domain's UUID (per-domain variety through a hash, never
 * Math.random), its definition, its state history and the clock. Counters grow only while the domain
 * is RUNNING, follow a smooth rate (base × (1 + ½·sin), integrated, so they never go backwards) and
 * start from zero at each boot, as a new QEMU process's counters do. Inactive domains report `state.*`
 * only. Fields are written in `virsh domstats` order (libvirt-semantics.md §14).
 */
import type { DiskDef, DomainDef, InterfaceDef } from '../../domain/def.ts';
import type { SampleFields } from '../../domain/sample.ts';
import { isActiveState } from '../../domain/states.ts';
import type { DomainStateCode } from '../../domain/states.ts';
import type { SyntheticStatsSource } from '../../domain/stats-target.ts';

/** What the statistics read from the domain object at fill time. */
export interface SyntheticSubject {
  readonly state: DomainStateCode;
  readonly reason: number;
  /** The running definition (balloon target, online vCPUs, disks and NICs). */
  readonly def: DomainDef;
}

const KIB = 1024;
const GIB = 1024 * 1024 * 1024;

/**
 * Running time of the current boot and the per-domain parameters derived from its UUID. One per
 * domain object; the driver reports boots and state changes, {@link fill} reads.
 */
export class SyntheticStats {
  readonly #uuid: string;
  readonly #clock: () => number;
  #accumulatedMs = 0;
  #runningSince: number | undefined;

  constructor(uuid: string, clock: () => number) {
    this.#uuid = uuid;
    this.#clock = clock;
  }

  /** A new boot (start, create, restore): counters start again from zero. */
  boot(running: boolean): void {
    this.#accumulatedMs = 0;
    this.#runningSince = running ? this.#clock() : undefined;
  }

  /** The domain entered (true) or left (false) RUNNING. Repeating the current state is harmless. */
  setRunning(running: boolean): void {
    const now = this.#clock();
    if (running && this.#runningSince === undefined) this.#runningSince = now;
    if (!running && this.#runningSince !== undefined) {
      this.#accumulatedMs += Math.max(0, now - this.#runningSince);
      this.#runningSince = undefined;
    }
  }

  /** Milliseconds spent RUNNING since the last boot, at the clock's current time. */
  runningMs(): number {
    const now = this.#clock();
    return this.#accumulatedMs + (this.#runningSince === undefined ? 0 : Math.max(0, now - this.#runningSince));
  }

  /** A {@link SyntheticStatsSource} bound to a domain object. */
  sourceFor(subject: () => SyntheticSubject): SyntheticStatsSource {
    return { fill: (group, into) => { this.fill(group, into, subject()); } };
  }

  /** Writes one bulk-stats group's fields for the domain as it is now; unknown groups write nothing. */
  fill(group: string, into: SampleFields, subject: SyntheticSubject): void {
    if (group === 'state') {
      into.set('state.state', subject.state);
      into.set('state.reason', subject.reason);
      return;
    }
    if (!isActiveState(subject.state)) return;
    const t = this.runningMs();
    switch (group) {
      case 'cpu-total': this.#fillCpu(into, subject.def, t); break;
      case 'balloon': this.#fillBalloon(into, subject.def, t); break;
      case 'vcpu': this.#fillVcpu(into, subject, t); break;
      case 'interface': this.#fillInterfaces(into, subject.def.devices.interfaces, t); break;
      case 'block': this.#fillBlock(into, subject.def.devices.disks, t); break;
      default: break;
    }
  }

  /** Host CPU-seconds per second this domain burns while running (0.05–0.6 of each vCPU). */
  #load(def: DomainDef): number {
    return (0.05 + 0.55 * this.#unit('cpu.load')) * def.vcpu.max;
  }

  #cpuNs(def: DomainDef, t: number): bigint {
    return ns(this.#load(def) * this.#wave('cpu', t) * 1e6);
  }

  #fillCpu(into: SampleFields, def: DomainDef, t: number): void {
    const total = this.#cpuNs(def, t);
    const user = (total * 7n) / 10n;
    into.set('cpu.time', total);
    into.set('cpu.user', user);
    into.set('cpu.system', total - user);
  }

  #fillBalloon(into: SampleFields, def: DomainDef, t: number): void {
    const balloon = def.devices.memballoon;
    const hasBalloon = balloon !== undefined && balloon.model !== 'none';
    const current = hasBalloon ? def.currentMemoryKiB : def.memoryKiB;
    into.set('balloon.current', current);
    into.set('balloon.maximum', def.memoryKiB);
    if (hasBalloon) {
      // A synthetic guest with a balloon driver: its own view of memory (KiB) and fault counters.
      const period = balloon.statsPeriod !== undefined && balloon.statsPeriod > 0 ? balloon.statsPeriod : 10;
      const slow = 0.5 + 0.5 * Math.sin((2 * Math.PI * t) / (600_000 + 1_200_000 * this.#unit('mem.period')));
      const caches = Math.floor(current * (0.08 + 0.12 * this.#unit('mem.cache')) * (0.6 + 0.4 * slow));
      const unused = Math.floor(current * (0.15 + 0.35 * this.#unit('mem.free')) * (0.7 + 0.3 * (1 - slow)));
      const swaps = this.#unit('mem.swap') < 0.3;
      into.set('balloon.swap_in', swaps ? counter(4 * this.#unit('swap.in'), this.#wave('swap.in', t)) : 0n);
      into.set('balloon.swap_out', swaps ? counter(8 * this.#unit('swap.out'), this.#wave('swap.out', t)) : 0n);
      into.set('balloon.major_fault', 200n + counter(0.2 + 2 * this.#unit('fault.major'), this.#wave('fault.major', t)));
      into.set('balloon.minor_fault', 60_000n + counter(50 + 900 * this.#unit('fault.minor'), this.#wave('fault.minor', t)));
      into.set('balloon.unused', unused);
      into.set('balloon.available', current);
      into.set('balloon.usable', Math.min(current, unused + Math.floor(caches * 0.8)));
      into.set('balloon.last-update', Math.floor(this.#clock() / 1000 / period) * period);
      into.set('balloon.disk_caches', caches);
      into.set('balloon.hugetlb_pgalloc', 0n);
      into.set('balloon.hugetlb_pgfail', 0n);
    }
    // QEMU's resident set: its own overhead plus guest pages touched so far, approaching a share of the balloon.
    const touched = 1 - Math.exp(-t / (60_000 + 240_000 * this.#unit('rss.tau')));
    into.set('balloon.rss', Math.floor(90 * KIB + current * (0.3 + 0.6 * this.#unit('rss.share')) * touched));
  }

  #fillVcpu(into: SampleFields, subject: SyntheticSubject, t: number): void {
    const { def } = subject;
    into.set('vcpu.current', def.vcpu.current);
    into.set('vcpu.maximum', def.vcpu.max);
    const perVcpu = this.#load(def) / def.vcpu.max;
    for (let i = 0; i < def.vcpu.current; i++) {
      const key = `vcpu${i}`;
      const busy = perVcpu * (0.6 + 0.6 * this.#unit(`${key}.share`)) * this.#wave(key, t) * 1e6;
      into.set(`vcpu.${i}.state`, 1);
      into.set(`vcpu.${i}.time`, ns(busy * 0.9));
      into.set(`vcpu.${i}.wait`, ns(busy * (0.01 + 0.04 * this.#unit(`${key}.wait`))));
      into.set(`vcpu.${i}.delay`, ns(busy * (0.005 + 0.03 * this.#unit(`${key}.delay`))));
    }
  }

  #fillInterfaces(into: SampleFields, nics: readonly InterfaceDef[], t: number): void {
    into.set('net.count', nics.length);
    nics.forEach((nic, i) => {
      if (nic.targetDev === undefined) return; // like `-netdev user`: counted, no host device to read
      const key = `net${i}`;
      const rxRate = logUniform(2_000, 2_000_000, this.#unit(`${key}.rx`)); // bytes/s, guest view
      const txRate = rxRate * (0.2 + 1.3 * this.#unit(`${key}.tx`));
      const rxBytes = counter(rxRate, this.#wave(`${key}.rx`, t));
      const txBytes = counter(txRate, this.#wave(`${key}.tx`, t));
      const rxPkts = rxBytes / BigInt(400 + Math.floor(1000 * this.#unit(`${key}.rxsize`)));
      const txPkts = txBytes / BigInt(200 + Math.floor(1000 * this.#unit(`${key}.txsize`)));
      into.set(`net.${i}.name`, nic.targetDev);
      into.set(`net.${i}.rx.bytes`, rxBytes);
      into.set(`net.${i}.rx.pkts`, rxPkts);
      into.set(`net.${i}.rx.errs`, 0n);
      into.set(`net.${i}.rx.drop`, rxPkts / 50_000n);
      into.set(`net.${i}.tx.bytes`, txBytes);
      into.set(`net.${i}.tx.pkts`, txPkts);
      into.set(`net.${i}.tx.errs`, 0n);
      into.set(`net.${i}.tx.drop`, 0n);
    });
  }

  #fillBlock(into: SampleFields, disks: readonly DiskDef[], t: number): void {
    into.set('block.count', disks.length);
    disks.forEach((disk, i) => {
      into.set(`block.${i}.name`, disk.target.dev);
      if (disk.source === undefined) return; // an empty cdrom: nothing behind it
      into.set(`block.${i}.path`, disk.source);
      const key = `disk:${disk.target.dev}`;
      const cdrom = disk.device === 'cdrom' || disk.readonly;
      const rdIops = (cdrom ? 0.1 : 1) * logUniform(1, 200, this.#unit(`${key}.rdiops`));
      const wrIops = cdrom ? 0 : logUniform(1, 150, this.#unit(`${key}.wriops`));
      const rdReqs = counter(rdIops, this.#wave(`${key}.rd`, t));
      const wrReqs = counter(wrIops, this.#wave(`${key}.wr`, t));
      const flReqs = wrReqs / 20n;
      const rdSize = BigInt(4096 * (1 + Math.floor(31 * this.#unit(`${key}.rdsize`))));
      const wrSize = BigInt(4096 * (1 + Math.floor(15 * this.#unit(`${key}.wrsize`))));
      const latency = (k: string, lo: number, hi: number): bigint => BigInt(Math.floor(logUniform(lo, hi, this.#unit(`${key}.${k}`))));
      const capacity = cdrom ? 700 * 1024 * 1024 : GIB * (8 + Math.floor(192 * this.#unit(`${key}.capacity`)));
      const base = Math.floor(capacity * (0.1 + 0.5 * this.#unit(`${key}.alloc`)));
      const allocation = Math.min(capacity, base + Number(wrReqs * wrSize / 8n));
      into.set(`block.${i}.rd.reqs`, rdReqs);
      into.set(`block.${i}.rd.bytes`, rdReqs * rdSize);
      into.set(`block.${i}.rd.times`, rdReqs * latency('rdlat', 50_000, 2_000_000));
      into.set(`block.${i}.wr.reqs`, wrReqs);
      into.set(`block.${i}.wr.bytes`, wrReqs * wrSize);
      into.set(`block.${i}.wr.times`, wrReqs * latency('wrlat', 80_000, 4_000_000));
      into.set(`block.${i}.fl.reqs`, flReqs);
      into.set(`block.${i}.fl.times`, flReqs * latency('fllat', 200_000, 8_000_000));
      into.set(`block.${i}.allocation`, allocation);
      into.set(`block.${i}.capacity`, capacity);
      into.set(`block.${i}.physical`, allocation);
    });
  }

  /**
   * ∫₀ᵗ (1 + ½·sin(2πs/P + φ)) ds in ms, with P (2–12 min) and φ from the UUID and `key`: a rate
   * that swings between ½ and 1½ of its base, integrated, so it only ever grows.
   */
  #wave(key: string, t: number): number {
    const period = 120_000 + 600_000 * this.#unit(`${key}.period`);
    const phase = 2 * Math.PI * this.#unit(`${key}.phase`);
    const w = (2 * Math.PI) / period;
    return t + (0.5 / w) * (Math.cos(phase) - Math.cos(w * t + phase));
  }

  /** A number in [0, 1) fixed by the UUID and `key` (FNV-1a). */
  #unit(key: string): number {
    return fnv1a(`${this.#uuid}/${key}`) / 2 ** 32;
  }
}

/** Base rate per second × integrated ms → a counter. */
function counter(perSecond: number, waveMs: number): bigint {
  return BigInt(Math.floor((perSecond * waveMs) / 1000));
}

function ns(value: number): bigint {
  return BigInt(Math.floor(value));
}

/** Maps u ∈ [0, 1) onto [lo, hi) evenly in log scale (rates span orders of magnitude). */
function logUniform(lo: number, hi: number, u: number): number {
  return lo * (hi / lo) ** u;
}

/** 32-bit FNV-1a of a string's UTF-16 code units, finished with murmur3's fmix32 so keys that differ
 * only in their last character still land far apart. */
function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
