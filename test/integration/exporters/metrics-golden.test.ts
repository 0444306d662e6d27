/**
 * Goldens of the domain part of /metrics on the test driver's synthetic statistics (deterministic):
 * the default set in text 0.0.4, and every alias set plus a metadata label in OpenMetrics.
 * `UPDATE_GOLDEN=1` rewrites them; review the diff before committing.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { assemble, DomainRenderer } from '../../../src/exporters/prometheus/render-domains.ts';
import { prometheusOptionsFromConfig } from '../../../src/exporters/prometheus/options.ts';
import { Slicer } from '../../../src/exporters/prometheus/slicer.ts';
import type { ExpositionFormat } from '../../../src/exporters/prometheus/format.ts';
import { config, goldenSnapshot, WIDE_CONFIG } from '../../helpers/metrics-harness.ts';

const { store, tc } = await goldenSnapshot();
after(async () => { await tc.conn.close(); });


async function checkGolden(file: string, yaml: string, format: ExpositionFormat): Promise<void> {
  const options = prometheusOptionsFromConfig(config(yaml));
  const text = assemble(await new DomainRenderer(options.catalog).render(store, new Slicer(0)), format).toString('utf8');
  const path = new URL(`../../fixtures/${file}`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, text);
  const golden = readFileSync(path, 'utf8');
  assert.ok(text === golden, `${file} differs from the render (UPDATE_GOLDEN=1 to rewrite, then review the diff)`);
}

test('default exposition (text 0.0.4) matches test/fixtures/metrics.golden.prom', async () => {
  await checkGolden('metrics.golden.prom', '', 'text');
});

test('aliases and metadata labels (OpenMetrics) match test/fixtures/metrics-wide.golden.om', async () => {
  await checkGolden('metrics-wide.golden.om', WIDE_CONFIG, 'openmetrics');
});

test('the golden has what the contract says: Nova labels, inactive domains (D7), no NaN', () => {
  const golden = readFileSync(new URL('../../fixtures/metrics.golden.prom', import.meta.url), 'utf8');
  assert.match(golden, /^libvirt_domain_openstack_info\{domain="instance-0000002a",instance_name="web-frontend-01",instance_id="9f1c6d4e-3b2a-4c5d-8e7f-0a1b2c3d4e5f",flavor_name="m1.small",user_name="alice",user_id="6c0d0b8e3f3a4b7e9d2c1a0f9e8d7c6b",project_name="web-team",project_id="1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6"\} 1$/m);
  const shutoff = golden.split('\n').filter((l) => l.includes('domain="vmt-shutoff"')).map((l) => l.slice(0, l.indexOf('{')));
  assert.deepEqual(shutoff, [
    'libvirt_domain_timed_out', 'libvirt_domain_info_state', 'libvirt_domain_info_maximum_memory_bytes',
    'libvirt_domain_info', 'libvirt_domain_openstack_info', 'libvirt_domain_info_state_reason',
  ]);
  assert.doesNotMatch(golden, /NaN|Inf/);
  // The cdrom (hda) of the Nova domain is skipped.
  assert.doesNotMatch(golden, /target_device="hda"/);
});

test('collector switches drop their families; domains.includeInactive: false drops inactive domains but not from libvirt_domains', async () => {
  const options = prometheusOptionsFromConfig(config('collectors: { block: { enabled: false } }\ndomains: { includeInactive: false }\n'));
  const text = assemble(await new DomainRenderer(options.catalog).render(store, new Slicer(0)), 'text').toString('utf8');
  assert.doesNotMatch(text, /^libvirt_domain_block_stats_(read|write)/m);
  assert.match(text, /^libvirt_domain_interface_stats_receive_bytes_total\{/m);
  assert.doesNotMatch(text, /domain="vmt-shutoff"/);
  assert.match(text, /^libvirt_domains 10$/m);
});
