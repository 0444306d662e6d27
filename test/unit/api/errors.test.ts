import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiError } from '../../../src/api/errors.ts';
import type { VirtmonError} from '../../../src/domain/errors.ts';
import { deserializeError, domainNotRunning } from '../../../src/domain/errors.ts';

test('a VirtmonError passes through with its catalog status and round-trips through JSON', () => {
  const e = apiError(domainNotRunning());
  assert.equal(e.httpStatus, 409);
  const back = deserializeError(JSON.parse(JSON.stringify(e.toJSON())) as ReturnType<VirtmonError['toJSON']>);
  assert.equal(back.message, 'Requested operation is not valid: domain is not running');
  assert.equal(back.libvirtCode, 55);
});

test('a fastify validation error becomes VIRTMON_ERR_REQUEST naming the field', () => {
  const missing = apiError(Object.assign(new Error('x'), {
    validation: [{ instancePath: '', params: { missingProperty: 'path' }, message: "must have required property 'path'" }],
    validationContext: 'body',
  }));
  assert.equal(missing.code, 'VIRTMON_ERR_REQUEST');
  assert.equal(missing.message, 'invalid request: body/path is required');
  assert.equal(missing.key, 'body/path');
  assert.equal(missing.httpStatus, 400);
  const wrongType = apiError(Object.assign(new Error('x'), {
    validation: [{ instancePath: '/kib', params: { type: 'integer' }, message: 'must be integer' }],
    validationContext: 'body',
  }));
  assert.equal(wrongType.message, 'invalid request: body/kib must be integer');
  const extra = apiError(Object.assign(new Error('x'), {
    validation: [{ instancePath: '', params: { additionalProperty: 'bogus' }, message: 'must NOT have additional properties' }],
    validationContext: 'querystring',
  }));
  assert.equal(extra.message, 'invalid request: querystring/bogus is not a known field');
});

test('fastify client errors are request errors; anything else is internal', () => {
  const bad = apiError(Object.assign(new Error("Body is not valid JSON but content-type is set to 'application/json'"), { statusCode: 400, code: 'FST_ERR_CTP_INVALID_JSON_BODY' }));
  assert.equal(bad.code, 'VIRTMON_ERR_REQUEST');
  assert.equal(bad.key, 'FST_ERR_CTP_INVALID_JSON_BODY');
  const boom = apiError(new Error('boom'));
  assert.equal(boom.code, 'VIR_ERR_INTERNAL_ERROR');
  assert.equal(boom.message, 'internal error: boom');
});
