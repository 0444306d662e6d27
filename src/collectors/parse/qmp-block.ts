/**
 * Maps QMP block replies to libvirt's `block.N.*` fields (qemuDomainGetStatsBlock):
 * `query-blockstats` (front-end entries: rd/wr/fl counters and times; `parent.stats.wr_highest_offset`
 * of a format node: allocation) and `query-named-block-nodes` with `flat: true` (capacity from
 * `image.virtual-size`, physical from `image.actual-size`, threshold from `write_threshold`).
 * Entries are indexed as libvirt does: by `device` (legacy `-drive` id), by `qdev` and by `node-name`.
 */
import type { SampleFields } from '../../domain/sample.ts';
import type { StatsDisk } from '../../domain/stats-target.ts';
import { jsonU64 } from './numbers.ts';

/** The counters of one query-blockstats entry that libvirt exports; absent when QEMU left them out. */
export interface BlockstatsEntry {
  readonly rdReqs?: bigint;
  readonly rdBytes?: bigint;
  readonly rdTimes?: bigint;
  readonly wrReqs?: bigint;
  readonly wrBytes?: bigint;
  readonly wrTimes?: bigint;
  readonly flReqs?: bigint;
  readonly flTimes?: bigint;
  /** `parent.stats.wr_highest_offset`: the highest offset written to the node below (allocation). */
  readonly wrHighestOffset?: bigint;
}

