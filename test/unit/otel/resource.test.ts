/** Resource attributes: service.*, host.name, host.id from the machine id when readable, overrides. */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { readMachineId, resourceAttributes } from '../../../src/exporters/otel/resource.ts';
import { tempDir } from '../../helpers/test-driver.ts';

const tmp = tempDir();
after(() => { tmp.cleanup(); });

test('host.id from a readable machine id; left out when missing or malformed', () => {
  const good = `${tmp.dir}/mid`;
  writeFileSync(good, 'ABCDEF0123456789abcdef0123456789\n');
  assert.deepEqual(resourceAttributes('1.2.3', {}, { hostname: 'hv1', machineIdPath: good }), {
    'service.name': 'virtmon', 'service.version': '1.2.3', 'service.instance.id': 'abcdef0123456789abcdef0123456789',
    'host.name': 'hv1', 'host.id': 'abcdef0123456789abcdef0123456789',
  });
  const bad = `${tmp.dir}/bad`;
  writeFileSync(bad, 'not-an-id');
  assert.equal(readMachineId(bad), undefined);
  assert.deepEqual(resourceAttributes('1', {}, { hostname: 'hv1', machineIdPath: `${tmp.dir}/none` }), {
    'service.name': 'virtmon', 'service.version': '1', 'service.instance.id': 'hv1', 'host.name': 'hv1',
  });
});

test('configured and environment attributes are added and may override ours', () => {
  const r = resourceAttributes('1', { 'service.name': 'virtmon-edge', rack: 'r1' }, { hostname: 'hv1', machineIdPath: `${tmp.dir}/none` });
  assert.equal(r['service.name'], 'virtmon-edge');
  assert.equal(r['rack'], 'r1');
});
