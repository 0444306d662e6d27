/**
 * What a driver hands to the collectors for each domain (DESIGN.md: StatsTargets): identity, the parsed
 * definition (parsed once per start, never per cycle), the live state, and the handles sampling needs:
 * the QEMU pid and vCPU thread ids, the cgroup placement, a QMP executor, or, for the test driver, a
 * synthetic source. Collectors read these; they never call other driver entries.
 */
import type { DomainDef } from './def.ts';
import type { DomainRef } from './domain-ref.ts';
import type { SampleFields } from './sample.ts';
import type { StateWithReason } from './states.ts';

/** Options of one QMP command. */
export interface QmpCommandOptions {
  /** Aborts the wait (the reply, if it comes later, is dropped). */
  readonly signal?: AbortSignal;
  /** Deadline for the reply in ms; the executor has a default. */
  readonly timeoutMs?: number;
}

/** The part of a QMP client the collectors use. Rejects with a VirtmonError (INTERNAL_ERROR for a
 * QMP error reply, OPERATION_TIMEOUT for a deadline, VIRTMON_ERR_QMP_INTERRUPTED for a closed monitor). */
export interface QmpExecutor {
  execute<T = unknown>(command: string, args?: Record<string, unknown>, options?: QmpCommandOptions): Promise<T>;
}

/** Where a domain's cgroups are, relative to the mount points the collectors are given. */
export interface CgroupPlacement {
  /** cgroup v2: the domain's group (the one holding `emulator` and `vcpuN`), relative to the unified mount. */
  readonly unified?: string;
  /** cgroup v1: the domain's group per controller, relative to `<cgroupRoot>/<controller>`. */
  readonly v1?: Readonly<Partial<Record<'cpu' | 'cpuacct' | 'memory' | 'blkio' | 'cpuset', string>>>;
}

/** A disk as the block collector needs it; N = position among the domain's disks (skipping none). */
export interface StatsDisk {
  readonly index: number;
  /** `<target dev>`, the `block.N.name`. */
  readonly target: string;
  /** Source path, the `block.N.path`. */
  readonly path?: string;
  /** QEMU front-end device id (`virtio-disk0`), matches `qdev` in query-blockstats. */
  readonly qdevId?: string;
  /** Block node names (format node, storage node), matched in query-named-block-nodes. */
  readonly formatNode?: string;
  readonly storageNode?: string;
}

/** A NIC as the interface collector needs it. */
export interface StatsNic {
  readonly index: number;
  /** Host-side device (tap) name, the `net.N.name`; absent for `-netdev user`. */
  readonly hostDev?: string;
  /** True for taps (host TX = guest RX); false for macvtap (`type='direct'`). */
  readonly swapRxTx: boolean;
}

/** The test driver's statistics: fills a group's fields at the driver's (injectable) clock. */
export interface SyntheticStatsSource {
  fill(group: string, into: SampleFields): void;
}

/** One domain, ready to be sampled. */
export interface StatsTarget {
  readonly ref: DomainRef;
  /** Live definition (parsed at start/attach, cached on the domain object). */
  readonly def: DomainDef;
  /** Current state and reason, read from the driver's domain object without I/O. */
  state(): StateWithReason;
  readonly persistent: boolean;
  /** QEMU main pid (active qemu domains). */
  readonly pid?: number;
  /** vCPU thread ids by vCPU index (from query-cpus-fast at start). */
  readonly vcpuTids?: readonly number[];
  readonly cgroup?: CgroupPlacement;
  readonly qmp?: QmpExecutor;
  /** QOM path of the balloon device (`/machine/peripheral/balloon0`), for guest-stats. */
  readonly balloonQomPath?: string;
  readonly disks: readonly StatsDisk[];
  readonly nics: readonly StatsNic[];
  /** Present for the test driver: the synthetic source replaces /proc, cgroups and QMP. */
  readonly synthetic?: SyntheticStatsSource;
}
