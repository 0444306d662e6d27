// libvirt's <node> file: cpu/memory, inline and file= domains, test: namespace elements, errors.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { loadNodeFile, parseNodeXml } from '../../../../src/drivers/test/node-file.ts';
import { nodeFixture, openTest, tempDir } from '../../../helpers/test-driver.ts';

const tmp = tempDir();
after(() => { tmp.cleanup(); });

async function rejects(p: Promise<unknown>): Promise<VirtmonError> {
  try { await p; } catch (e) { if (e instanceof VirtmonError) return e; throw e; }
  assert.fail('expected a rejection');
}

const NS = "xmlns:test='http://libvirt.org/schemas/domain/test/1.0'";
const dom = (name: string, uuid: string, test = ''): string =>
  `<domain type='test'><name>${name}</name><uuid>${uuid}</uuid><memory>65536</memory><vcpu>1</vcpu>` +
  `<os><type>hvm</type></os>${test}</domain>`;
const UA = 'e1000000-0000-4000-8000-0000000000e1';
const UB = 'e2000000-0000-4000-8000-0000000000e2';

test('node info from <cpu> and <memory>, active caps the cpu count', async () => {
  const spec = await loadNodeFile(nodeFixture('all-states.xml'));
  assert.deepEqual(spec.nodeInfo, {
    model: 'x86_64', memoryKiB: 16777216, cpus: 6, mhz: 2400, nodes: 1, sockets: 1, cores: 4, threads: 2,
  });
  assert.equal(spec.origin, `node file '${nodeFixture('all-states.xml')}'`);
  assert.equal(spec.domains.length, 9);
});

test('file= domains relative to the node file, any prefix for the test namespace, other elements ignored', async () => {
  const { conn } = await openTest('with-files.xml');
  assert.deepEqual(await conn.nodeGetInfo(), {
    model: 'i686', memoryKiB: 3145728, cpus: 4, mhz: 1400, nodes: 2, sockets: 1, cores: 2, threads: 1,
  });
  const list = await conn.listAllDomains();
  assert.deepEqual(list.map((d) => [d.name, d.state, d.id]), [['vmt-file-a', 3, 1], ['vmt-inline', 5, -1], ['vmt-file-b', 1, 2]]);
  const [a] = await conn.statsTargets();
  // testnet0 is taken by the second NIC, so the first gets testnet1.
  assert.deepEqual(a?.def.devices.interfaces.map((n) => n.targetDev), ['testnet1', 'testnet0']);
  // The test namespace leaves no trace in the definition.
  const xml = await conn.getXMLDesc(await conn.lookupByName('vmt-file-a'));
  assert.doesNotMatch(xml, /runstate|libvirt\.org\/schemas\/domain\/test/);
  await conn.close();
});

test('runstate, transient and hasmanagedsave', async () => {
  const spec = await parseNodeXml(`<node ${NS}>${dom('a', UA, '<test:runstate>3</test:runstate><test:transient/>')}` +
    `${dom('b', UB, '<test:runstate>5</test:runstate><test:hasmanagedsave/>')}</node>`);
  assert.deepEqual(spec.domains.map((d) => [d.def.name, d.runstate, d.transient, d.hasManagedSave]),
    [['a', 3, true, false], ['b', 5, false, true]]);
});

/** Parses a node document and returns the error it raises. */
async function nodeError(xml: string, file = join(tmp.dir, 'node.xml')): Promise<VirtmonError> {
  writeFileSync(file, xml);
  return rejects(loadNodeFile(file));
}

