/**
 * What an OTLP receiver must get for a snapshot, computed from the catalog's own evaluation of that
 * snapshot (expandDomain: the values /metrics renders) and the catalog rows' OTel columns (metrics.md
 * §11). Written independently of src/exporters/otel: the mapping rules are restated here.
 */
import assert from 'node:assert/strict';
import { expandDomain } from '../../src/catalog/expand.ts';
import type { ResolvedCatalogOptions } from '../../src/catalog/options.ts';
import type { SnapshotView } from '../../src/snapshot/types.ts';
import type { ReceivedPoint, ReceivedRequest } from './otlp-schema.ts';

/** One expected point. */
export interface ExpectedPoint {
  readonly metric: string;
  readonly unit: string;
  readonly kind: 'gauge' | 'sum';
  readonly monotonic: boolean | undefined;
  readonly attributes: Record<string, string | number>;
  readonly value: number;
  /** The Prometheus family the value comes from. */
  readonly family: string;
}

/** Identity of a point: metric name + sorted attributes. */
export function pointKey(p: { readonly metric: string; readonly attributes: Readonly<Record<string, unknown>> }): string {
  const attrs = Object.entries(p.attributes).sort(([a], [b]) => a.localeCompare(b));
  return `${p.metric} ${JSON.stringify(attrs)}`;
}

/** Expected domain points of the snapshot as it is now. */
export function expectedPoints(snapshot: SnapshotView, catalog: ResolvedCatalogOptions): ExpectedPoint[] {
  const out: ExpectedPoint[] = [];
  for (const { sample, def } of snapshot.entries()) {
    for (const s of expandDomain(sample, def, catalog)) {
      const o = s.metric.otel;
      if (o === undefined) continue;
      const attributes: Record<string, string | number> = {};
      s.metric.labelNames.forEach((label, i) => {
        const v = s.labelValues[i] ?? '';
        if (label === 'domain') {
          attributes['libvirt.domain.name'] = v;
          attributes['libvirt.domain.uuid'] = sample.uuid;
        } else if (label === 'vcpu') {
          attributes['libvirt.vcpu.id'] = Number(v);
        } else if (o.labelAttributes?.[label] !== undefined) {
          attributes[o.labelAttributes[label]] = v;
        }
      });
      Object.assign(attributes, o.attributes);
      out.push({
        metric: o.name, unit: o.unit, kind: o.instrument === 'Gauge' ? 'gauge' : 'sum',
        monotonic: o.instrument === 'Gauge' ? undefined : o.instrument === 'Counter',
        attributes, value: s.value * (o.scale ?? 1), family: s.metric.name,
      });
    }
  }
  return out;
}

/** Asserts every expected point arrived with its name, unit, type, temporality, attributes and value. */
export function assertPointsMatch(request: ReceivedRequest, expected: readonly ExpectedPoint[], temporality = 2): void {
  const got = new Map<string, ReceivedPoint>();
  for (const p of request.points) {
    const k = pointKey(p);
    assert.equal(got.has(k), false, `duplicate point ${k}`);
    got.set(k, p);
  }
  assert.ok(expected.length > 0, 'nothing expected');
  for (const e of expected) {
    const k = pointKey(e);
    const p = got.get(k);
    assert.ok(p !== undefined, `missing point ${k} (from ${e.family})`);
    assert.equal(p.unit, e.unit, `unit of ${k}`);
    assert.equal(p.kind, e.kind, `type of ${k}`);
    assert.equal(p.monotonic, e.monotonic, `monotonicity of ${k}`);
    if (e.kind === 'sum') assert.equal(p.temporality, temporality, `temporality of ${k}`);
    assert.ok(Math.abs(p.value - e.value) <= Math.abs(e.value) * 1e-12, `value of ${k}: got ${p.value}, /metrics has ${e.value}`);
    if (e.kind === 'sum') assert.ok(p.startNs <= p.endNs, `start after end for ${k}`);
    for (const [name, v] of Object.entries(e.attributes)) {
      assert.equal(p.attributeKinds[name], typeof v === 'number' ? 'intValue' : 'stringValue', `type of attribute ${name} of ${k}`);
    }
  }
  const domainPoints = request.points.filter((p) => p.attributes['libvirt.domain.uuid'] !== undefined);
  assert.equal(domainPoints.length, expected.length, 'extra domain points not on /metrics');
}
