/** Builds the status page's document from the snapshot, the history ring and the optional providers. */
import { convertValue } from '../../catalog/convert.ts';
import { stateToString } from '../../domain/states.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import type { StatusHistory } from './history.ts';
import type { DomainStatus, HistoryColumns, HistoryPoint, Provider, StatusCollector, StatusDocument, StatusPluginOptions } from './types.ts';

/** What {@link buildDocument} reads. */
export interface DocumentSources {
  readonly snapshot: SnapshotView;
  readonly history: StatusHistory;
  readonly options: StatusPluginOptions;
  readonly now: () => number;
}

/** A provider's answer, or undefined when it is not wired; a failing provider shows as an empty list. */
async function ask<T>(provider: Provider<T> | undefined): Promise<readonly T[] | undefined> {
  if (provider === undefined) return undefined;
  try {
    return await provider();
  } catch {
    // The page must render even when the alerts engine or the audit log is unavailable.
    return [];
  }
}

function collectorsOf(snapshot: SnapshotView): StatusCollector[] {
  return snapshot.health().collectors.map((c) => ({ name: c.name, success: c.success, durationSeconds: c.durationSeconds, intervalMs: c.intervalMs }));
}

const round = (v: number | undefined, digits: number): number | null => {
  if (v === undefined) return null;
  const f = 10 ** digits;
  return Math.round(v * f) / f;
};

/** Points as rounded columns: a push carries numbers, not repeated keys. */
export function toColumns(points: readonly HistoryPoint[]): HistoryColumns {
  return {
    t: points.map((p) => p.t),
    cpu: points.map((p) => round(p.cpu, 1)),
    mem: points.map((p) => round(p.mem, 0)),
    disk: points.map((p) => round(p.disk, 0)),
    net: points.map((p) => round(p.net, 0)),
  };
}

/**
 * The current page state; domains sorted by name. `since(uuid)` is the newest point time (ms) the client
 * already has for a domain; only newer points are sent (default: all).
 */
export async function buildDocument(src: DocumentSources, since: (uuid: string) => number = () => -Infinity): Promise<StatusDocument> {
  const { snapshot, history, options } = src;
  const domains: DomainStatus[] = [];
  for (const { sample } of snapshot.entries()) {
    const latest = history.latest(sample.uuid);
    const vcpus = convertValue(sample.fields.get('vcpu.current'), 'id') ?? (sample.active ? undefined : 0);
    const maxMemoryBytes = convertValue(sample.fields.get('balloon.maximum'), 'KiB→B');
    domains.push({
      uuid: sample.uuid, name: sample.name, state: sample.state, stateText: stateToString(sample.state), active: sample.active,
      cached: sample.flags.cached, timedOut: sample.flags.timedOut,
      ...(vcpus === undefined ? {} : { vcpus }),
      ...(maxMemoryBytes === undefined ? {} : { maxMemoryBytes }),
      ...(latest === undefined ? {} : { latest }),
      history: toColumns(history.pointsAfter(sample.uuid, since(sample.uuid))),
    });
  }
  domains.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const [alerts, actions, collectors] = await Promise.all([ask(options.alerts), ask(options.actions), ask(options.collectors)]);
  const health = snapshot.health();
  return {
    title: options.title ?? 'virtmon',
    generatedAt: src.now(),
    version: snapshot.version,
    metricsPath: options.metricsPath ?? '/metrics',
    historySize: history.capacity,
    up: health.up,
    domainCount: health.domainCount,
    domains,
    collectors: collectors ?? collectorsOf(snapshot),
    ...(alerts === undefined ? {} : { alerts }),
    ...(actions === undefined ? {} : { actions: [...actions].sort((a, b) => b.time - a.time).slice(0, 50) }),
  };
}
