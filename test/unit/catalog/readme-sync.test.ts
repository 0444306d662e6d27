/**
 * README.md's metric list is generated from the catalog (style.md habit 7): every catalog metric is named
 * in it exactly once, it names no other metric, its group links point at docs/metrics.md headings, and the
 * block is exactly what scripts/gen-metrics-doc.ts renders.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { README_MARKERS, renderReadmeMetrics, updateReadme } from '../../../src/catalog/doc-readme.ts';
import { CATALOG } from '../../../src/catalog/metrics.ts';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
const doc = readFileSync(new URL('../../../docs/metrics.md', import.meta.url), 'utf8');
const REGENERATE = 'run `node --import tsx scripts/gen-metrics-doc.ts` and commit README.md';

function block(text: string): string {
  return text.slice(text.indexOf(README_MARKERS.start), text.indexOf(README_MARKERS.end));
}
const names = (text: string): string[] => [...block(text).matchAll(/`((?:libvirt|virtmon)_[a-z0-9_]+)`/g)].map((m) => m[1] ?? '');

test('the README metric list names every catalog metric once and nothing else', () => {
  const listed = names(readme);
  assert.deepEqual([...listed].sort(), CATALOG.map((m) => m.name).sort(), REGENERATE);
  assert.equal(new Set(listed).size, listed.length);
});

test('the README block is exactly the generated one, and links docs/metrics.md headings that exist', () => {
  assert.ok(updateReadme(readme) === readme, `README.md metric list is stale: ${REGENERATE}`);
  const headings = new Set([...doc.matchAll(/^## (.+)$/gm)].map((m) => (m[1] ?? '').toLowerCase().replace(/[^a-z0-9 -]/g, '').replace(/ /g, '-')));
  const anchors = [...renderReadmeMetrics().matchAll(/docs\/metrics\.md#([a-z0-9-]+)/g)].map((m) => m[1] ?? '');
  assert.ok(anchors.length >= 7);
  for (const a of anchors) assert.ok(headings.has(a), `docs/metrics.md has no heading for #${a}`);
});

test('the check sees a dropped or an extra name (mutated README)', () => {
  const dropped = readme.replace('`libvirt_domain_vcpu_current`, ', '');
  assert.ok(!names(dropped).includes('libvirt_domain_vcpu_current'));
  assert.notEqual(updateReadme(dropped), dropped);
  assert.throws(() => updateReadme('no markers'), TypeError);
});