test('errors name the node file and the domain', async () => {
  const file = join(tmp.dir, 'node.xml');
  const cases: Array<[string, string]> = [
    [`<node ${NS}>${dom('vmt-x', UA, '<test:runstate>9</test:runstate>')}</node>`,
      `XML error: node file '${file}': domain 'vmt-x': runstate '9' out of range`],
    [`<node ${NS}>${dom('vmt-x', UA, '<test:runstate>run</test:runstate>')}</node>`,
      `XML error: node file '${file}': domain 'vmt-x': invalid runstate`],
    [`<node ${NS}>${dom('vmt-x', UA, '<test:runstate>5</test:runstate><test:transient/>')}</node>`,
      `XML error: node file '${file}': domain 'vmt-x': transient domain cannot have runstate 'shutoff'`],
    [`<node ${NS}>${dom('vmt-x', UA, '<test:hasmanagedsave/>')}</node>`,
      `XML error: node file '${file}': domain 'vmt-x': domain with managedsave data can only have runstate 'shutoff'`],
    ['<domain/>', `XML error: node file '${file}': Root element is not 'node'`],
    ['<node><cpu><mhz>fast</mhz></cpu></node>', `XML error: node file '${file}': invalid node cpu mhz value`],
    ["<node><domain file='missing.xml'/></node>", ''],
  ];
  for (const [xml, message] of cases) {
    const e = await nodeError(xml, file);
    if (message === '') {
      assert.equal(e.code, 'VIR_ERR_SYSTEM_ERROR');
      assert.match(e.message, new RegExp(`cannot read domain file '${tmp.dir}/missing.xml'`));
    } else {
      assert.equal(e.message, message);
    }
    assert.equal(e.file, file);
  }
  const fixture = nodeFixture('bad-runstate.xml');
  const bad = await rejects(openTest('bad-runstate.xml'));
  assert.equal(bad.message, `XML error: node file '${fixture}': domain 'vmt-bad': runstate '9' out of range`);
});

test('duplicate domains and bad domain XML are reported with file and domain', async () => {
  const file = join(tmp.dir, 'dup.xml');
  writeFileSync(file, `<node>${dom('vmt-x', UA)}${dom('vmt-x', UB)}</node>`);
  const dup = await rejects(openTest(file));
  assert.equal(dup.code, 'VIR_ERR_OPERATION_FAILED');
  assert.equal(dup.message, `operation failed: node file '${file}': domain 'vmt-x': domain 'vmt-x' already exists with uuid ${UA}`);
  const broken = await nodeError('<node><domain type=\'test\'><name>vmt-y</name></domain></node>');
  assert.equal(broken.code, 'VIR_ERR_XML_ERROR');
  assert.match(broken.message, /node file '.*node\.xml': domain 'vmt-y': /);
  const notXml = await nodeError('<node><domain>');
  assert.equal(notXml.code, 'VIR_ERR_XML_ERROR');
  assert.match(notXml.message, /node file '.*node\.xml'/);
});

test('the shipped demo node loads: states, titles, nova metadata, several disks and NICs', async () => {
  const demo = new URL('../../../../examples/demo-node.xml', import.meta.url).pathname;
  const { conn } = await openTest(demo);
  const list = await conn.listAllDomains();
  assert.deepEqual(list.map((d) => [d.name, d.state, d.persistent, d.managedSave]), [
    ['web-01', 1, true, false],
    ['db-01', 1, true, false],
    ['instance-0000002a', 1, true, false],
    ['batch-01', 3, true, false],
    ['build-01', 5, true, false],
    ['scratch', 1, false, false],
    ['archive-01', 5, true, true],
  ]);
  assert.equal(list[0]?.title, 'nginx front end');
  const targets = await conn.statsTargets();
  const db = targets.find((t) => t.ref.name === 'db-01');
  assert.equal(db?.disks.length, 4);
  assert.deepEqual(db?.nics.map((n) => [n.hostDev, n.swapRxTx]), [['vnet1', true], ['vnet2', true], ['macvtap0', false]]);
  const nova = targets.find((t) => t.ref.name === 'instance-0000002a');
  assert.equal(nova?.def.metadata[0]?.name, 'nova:instance');
  assert.match(await conn.getXMLDesc(await conn.lookupByName('instance-0000002a')), /<nova:project uuid='9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'>webshop<\/nova:project>/);
  await conn.close();
});