/** Sizes of one named block node. */
export interface BlockNodeSizes {
  readonly capacity?: bigint;
  readonly physical?: bigint;
  /** Non-zero `write_threshold` (QEMU reports 0 for "none"). */
  readonly threshold?: bigint;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const STAT_KEYS = [
  ['rdReqs', 'rd_operations'], ['rdBytes', 'rd_bytes'], ['rdTimes', 'rd_total_time_ns'],
  ['wrReqs', 'wr_operations'], ['wrBytes', 'wr_bytes'], ['wrTimes', 'wr_total_time_ns'],
  ['flReqs', 'flush_operations'], ['flTimes', 'flush_total_time_ns'],
] as const;

function entryOf(raw: Record<string, unknown>): BlockstatsEntry {
  const out: { -readonly [K in keyof BlockstatsEntry]: BlockstatsEntry[K] } = {};
  const stats = isObject(raw.stats) ? raw.stats : {};
  for (const [name, key] of STAT_KEYS) {
    const value = jsonU64(stats[key]);
    if (value !== undefined) out[name] = value;
  }
  const parent = isObject(raw.parent) && isObject(raw.parent.stats) ? raw.parent.stats : undefined;
  const offset = parent === undefined ? undefined : jsonU64(parent.wr_highest_offset);
  if (offset !== undefined) out.wrHighestOffset = offset;
  return out;
}

/** The qdev id inside a QOM path (`/machine/peripheral/virtio-disk0/virtio-backend` → `virtio-disk0`). */
function qdevIdOf(qdev: string): string {
  const prefix = '/machine/peripheral/';
  if (!qdev.startsWith(prefix)) return qdev;
  const rest = qdev.slice(prefix.length);
  const slash = rest.indexOf('/');
  return slash < 0 ? rest : rest.slice(0, slash);
}

/**
 * Indexes `query-blockstats` replies: the front-end reply (`query-nodes: false`) and, optionally, the
 * node reply (`query-nodes: true`), whose entries fill node names not seen in the first. Keys are
 * `device:<id>`, `qdev:<id>` and `node:<node-name>`. Malformed entries are skipped.
 */
export function indexBlockstats(devices: unknown, nodes?: unknown): Map<string, BlockstatsEntry> {
  const index = new Map<string, BlockstatsEntry>();
  for (const raw of Array.isArray(devices) ? devices : []) {
    if (!isObject(raw)) continue;
    const entry = entryOf(raw);
    if (typeof raw.device === 'string' && raw.device !== '') index.set(`device:${raw.device}`, entry);
    if (typeof raw.qdev === 'string' && raw.qdev !== '') index.set(`qdev:${qdevIdOf(raw.qdev)}`, entry);
    if (typeof raw['node-name'] === 'string') index.set(`node:${raw['node-name']}`, entry);
  }
  for (const raw of Array.isArray(nodes) ? nodes : []) {
    if (!isObject(raw) || typeof raw['node-name'] !== 'string') continue;
    const key = `node:${raw['node-name']}`;
    if (!index.has(key)) index.set(key, entryOf(raw));
  }
  return index;
}

/** Indexes a flat `query-named-block-nodes` reply by node name. */
export function indexNamedBlockNodes(reply: unknown): Map<string, BlockNodeSizes> {
  const index = new Map<string, BlockNodeSizes>();
  for (const raw of Array.isArray(reply) ? reply : []) {
    if (!isObject(raw) || typeof raw['node-name'] !== 'string' || !isObject(raw.image)) continue;
    const capacity = jsonU64(raw.image['virtual-size']);
    // libvirt: "if actual-size is missing, image is not thin provisioned".
    const physical = jsonU64(raw.image['actual-size']) ?? capacity;
    const threshold = jsonU64(raw.write_threshold);
    index.set(raw['node-name'], {
      ...(capacity === undefined ? {} : { capacity }),
      ...(physical === undefined ? {} : { physical }),
      ...(threshold === undefined || threshold === 0n ? {} : { threshold }),
    });
  }
  return index;
}

/** The front-end entry of a disk: by qdev id, then the legacy drive id, then its top node. */
export function frontendOf(index: ReadonlyMap<string, BlockstatsEntry>, disk: StatsDisk): BlockstatsEntry | undefined {
  const id = disk.qdevId;
  return (id === undefined ? undefined : index.get(`qdev:${id}`) ?? index.get(`device:drive-${id}`) ?? index.get(`device:${id}`))
    ?? (disk.formatNode === undefined ? undefined : index.get(`node:${disk.formatNode}`));
}

/** What the block group is built from; each part is optional (a failed query leaves its fields out). */
export interface BlockSources {
  /** From {@link indexBlockstats}. */
  readonly blockstats?: ReadonlyMap<string, BlockstatsEntry>;
  /** From {@link indexNamedBlockNodes}. */
  readonly nodes?: ReadonlyMap<string, BlockNodeSizes>;
}

/**
 * Writes the whole block group in libvirt's order: `block.count`, then per disk `name`, `path`,
 * `rd.reqs rd.bytes rd.times wr.reqs wr.bytes wr.times fl.reqs fl.times`, `allocation`, `capacity`,
 * `physical`, `threshold`. A value QEMU did not report is left out (libvirt would print 0).
 */
export function writeBlockFields(into: SampleFields, disks: readonly StatsDisk[], sources: BlockSources): void {
  into.set('block.count', disks.length);
  for (const disk of disks) {
    const p = `block.${disk.index}.`;
    into.set(`${p}name`, disk.target);
    if (disk.path !== undefined) into.set(`${p}path`, disk.path);
    const front = sources.blockstats === undefined ? undefined : frontendOf(sources.blockstats, disk);
    if (front !== undefined) {
      const put = (name: string, v: bigint | undefined): void => { if (v !== undefined) into.set(p + name, v); };
      put('rd.reqs', front.rdReqs); put('rd.bytes', front.rdBytes); put('rd.times', front.rdTimes);
      put('wr.reqs', front.wrReqs); put('wr.bytes', front.wrBytes); put('wr.times', front.wrTimes);
      put('fl.reqs', front.flReqs); put('fl.times', front.flTimes);
    }
    const backend = disk.formatNode === undefined ? front : sources.blockstats?.get(`node:${disk.formatNode}`) ?? front;
    if (backend?.wrHighestOffset !== undefined) into.set(`${p}allocation`, backend.wrHighestOffset);
    const sizes = disk.formatNode === undefined ? undefined : sources.nodes?.get(disk.formatNode);
    if (sizes?.capacity !== undefined) into.set(`${p}capacity`, sizes.capacity);
    if (sizes?.physical !== undefined) into.set(`${p}physical`, sizes.physical);
    const storage = disk.storageNode === undefined ? undefined : sources.nodes?.get(disk.storageNode);
    if (storage?.threshold !== undefined) into.set(`${p}threshold`, storage.threshold);
  }
}
