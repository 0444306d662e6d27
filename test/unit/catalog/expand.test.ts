/**
 * expand.ts on synthetic samples: the series budget of metrics.md §8, D7, device skipping, exact
 * conversions, no NaN, raw label values, compat sets, and plan reuse.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  SeriesPlanner, evaluatePlan, expandDomain, expandHost, expandPool, readExact, readRawExact,
} from '../../../src/catalog/expand.ts';
import type { ExpandedSeries } from '../../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { buildPlan, planMatches } from '../../../src/catalog/plan.ts';
import type { DomainSample } from '../../../src/domain/sample.ts';
import { activeSample, inactiveSample, syntheticDef } from '../../helpers/catalog-sample.ts';

const DEFAULTS = resolveCatalogOptions();
const META = resolveCatalogOptions({
  metadataLabels: [{ label: 'team', namespace: 'http://example.org/app/1', xpath: '/app/team' }],
});

/** Series of one family as label-record → value. */
function family(series: readonly ExpandedSeries[], name: string): { labels: Record<string, string>; value: number }[] {
  return series.filter((s) => s.metric.name === name).map((s) => ({
    labels: Object.fromEntries(s.metric.labelNames.map((l, i) => [l, s.labelValues[i] ?? '<missing>'])),
    value: s.value,
  }));
}

function assertWellFormed(series: readonly ExpandedSeries[]): void {
  const keys = new Set<string>();
  for (const s of series) {
    assert.ok(Number.isFinite(s.value), `${s.metric.name} ${s.value}`);
    assert.equal(s.labelValues.length, s.metric.labelNames.length, s.metric.name);
    const key = `${s.metric.name}\u0000${s.labelValues.join('\u0000')}`;
    assert.ok(!keys.has(key), `duplicate series ${key}`);
    keys.add(key);
  }
}

test('series budget (§8): 44 + 4V + 12D + 9I for an active domain, aliases off', () => {
  for (const [V, D, I] of [[1, 1, 1], [2, 2, 1], [4, 3, 2], [8, 0, 0], [1, 5, 3]] as const) {
    const def = syntheticDef({ vcpus: V, disks: D, nics: I });
    const series = expandDomain(activeSample(def), def, DEFAULTS);
    assertWellFormed(series);
    assert.equal(series.length, 44 + 4 * V + 12 * D + 9 * I, `V=${V} D=${D} I=${I}`);
  }
});

test('series budget (§8): 6 for an inactive domain, 7 with _metadata_info; none with includeInactive false', () => {
  const def = syntheticDef({ vcpus: 2, disks: 2, nics: 1 });
  const series = expandDomain(inactiveSample(def), def, DEFAULTS);
  assertWellFormed(series);
  assert.deepEqual(series.map((s) => s.metric.name).sort(), [
    'libvirt_domain_info', 'libvirt_domain_info_maximum_memory_bytes', 'libvirt_domain_info_state',
    'libvirt_domain_info_state_reason', 'libvirt_domain_openstack_info', 'libvirt_domain_timed_out',
  ]);
  assert.equal(expandDomain(inactiveSample(def), def, META).length, 7);
  assert.equal(expandDomain(activeSample(def), def, META).length, 44 + 8 + 24 + 9 + 1);
  assert.equal(expandDomain(inactiveSample(def), def, resolveCatalogOptions({ includeInactive: false })).length, 0);
  // The inactive domain's maximum memory comes from the definition when balloon.maximum is absent.
  assert.deepEqual(family(series, 'libvirt_domain_info_maximum_memory_bytes')[0]?.value, 2097152 * 1024);
  assert.deepEqual(family(series, 'libvirt_domain_timed_out')[0]?.value, 0);
  const flagged = { ...inactiveSample(def), flags: { timedOut: true, cached: true } };
  assert.equal(family(expandDomain(flagged, def, DEFAULTS), 'libvirt_domain_timed_out')[0]?.value, 0, 'D7: always 0 when inactive');
  const late = { ...activeSample(def), flags: { timedOut: true, cached: true } };
  const lateSeries = expandDomain(late, def, DEFAULTS);
  assert.equal(family(lateSeries, 'libvirt_domain_timed_out')[0]?.value, 1);
  assert.equal(family(lateSeries, 'libvirt_domain_stats_cached')[0]?.value, 1);
  assert.equal(family(lateSeries, 'libvirt_domain_stats_last_success_timestamp_seconds').length, 0, 'no last success yet');
  assert.deepEqual(family(series, 'libvirt_domain_info_state')[0]?.labels.state_desc, 'the domain is shut off');
});

