import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSimpleMetadataPath, metadataValue, novaMetadata } from '../../../src/domain/metadata.ts';
import { parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { errorOf, fixture } from './xml-helpers.ts';

const NOVA_11 = 'http://openstack.org/xmlns/libvirt/nova/1.1';
const NOVA_10 = 'http://openstack.org/xmlns/libvirt/nova/1.0';

const withMetadata = (metadata: string, domainAttrs = ''): ReturnType<typeof parseDomainXml> =>
  parseDomainXml(`<domain type='kvm'${domainAttrs}><name>n</name><metadata>${metadata}</metadata><memory>1</memory><os><type>hvm</type></os></domain>`);

test('Nova 1.1 instance metadata', () => {
  assert.deepEqual(novaMetadata(parseDomainXml(fixture('openstack-nova.xml'))), {
    instanceName: 'web-frontend-01', flavorName: 'm1.small',
    userName: 'alice', userId: '6c0d0b8e3f3a4b7e9d2c1a0f9e8d7c6b',
    projectName: 'web-team', projectId: '1a2b3c4d5e6f47a8b9c0d1e2f3a4b5c6',
    rootType: 'image', rootUuid: '3e6f8a2b-1c4d-4e5f-9a8b-7c6d5e4f3a2b',
  });
});

test('Nova 1.0 under another prefix declared on <metadata>', () => {
  assert.deepEqual(novaMetadata(parseDomainXml(fixture('openstack-nova-1.0.xml'))), {
    instanceName: 'legacy-db', flavorName: 'm1.medium',
    userName: 'bob', userId: 'aaaaaaaabbbbccccddddeeeeeeeeeeee',
    projectName: 'dba', projectId: '11111111222233334444555555555555',
    rootType: 'image', rootUuid: '77777777-8888-4999-aaaa-bbbbbbbbbbbb',
  });
});

test('matched by namespace, not prefix: 1.1 wins over 1.0, a default namespace works, a wrong URI does not', () => {
  const both = withMetadata(
    `<a:instance xmlns:a='${NOVA_10}'><a:name>old</a:name></a:instance>` +
    `<instance xmlns='${NOVA_11}'><name>new</name><flavor name='f'/></instance>`);
  assert.equal(novaMetadata(both)?.instanceName, 'new');
  assert.equal(novaMetadata(both)?.flavorName, 'f');
  assert.equal(novaMetadata(both)?.userName, '', 'absent fields are empty strings');
  const fake = withMetadata(`<nova:instance xmlns:nova='urn:not-nova'><nova:name>x</nova:name></nova:instance>`);
  assert.equal(novaMetadata(fake), undefined);
  assert.equal(novaMetadata(parseDomainXml(fixture('minimal.xml'))), undefined);
  const onDomain = withMetadata(`<n:instance><n:name>dom-scoped</n:name></n:instance>`, ` xmlns:n='${NOVA_11}'`);
  assert.equal(novaMetadata(onDomain)?.instanceName, 'dom-scoped');
});

test('metadataValue follows a simple path by namespace URI, text or final @attr', () => {
  const d = parseDomainXml(fixture('openstack-nova-1.0.xml'));
  assert.equal(metadataValue(d, NOVA_10, 'instance/name'), 'legacy-db');
  assert.equal(metadataValue(d, NOVA_10, 'instance/flavor/@name'), 'm1.medium');
  assert.equal(metadataValue(d, NOVA_10, 'instance/owner/project/@uuid'), '11111111222233334444555555555555');
  assert.equal(metadataValue(d, 'urn:example:labels', 'labels/tier'), 'database');
  assert.equal(metadataValue(d, 'urn:example:labels', 'labels/owner/@team'), 'dba');
  assert.equal(metadataValue(d, NOVA_11, 'instance/name'), undefined, 'other namespace');
  assert.equal(metadataValue(d, NOVA_10, 'instance/missing'), undefined);
  assert.equal(metadataValue(d, NOVA_10, 'instance/flavor/@nope'), undefined);
  const tags = parseDomainXml(fixture('semantics-13.xml'));
  assert.equal(metadataValue(tags, 'urn:example:tags', 'tags'), 'prod');
  const unqualified = withMetadata(`<my:meta xmlns:my='urn:my'><owner>carol</owner></my:meta>`);
  assert.equal(metadataValue(unqualified, 'urn:my', 'meta/owner'), 'carol', 'unqualified children of a namespaced root match');
});

test('only allowlisted simple paths are accepted', () => {
  for (const ok of ['a', 'a/b', 'a/b/@c', 'instance/flavor/@name', 'x-y.z/_q']) assert.ok(isSimpleMetadataPath(ok), ok);
  for (const bad of ['', '/a', 'a//b', 'a/*', '//a', 'a[1]', 'a/@b/c', 'a/text()', '@a', 'nova:a', 'a/..']) {
    assert.ok(!isSimpleMetadataPath(bad), bad);
  }
  const err = errorOf(() => metadataValue(parseDomainXml(fixture('minimal.xml')), NOVA_11, '//name'), 'VIR_ERR_INVALID_ARG');
  assert.equal(err.message, "invalid argument: metadata path '//name' is not a simple path (names separated by '/', optional final '@attr')");
});
