/**
 * The `_metadata_info` allowlist (metrics.md §9) on XmlElement trees as the domain XML parser keeps them
 * (Nova parsing itself is src/domain/metadata.ts's, tested in test/unit/domain).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { expandDomain } from '../../../src/catalog/expand.ts';
import { cleanLabelValue } from '../../../src/catalog/label-value.ts';
import { metadataLabelValues, resolveMetadataLabels } from '../../../src/catalog/metadata-labels.ts';
import type { MetadataLabelSpec } from '../../../src/catalog/metadata-labels.ts';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import type { XmlElement } from '../../../src/domain/def.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { activeSample, inactiveSample, novaElement, syntheticDef } from '../../helpers/catalog-sample.ts';

const el = (name: string, attrs: Record<string, string> = {}, children: XmlElement['children'] = []): XmlElement =>
  ({ name, attrs, children });
const APP = 'http://example.org/app/1';

function configCode(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof VirtmonError);
    assert.equal(err.code, 'VIRTMON_ERR_CONFIG');
    return err.detail ?? '';
  }
  assert.fail('no error');
}

test('the allowlist is validated: label names, domain, duplicates, at most 10, simple paths', () => {
  const ok: MetadataLabelSpec = { label: 'team', namespace: APP, xpath: 'app/team' };
  assert.equal(resolveMetadataLabels([ok]).length, 1);
  assert.match(configCode(() => resolveMetadataLabels([{ ...ok, label: '1bad' }])), /metadataLabels\[0\]\.label/);
  assert.match(configCode(() => resolveMetadataLabels([{ ...ok, label: 'domain' }])), /reserved/);
  assert.match(configCode(() => resolveMetadataLabels([{ ...ok, label: '__x' }])), /reserved/);
  assert.match(configCode(() => resolveMetadataLabels([ok, ok])), /twice/);
  assert.match(configCode(() => resolveMetadataLabels([{ ...ok, namespace: '' }])), /namespace/);
  const eleven = Array.from({ length: 11 }, (_, i) => ({ ...ok, label: `l${i}` }));
  assert.match(configCode(() => resolveMetadataLabels(eleven)), /at most 10/);
  for (const bad of ['app//team', 'app/team[1]', 'app/*', '', '/', 'app/@', '//app', 'app/@x/y']) {
    assert.match(configCode(() => resolveMetadataLabels([{ ...ok, xpath: bad }])), /xpath/, bad);
  }
  assert.match(configCode(() => resolveCatalogOptions({ compat: ['nope' as 'kumina'] })), /metrics\.compat\[0\]/);
  assert.match(configCode(() => resolveCatalogOptions({ collectors: { nope: false } as Record<string, boolean> })), /collectors\.nope/);
});

test('values: text, attributes, collectd spelling; missing is empty; cut at 128 code points', () => {
  const long = '🙂'.repeat(200);
  const app = el('a:app', { 'xmlns:a': APP }, [
    el('a:team', {}, ['  payments \n']),
    el('a:owner', { email: 'x@example.org' }),
    el('a:note', {}, [long]),
  ]);
  const def = syntheticDef({ vcpus: 1, disks: 0, nics: 0, metadata: [novaElement(), app] });
  const labels = resolveMetadataLabels([
    { label: 'team', namespace: APP, xpath: 'app/team' },
    { label: 'owner', namespace: APP, xpath: '/app/owner/@email' },
    { label: 'team2', namespace: APP, xpath: '/app/team/text()' },
    { label: 'missing', namespace: APP, xpath: 'app/nothing' },
    { label: 'other_ns', namespace: 'http://example.org/else', xpath: 'app/team' },
    { label: 'note', namespace: APP, xpath: 'app/note' },
    { label: 'flavor', namespace: 'http://openstack.org/xmlns/libvirt/nova/1.1', xpath: '/nova:instance/nova:flavor/@name' },
  ]);
  const values = metadataLabelValues(def, labels);
  assert.deepEqual(values.slice(0, 5), ['payments', 'x@example.org', 'payments', '', '']);
  assert.equal([...(values[5] ?? '')].length, 128);
  assert.equal(values[5], '🙂'.repeat(128));
  assert.equal(values[6], 'm1.small');
  assert.equal(cleanLabelValue('ab\uD83D', 128), 'ab\uFFFD');
});

test('libvirt_domain_metadata_info has domain plus every configured label, for active and inactive domains', () => {
  const opts = resolveCatalogOptions({
    metadataLabels: [{ label: 'team', namespace: APP, xpath: 'app/team' }, { label: 'tier', namespace: APP, xpath: 'app/tier' }],
  });
  const def = syntheticDef({ vcpus: 1, disks: 0, nics: 0, metadata: [el('app', { xmlns: APP }, [el('team', {}, ['core'])])] });
  for (const sample of [activeSample(def), inactiveSample(def)]) {
    const s = expandDomain(sample, def, opts).filter((x) => x.metric.name === 'libvirt_domain_metadata_info');
    assert.equal(s.length, 1);
    assert.deepEqual(s[0]?.metric.labelNames, ['domain', 'team', 'tier']);
    assert.deepEqual(s[0]?.labelValues, ['vm1', 'core', '']);
    assert.equal(s[0]?.value, 1);
  }
});