test('cdrom and floppy disks and interfaces without a target dev are skipped', () => {
  const def = syntheticDef({ vcpus: 1, disks: 2, nics: 1 });
  const series = expandDomain(activeSample(def), def, DEFAULTS);
  const disks = new Set(series.filter((s) => s.metric.labelNames.includes('target_device') && s.metric.name.includes('block'))
    .map((s) => s.labelValues[s.metric.labelNames.indexOf('target_device')]));
  assert.deepEqual([...disks].sort(), ['vda', 'vdb']);
  const nics = new Set(series.filter((s) => s.metric.name.includes('interface'))
    .map((s) => s.labelValues[s.metric.labelNames.indexOf('target_device')]));
  assert.deepEqual([...nics], ['vnet0']);
  assert.equal(family(series, 'libvirt_domain_block_stats_info').length, 2);
  assert.equal(family(series, 'libvirt_domain_interface_stats_info').length, 1);
});

test('values: bigint ns → seconds exactly rounded, KiB → bytes, ms → s, codes as is', () => {
  const def = syntheticDef({ vcpus: 1, disks: 1, nics: 1 });
  const sample = activeSample(def);
  sample.fields.set('cpu.time', 9_223_372_036_854_775_807n); // 2^63 - 1 ns: beyond 2^53
  sample.fields.set('vcpu.0.time', 1_500_000_000n);
  sample.fields.set('balloon.current', 18_014_398_509_481_984n); // 2^54 KiB
  sample.fields.set('job.time_elapsed', 1234n);
  sample.fields.set('state.reason', 5);
  const series = expandDomain(sample, def, DEFAULTS);
  const one = (name: string): ExpandedSeries => {
    const s = series.find((x) => x.metric.name === name);
    assert.ok(s, name);
    return s;
  };
  assert.equal(one('libvirt_domain_info_cpu_time_seconds_total').value, Number('9223372036.854775807'));
  assert.equal(one('libvirt_domain_info_cpu_time_seconds_total').exact, undefined);
  assert.equal(one('libvirt_domain_vcpu_time_seconds_total').value, 1.5);
  assert.equal(one('libvirt_domain_memory_stats_current_balloon_bytes').value, 2 ** 64);
  assert.equal(one('libvirt_domain_memory_stats_current_balloon_bytes').exact, 18_014_398_509_481_984n * 1024n);
  assert.equal(one('libvirt_domain_job_info_time_elapsed_seconds').value, 1.234);
  assert.equal(one('libvirt_domain_info_state_reason').value, 5);
  assert.equal(one('libvirt_domain_block_stats_read_bytes_total').exact, 409600n);
  assert.equal(one('libvirt_domain_stats_last_success_timestamp_seconds').value, 1_700_000_000.5);
  // used_percent = (available − usable) / available × 100 = (2000000 − 1500000) / 2000000 × 100.
  assert.equal(one('libvirt_domain_memory_stats_used_percent').value, 25);
});

test('the exact bigint and the raw native value are available for SNMP', () => {
  const def = syntheticDef({ vcpus: 1, disks: 1, nics: 1 });
  const sample = activeSample(def);
  sample.fields.set('cpu.time', 18_446_744_073_709_551_615n);
  const plan = buildPlan(sample, def, DEFAULTS);
  const slot = plan.slots.find((s) => s.metric.name === 'libvirt_domain_info_cpu_time_seconds_total');
  assert.ok(slot);
  assert.equal(readRawExact(plan, slot, sample), 18_446_744_073_709_551_615n);
  assert.equal(readExact(plan, slot, sample), undefined);
});

