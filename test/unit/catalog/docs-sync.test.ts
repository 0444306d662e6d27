/**
 * docs/metrics.md is generated from the catalog and must match it (style.md habit 7, fastify's
 * errors-docs test): every catalog metric is documented, and the doc names no metric the catalog lacks.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../../../src/catalog/doc.ts';
import { CATALOG } from '../../../src/catalog/metrics.ts';

const doc = readFileSync(new URL(`../../../${METRICS_DOC_PATH}`, import.meta.url), 'utf8');
const REGENERATE = 'run `node --import tsx scripts/gen-metrics-doc.ts` and commit docs/metrics.md';

/** Metric names in the first column of the Prometheus tables (everything before the OTel section). */
function documentedNames(text: string): string[] {
  const prom = text.slice(0, text.indexOf('\n## OpenTelemetry'));
  return [...prom.matchAll(/^\| `([a-z_:][a-z0-9_:]*)` \|/gm)].map((m) => m[1] ?? '');
}

test('every catalog metric is in docs/metrics.md and the doc has no extra one', () => {
  const inDoc = documentedNames(doc);
  const inCatalog = CATALOG.map((m) => m.name);
  const missing = inCatalog.filter((n) => !inDoc.includes(n));
  const extra = inDoc.filter((n) => !inCatalog.includes(n));
  assert.deepEqual(missing, [], `metrics missing in ${METRICS_DOC_PATH}: ${REGENERATE}`);
  assert.deepEqual(extra, [], `metrics in ${METRICS_DOC_PATH} that the catalog does not have: ${REGENERATE}`);
  assert.equal(new Set(inDoc).size, inDoc.length, 'a metric documented twice');
});

test('docs/metrics.md is exactly what the generator renders', () => {
  assert.ok(doc === renderMetricsDoc(), `${METRICS_DOC_PATH} is stale: ${REGENERATE}`);
});

test('the name check sees both directions (mutated docs)', () => {
  const dropped = doc.replace(/^\| `libvirt_domain_vcpu_current` \|.*\n/m, '');
  assert.ok(!documentedNames(dropped).includes('libvirt_domain_vcpu_current'));
  const added = doc.replace('## Core set\n', '## Core set\n| `libvirt_domain_bogus_total` | counter |\n');
  assert.ok(documentedNames(added).includes('libvirt_domain_bogus_total'));
  assert.equal(documentedNames(doc).length, CATALOG.length);
});
