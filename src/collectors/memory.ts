/**
 * The `balloon` group (qemuDomainGetStatsBalloon): `balloon.current` (KiB), `balloon.maximum` (the
 * defined memory), the guest's own statistics through `qom-get guest-stats` with libvirt's field
 * mapping (only when `<memballoon><stats period>` is set: without a polling interval QEMU never
 * refreshes them), and `balloon.rss` from `/proc/PID/stat`.
 *
 * Like libvirt (cur_balloon), the current size is not asked for every cycle: it comes from
 * BALLOON_CHANGE events (`ctx.hints`) and a `query-balloon` when none is known yet, re-asked every
 * {@link BALLOON_REFRESH_MS} in case an event was missed. So a domain without guest stats costs no QMP
 * command here in most cycles.
 */
import type { StatsTarget } from '../domain/stats-target.ts';
import { isSampled, qmp, readFiles } from './active.ts';
import { failureKind } from './failure.ts';
import { balloonCurrentKiB, isGuestStatsNotReady, writeBalloonFields } from './parse/qmp-balloon.ts';
import type { BalloonSources } from './parse/qmp-balloon.ts';
import { readRssKiB } from './sources/memory.ts';
import type { CollectContext, Collector } from './types.ts';

/** How long a balloon size learned from QMP or an event is trusted without asking again, ms. */
export const BALLOON_REFRESH_MS = 60_000;

interface KnownBalloon {
  readonly value: bigint;
  readonly time: number;
}

const hasBalloon = (target: StatsTarget): boolean => (target.def.devices.memballoon?.model ?? 'virtio') !== 'none';

const wantsGuestStats = (target: StatsTarget): boolean =>
  hasBalloon(target) && target.balloonQomPath !== undefined && (target.def.devices.memballoon?.statsPeriod ?? 0) > 0;

/** The balloon size: from the last event or query when fresh, else asked with query-balloon. */
async function currentKiB(target: StatsTarget, ctx: CollectContext): Promise<bigint | undefined> {
  if (!hasBalloon(target)) return BigInt(target.def.memoryKiB);
  if (target.qmp === undefined) return BigInt(target.def.currentMemoryKiB);
  let known = ctx.memo.get('balloon') as KnownBalloon | undefined;
  const hint = ctx.hints.balloonKiB;
  if (hint !== undefined && (known === undefined || hint.time >= known.time)) known = hint;
  if (known !== undefined && ctx.now - known.time < BALLOON_REFRESH_MS) return known.value;
  const value = balloonCurrentKiB(await qmp(target, ctx, 'query-balloon'));
  if (value !== undefined) ctx.memo.set('balloon', { value, time: ctx.now } satisfies KnownBalloon);
  return value;
}

/** balloon.current, balloon.maximum, balloon.{swap_in … hugetlb_pgfail}, balloon.rss. */
export const memoryCollector = {
  name: 'memory',
  group: 'balloon',
  defaultEnabled: true,
  usesQmp: true,
  async collect(target, ctx) {
    if (!isSampled(target)) return;
    if (target.synthetic !== undefined) {
      target.synthetic.fill('balloon', ctx.sample);
      return;
    }
    // Host files first: they never wait on the monitor.
    let rssKiB: bigint | undefined;
    readFiles(ctx, () => { rssKiB = readRssKiB(ctx.sources, target); });
    // Both QMP calls are sent at once; QEMU answers them in order.
    const [current, stats] = await Promise.allSettled([
      currentKiB(target, ctx),
      wantsGuestStats(target)
        ? qmp(target, ctx, 'qom-get', { path: target.balloonQomPath, property: 'guest-stats' })
        : Promise.resolve(undefined),
    ]);
    if (current.status === 'rejected') {
      ctx.fail(failureKind(current.reason), current.reason);
      return;
    }
    let guestStats: unknown;
    if (stats.status === 'fulfilled') guestStats = stats.value;
    else if (!isGuestStatsNotReady(stats.reason)) ctx.fail(failureKind(stats.reason), stats.reason, { partial: true });
    const sources: BalloonSources = {
      ...(current.value === undefined ? {} : { currentKiB: current.value }),
      maximumKiB: BigInt(target.def.memoryKiB),
      ...(guestStats === undefined ? {} : { guestStats }),
      ...(rssKiB === undefined ? {} : { rssKiB }),
    };
    writeBalloonFields(ctx.sample, sources);
  },
} as const satisfies Collector;
