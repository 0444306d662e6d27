/**
 * The `block` group (qemuDomainGetStatsBlock): `block.count`, per disk name and path, then the
 * front-end counters (rd/wr/fl reqs, bytes, times) and `allocation` from one `query-blockstats` (the
 * front-end entries carry the format node's `parent` with the storage node's `wr_highest_offset`), and
 * `capacity`, `physical`, `threshold` from `query-named-block-nodes` (flat). `query-blockstats` with
 * `query-nodes: true` is not used: its node entries have no front-end accounting (all zero; see the
 * captured replies in test/fixtures/qmp).
 *
 * Capacity and physical size change rarely (a resize, an image that grows), and the named-nodes reply
 * is the largest of all (~1 KB per node, and QEMU stats every image file to build it), so it is fetched
 * once per {@link NODES_REFRESH_MS} per domain and the sizes are reused in between. A failure of it keeps
 * the previous sizes and does not fail the group.
 */
import type { StatsTarget } from '../domain/stats-target.ts';
import { isSampled, qmp } from './active.ts';
import { failureKind } from './failure.ts';
import type { BlockNodeSizes } from './parse/qmp-block.ts';
import { indexBlockstats, indexNamedBlockNodes, writeBlockFields } from './parse/qmp-block.ts';
import type { CollectContext, Collector } from './types.ts';

/** How often a domain's named block nodes are fetched again, ms. */
export const NODES_REFRESH_MS = 60_000;

interface KnownNodes {
  readonly index: ReadonlyMap<string, BlockNodeSizes>;
  readonly time: number;
}

/** The named-node sizes: cached ones while fresh, else a fetch (undefined when not needed). */
function nodesFetch(target: StatsTarget, ctx: CollectContext): Promise<unknown> | undefined {
  if (!target.disks.some((d) => d.formatNode !== undefined || d.storageNode !== undefined)) return undefined;
  const known = ctx.memo.get('nodes') as KnownNodes | undefined;
  if (known !== undefined && ctx.now - known.time < NODES_REFRESH_MS) return undefined;
  return qmp(target, ctx, 'query-named-block-nodes', { flat: true });
}

/** block.count, block.N.{name,path,rd.*,wr.*,fl.*,allocation,capacity,physical,threshold}. */
export const blockCollector = {
  name: 'block',
  group: 'block',
  defaultEnabled: true,
  usesQmp: true,
  async collect(target, ctx) {
    if (!isSampled(target)) return;
    if (target.synthetic !== undefined) {
      target.synthetic.fill('block', ctx.sample);
      return;
    }
    if (target.qmp === undefined || target.disks.length === 0) {
      writeBlockFields(ctx.sample, target.disks, {});
      return;
    }
    const [stats, nodes] = await Promise.allSettled([
      qmp(target, ctx, 'query-blockstats'),
      nodesFetch(target, ctx) ?? Promise.resolve(undefined),
    ]);
    if (stats.status === 'rejected') {
      ctx.fail(failureKind(stats.reason), stats.reason);
      return;
    }
    if (nodes.status === 'fulfilled' && nodes.value !== undefined) {
      ctx.memo.set('nodes', { index: indexNamedBlockNodes(nodes.value), time: ctx.now } satisfies KnownNodes);
    } else if (nodes.status === 'rejected') {
      ctx.fail(failureKind(nodes.reason), nodes.reason, { partial: true });
    }
    const known = ctx.memo.get('nodes') as KnownNodes | undefined;
    writeBlockFields(ctx.sample, target.disks, {
      blockstats: indexBlockstats(stats.value),
      ...(known === undefined ? {} : { nodes: known.index }),
    });
  },
} as const satisfies Collector;