test('never NaN or Inf: absent, negative, non-finite and string values leave the series out', () => {
  const def = syntheticDef({ vcpus: 1, disks: 1, nics: 1 });
  const sample = activeSample(def);
  sample.fields.set('balloon.available', 0n); // used_percent would divide by zero
  sample.fields.set('balloon.unused', -1); // libvirt's "not reported"
  sample.fields.set('balloon.rss', Number.NaN);
  sample.fields.set('balloon.usable', Number.POSITIVE_INFINITY);
  sample.fields.set('cpu.user', 'garbage');
  sample.fields.delete('cpu.system');
  const series = expandDomain(sample, def, DEFAULTS);
  assertWellFormed(series);
  const names = new Set(series.map((s) => s.metric.name));
  for (const gone of ['libvirt_domain_memory_stats_used_percent', 'libvirt_domain_memory_stats_unused_bytes',
    'libvirt_domain_memory_stats_rss_bytes', 'libvirt_domain_memory_stats_usable_bytes',
    'libvirt_domain_info_cpu_user_seconds_total', 'libvirt_domain_info_cpu_system_seconds_total']) {
    assert.ok(!names.has(gone), gone);
  }
  assert.ok(names.has('libvirt_domain_memory_stats_available_bytes'), 'available 0 is a value');
  // Without guest stats, used_percent is absent rather than NaN (inovex) or 0 (Tinkoff).
  const bare = activeSample(def);
  bare.fields.delete('balloon.usable');
  assert.ok(!expandDomain(bare, def, DEFAULTS).some((s) => s.metric.name === 'libvirt_domain_memory_stats_used_percent'));
});

test('label values pass through raw (quotes, backslashes, newlines) and always as valid Unicode', () => {
  const def = { ...syntheticDef({ vcpus: 1, disks: 1, nics: 1 }), name: 'we"ird\\name\nx' };
  const sample: DomainSample = { ...activeSample(def), name: def.name };
  const lone = { ...def, os: { ...def.os, machine: 'pc-\uD800-q35' } };
  const series = expandDomain(sample, lone, DEFAULTS);
  assertWellFormed(series);
  for (const s of series) {
    if (s.metric.labelNames[0] === 'domain') assert.equal(s.labelValues[0], 'we"ird\\name\nx', s.metric.name);
    for (const v of s.labelValues) assert.equal(Buffer.from(v, 'utf8').toString('utf8'), v, `${s.metric.name}: ${v}`);
  }
  assert.equal(family(series, 'libvirt_domain_info')[0]?.labels.os_type_machine, 'pc-\uFFFD-q35');
});

test('info metrics carry the definition and Nova labels (inovex label sets)', () => {
  const def = syntheticDef({ vcpus: 1, disks: 1, nics: 1 });
  const series = expandDomain(activeSample(def), def, DEFAULTS);
  assert.deepEqual(family(series, 'libvirt_domain_info')[0]?.labels,
    { domain: 'vm1', os_type: 'hvm', os_type_arch: 'x86_64', os_type_machine: 'pc-q35-7.2' });
  assert.deepEqual(family(series, 'libvirt_domain_openstack_info')[0]?.labels, {
    domain: 'vm1', instance_name: 'web-1', instance_id: def.uuid, flavor_name: 'm1.small', user_name: 'alice',
    user_id: 'u-123', project_name: 'shop', project_id: 'p-456',
  });
  assert.deepEqual(family(series, 'libvirt_domain_block_stats_info')[0]?.labels, {
    domain: 'vm1', disk_type: 'file', target_bus: 'virtio', driver_name: 'qemu', driver_type: 'qcow2', driver_cache: 'none',
    driver_discard: 'unmap', source_file: '/var/lib/virtmon/images/d0.qcow2', source_protocol: '', target_device: 'vda',
    serial: 'SER0',
  });
  assert.deepEqual(family(series, 'libvirt_domain_interface_stats_info')[0]?.labels, {
    domain: 'vm1', interface_type: 'bridge', source_bridge: 'br0', target_device: 'vnet0', mac_address: '52:54:00:00:00:00',
    model_type: 'virtio', mtu_size: '1500',
  });
  // Without Nova metadata: every label but domain and instance_id is empty, and the series is still there.
  const plain = syntheticDef({ vcpus: 1, disks: 0, nics: 0, metadata: [] });
  assert.deepEqual(family(expandDomain(activeSample(plain), plain, DEFAULTS), 'libvirt_domain_openstack_info')[0]?.labels, {
    domain: 'vm1', instance_name: '', instance_id: plain.uuid, flavor_name: '', user_name: '', user_id: '', project_name: '',
    project_id: '',
  });
});

