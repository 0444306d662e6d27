import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ERROR_CATALOG, VirtmonError, deserializeError, domainNotRunning, noDomainWithName, renderErrorMessage, unsupported,
} from '../../../src/domain/errors.ts';

test('messages read as libvirt renders them', () => {
  assert.equal(domainNotRunning().message, 'Requested operation is not valid: domain is not running');
  assert.equal(noDomainWithName('vm1').message, "Domain not found: no domain with matching name 'vm1'");
  assert.equal(unsupported('virDomainSuspend').message,
    'this function is not supported by the connection driver: virDomainSuspend');
  assert.equal(renderErrorMessage('VIR_ERR_OPERATION_DENIED'), 'operation forbidden for read only access');
  assert.equal(renderErrorMessage('VIR_ERR_XML_ERROR'), 'XML description is invalid or not well formed');
});

test('libvirt codes match virerror.h numbers and ours are 0', () => {
  const expected: Record<string, number> = {
    VIR_ERR_INTERNAL_ERROR: 1, VIR_ERR_NO_SUPPORT: 3, VIR_ERR_NO_CONNECT: 5, VIR_ERR_INVALID_ARG: 8,
    VIR_ERR_OPERATION_FAILED: 9, VIR_ERR_XML_ERROR: 27, VIR_ERR_OPERATION_DENIED: 29, VIR_ERR_NO_DOMAIN: 42,
    VIR_ERR_OPERATION_INVALID: 55, VIR_ERR_CONFIG_UNSUPPORTED: 67, VIR_ERR_OPERATION_TIMEOUT: 68,
    VIR_ERR_ARGUMENT_UNSUPPORTED: 74, VIR_ERR_OPERATION_UNSUPPORTED: 84, VIR_ERR_RESOURCE_BUSY: 87,
    VIR_ERR_ACCESS_DENIED: 88,
  };
  for (const [code, row] of Object.entries(ERROR_CATALOG)) {
    if (code.startsWith('VIR_ERR_')) {
      if (code in expected) assert.equal(row.libvirtCode, expected[code], code);
      assert.ok(row.libvirtCode > 0, code);
    } else {
      assert.ok(code.startsWith('VIRTMON_ERR_'), code);
      assert.equal(row.libvirtCode, 0, code);
    }
    assert.ok(row.http >= 400 && row.http < 600, code);
    assert.ok(row.doc.length > 0, code);
  }
});

test('errors survive the wire', () => {
  const err = new VirtmonError('VIRTMON_ERR_CONFIG', 'unknown key', { file: '/etc/v.yaml', line: 3, key: 'foo' });
  const back = deserializeError(JSON.parse(JSON.stringify(err)) as ReturnType<VirtmonError['toJSON']>);
  assert.equal(back.message, err.message);
  assert.equal(back.code, 'VIRTMON_ERR_CONFIG');
  assert.equal(back.line, 3);
  assert.equal(back.key, 'foo');
});
