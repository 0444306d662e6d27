/**
 * The catalog on definitions parsed by the real domain XML parser (test/fixtures/xml): Nova labels, disk
 * and interface info, cdrom/floppy and target-less interfaces skipped, Tinkoff's interfaceid.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { expandDomain } from '../../../src/catalog/expand.ts';
import type { ExpandedSeries } from '../../../src/catalog/expand.ts';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import type { DomainDef } from '../../../src/domain/def.ts';
import { parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { activeSample } from '../../helpers/catalog-sample.ts';

const fixture = (name: string): DomainDef =>
  parseDomainXml(readFileSync(new URL(`../../fixtures/xml/${name}`, import.meta.url), 'utf8'));

const labelsOf = (series: readonly ExpandedSeries[], name: string): Record<string, string>[] =>
  series.filter((s) => s.metric.name === name)
    .map((s) => Object.fromEntries(s.metric.labelNames.map((l, i) => [l, s.labelValues[i] ?? ''])));

const targets = (series: readonly ExpandedSeries[], name: string): string[] => labelsOf(series, name).map((l) => l.target_device ?? '');

test('an OpenStack Nova domain: openstack_info, rbd disk info, cdrom skipped, tap interface', () => {
  const def = fixture('openstack-nova.xml');
  const series = expandDomain(activeSample(def), def, resolveCatalogOptions({ compat: ['tinkoff'] }));
  assert.deepEqual(labelsOf(series, 'libvirt_domain_openstack_info'), [{
    domain: 'instance-0000002a', instance_name: 'web-frontend-01', instance_id: '9f1c6d4e-3b2a-4c5d-8e7f-0a1b2c3d4e5f',
    flavor_name: 'm1.small', user_name: 'alice', user_id: '6c0d0b8e3f3a4b7e9d2c1a0f9e8d7c6b', project_name: 'web-team',
    project_id: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6',
  }]);
  assert.equal(labelsOf(series, 'libvirt_domain_info_meta')[0]?.root_uuid, '3e6f8a2b-1c4d-4e5f-9a8b-7c6d5e4f3a2b');
  assert.deepEqual(labelsOf(series, 'libvirt_domain_block_stats_info'), [{
    domain: 'instance-0000002a', disk_type: 'network', target_bus: 'virtio', driver_name: 'qemu', driver_type: 'raw',
    driver_cache: 'none', driver_discard: 'unmap', source_file: '', source_protocol: 'rbd', target_device: 'vda', serial: '',
  }]);
  assert.deepEqual(targets(series, 'libvirt_domain_block_stats_read_bytes_total'), ['vda']);
  assert.deepEqual(labelsOf(series, 'libvirt_domain_interface_stats_info'), [{
    domain: 'instance-0000002a', interface_type: 'bridge', source_bridge: 'qbr0e9d8c7b-6a', target_device: 'tap0e9d8c7b-6a',
    mac_address: 'fa:16:3e:5b:2a:11', model_type: 'virtio', mtu_size: '1450',
  }]);
  assert.deepEqual(labelsOf(series, 'libvirt_domain_info'), [
    { domain: 'instance-0000002a', os_type: 'hvm', os_type_arch: 'x86_64', os_type_machine: 'pc-i440fx-7.2' },
  ]);
});

test('Nova 1.0 metadata fills openstack_info too', () => {
  const def = fixture('openstack-nova-1.0.xml');
  const info = labelsOf(expandDomain(activeSample(def), def, resolveCatalogOptions()), 'libvirt_domain_openstack_info')[0];
  assert.ok(info !== undefined && info.instance_name !== '', JSON.stringify(info));
});

test('storage zoo: both floppies skipped, lun and network disks kept; source_file only for file disks', () => {
  const def = fixture('storage-disks.xml');
  const series = expandDomain(activeSample(def), def, resolveCatalogOptions());
  const devs = targets(series, 'libvirt_domain_block_stats_capacity_bytes');
  assert.ok(!devs.includes('fda') && !devs.includes('fdb') && !devs.includes('hdc'), devs.join(','));
  assert.ok(devs.includes('sda') && devs.includes('vdc'), devs.join(','));
  assert.deepEqual(targets(series, 'libvirt_domain_block_stats_info'), devs);
  const info = labelsOf(series, 'libvirt_domain_block_stats_info');
  assert.equal(info.find((l) => l.target_device === 'vdb')?.disk_type, 'block');
  assert.equal(info.find((l) => l.target_device === 'vdb')?.source_file, '');
  assert.notEqual(info.find((l) => l.target_device === 'vda')?.source_file, '');
});

test('interface zoo: only interfaces with a target dev; Tinkoff virtual_interface from virtualport', () => {
  const def = fixture('interfaces.xml');
  const series = expandDomain(activeSample(def), def, resolveCatalogOptions({ compat: ['tinkoff'] }));
  assert.deepEqual(targets(series, 'libvirt_domain_interface_stats_receive_bytes_total'), ['tap09b11c53-8b', 'mytap1']);
  assert.deepEqual(targets(series, 'libvirt_domain_interface_stats_info'), ['tap09b11c53-8b', 'mytap1']);
  assert.deepEqual(labelsOf(series, 'libvirt_domain_interface_meta'), [
    { domain: 'net-zoo', source_bridge: 'br0', target_device: 'tap09b11c53-8b', virtual_interface: '09b11c53-8b5c-4eeb-8f00-d84eaa0aaa4f' },
    { domain: 'net-zoo', source_bridge: '', target_device: 'mytap1', virtual_interface: '' },
  ]);
  assert.equal(labelsOf(series, 'libvirt_domain_interface_stats_info')[0]?.mtu_size, '9000');
});