test('vCPU and device labels: vcpu is the decimal index, gaps kept; values from the right index', () => {
  const def = syntheticDef({ vcpus: 3, disks: 0, nics: 0 });
  const sample = activeSample(def);
  for (const k of ['state', 'time', 'wait', 'delay', 'cpu']) sample.fields.delete(`vcpu.1.${k}`);
  sample.fields.set('vcpu.2.time', 7_000_000_000n);
  const series = expandDomain(sample, def, DEFAULTS);
  assert.deepEqual(family(series, 'libvirt_domain_vcpu_time_seconds_total').map((s) => [s.labels.vcpu, s.value]),
    [['0', 10], ['2', 7]]);
});

test('compat sets add their aliases once, with the same values', () => {
  const def = syntheticDef({ vcpus: 2, disks: 1, nics: 1 });
  const sample = activeSample(def);
  const base = expandDomain(sample, def, DEFAULTS).length;
  const inovex1 = expandDomain(sample, def, resolveCatalogOptions({ compat: ['inovex1'] }));
  assert.equal(inovex1.length, base + 1);
  const both = expandDomain(sample, def, resolveCatalogOptions({ compat: ['tinkoff', 'inovex1', 'kumina'] }));
  assertWellFormed(both);
  assert.equal(family(both, 'libvirt_domain_memory_stats_actual_balloon_bytes').length, 1);
  assert.equal(family(both, 'libvirt_domain_memory_stats_actual_balloon_bytes')[0]?.value,
    family(both, 'libvirt_domain_memory_stats_current_balloon_bytes')[0]?.value);
  assert.deepEqual(family(both, 'libvirt_domain_vcpu_cpu').map((s) => s.value), [0, 1]);
  assert.deepEqual(family(both, 'libvirt_domain_info_meta')[0]?.labels.root_uuid, 'img-789');
  assert.deepEqual(family(both, 'libvirt_domain_interface_meta')[0]?.labels.virtual_interface, 'iface-0');
  assert.equal(family(both, 'libvirt_domain_block_stats_read_seconds_total')[0]?.value,
    family(both, 'libvirt_domain_block_stats_read_time_seconds_total')[0]?.value);
  assert.ok(!both.some((s) => s.metric.name === 'libvirt_pool_info_capacity_bytes'), 'pool aliases are pool series');
});

test('collector switches drop their families', () => {
  const def = syntheticDef({ vcpus: 2, disks: 1, nics: 1 });
  const opts = resolveCatalogOptions({ collectors: { block: false, job: false } });
  const series = expandDomain(activeSample(def), def, opts);
  assert.ok(!series.some((s) => s.metric.feed === 'block' || s.metric.feed === 'job'));
  assert.equal(series.length, 44 - 12 + 4 * 2 + 9);
});

test('pools and host-level series', () => {
  const pool = { name: 'default', fields: new Map<string, bigint | number>([['pool.state', 2], ['pool.capacity', 100n], ['pool.allocation', 40n], ['pool.available', 60n]]) };
  const base = expandPool(pool, DEFAULTS);
  assert.deepEqual(base.map((s) => [s.metric.name, s.labelValues, s.value]), [
    ['libvirt_storage_pool_state', ['default'], 2], ['libvirt_storage_pool_capacity_bytes', ['default'], 100],
    ['libvirt_storage_pool_allocation_bytes', ['default'], 40], ['libvirt_storage_pool_available_bytes', ['default'], 60],
    ['libvirt_storage_pool_timed_out', ['default'], 0],
  ]);
  assert.equal(expandPool(pool, resolveCatalogOptions({ compat: ['tinkoff'] })).length, 8);
  assert.equal(expandPool(pool, resolveCatalogOptions({ collectors: { storage_pool: false } })).length, 0);
  const host = expandHost({ up: true, domains: 3, versions: { hypervisor: '7.2.0', virtmon: '0.1.0' } },
    resolveCatalogOptions({ compat: ['tinkoff', 'kumina'] }));
  assert.deepEqual(host.map((s) => [s.metric.name, s.labelValues, s.value]), [
    ['libvirt_up', [], 1], ['libvirt_domains', [], 3], ['libvirt_versions_info', ['7.2.0', '0.1.0', '0.1.0'], 1],
    ['libvirt_domains_number', [], 3],
  ]);
});

test('a plan is reused while shape and definition hold, rebuilt when they change', () => {
  const def = syntheticDef({ vcpus: 2, disks: 2, nics: 1 });
  const planner = new SeriesPlanner(DEFAULTS);
  const first = planner.plan(activeSample(def, 1n), def);
  const second = planner.plan(activeSample(def, 2n), def); // new values, same shape
  assert.equal(second, first);
  assert.equal(planner.builds, 1);

  const values = evaluatePlan(second, activeSample(def, 2n));
  assert.equal(values.present.reduce((a, b) => a + b, 0), 44 + 8 + 24 + 9);
  const i = second.slots.findIndex((s) => s.metric.name === 'libvirt_domain_block_stats_read_bytes_total');
  assert.equal(values.values[i], 409600 * 2);

  // A value disappearing does not rebuild; it only clears the presence bit.
  const partial = activeSample(def, 2n);
  partial.fields.delete('balloon.rss');
  assert.equal(planner.plan(partial, def), first);
  const pv = evaluatePlan(first, partial, values);
  assert.equal(pv, values, 'arrays reused');
  assert.equal(pv.present.reduce((a, b) => a + b, 0), 44 + 8 + 24 + 9 - 1);

  const changes: [string, (s: DomainSample) => DomainSample][] = [
    ['disk renamed', (s) => { s.fields.set('block.1.name', 'vdz'); return s; }],
    ['disk hot-plugged', (s) => { s.fields.set('block.4.name', 'vdq'); return s; }],
    ['vcpu hot-plugged', (s) => { s.fields.set('vcpu.current', 3); s.fields.set('vcpu.2.state', 1); return s; }],
    ['vcpu added past the top', (s) => { s.fields.set('vcpu.2.time', 1n); return s; }],
    ['nic gone', (s) => { s.fields.delete('net.0.name'); return s; }],
    ['state changed', (s) => { s.fields.set('state.state', 3); return s; }],
    ['domain stopped', (s) => ({ ...s, active: false })],
    ['renamed', (s) => ({ ...s, name: 'vm2' })],
  ];
  for (const [what, change] of changes) {
    assert.equal(planMatches(first, change(activeSample(def, 3n)), def, DEFAULTS), false, what);
  }
  assert.equal(planMatches(first, activeSample(def, 3n), syntheticDef({ vcpus: 2, disks: 2, nics: 1 }), DEFAULTS), false,
    'a new definition object');
  assert.equal(planMatches(first, activeSample(def, 3n), def, resolveCatalogOptions()), false, 'other options');

  planner.plan(activeSample(syntheticDef({ vcpus: 1, disks: 1, nics: 1, uuid: 'other' })), def);
  assert.equal(planner.size, 2);
  planner.retain(new Set([def.uuid]));
  assert.equal(planner.size, 1);
});

test('plan slots are grouped by family in option order (familyStart)', () => {
  const def = syntheticDef({ vcpus: 2, disks: 2, nics: 1 });
  const plan = buildPlan(activeSample(def), def, DEFAULTS);
  assert.equal(plan.familyStart.length, DEFAULTS.domainFamilies.length + 1);
  assert.equal(plan.familyStart[DEFAULTS.domainFamilies.length], plan.slots.length);
  DEFAULTS.domainFamilies.forEach((m, f) => {
    for (let i = plan.familyStart[f] ?? 0; i < (plan.familyStart[f + 1] ?? 0); i++) {
      assert.equal(plan.slots[i]?.metric.name, m.name);
      assert.equal(plan.slots[i]?.family, f);
    }
  });
});
