// Shared helpers of the domain XML tests: fixture access and error capture.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { VirtmonError } from '../../../src/domain/errors.ts';

const FIXTURES = new URL('../../fixtures/xml/', import.meta.url);

/** Names of every corpus file. */
export function corpusFiles(): string[] {
  return readdirSync(FIXTURES).filter((f) => f.endsWith('.xml')).sort();
}

/** Text of one corpus file. */
export function fixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), 'utf8');
}

/** Runs fn, asserts it throws a VirtmonError with `code`, and returns it. */
export function errorOf(fn: () => unknown, code = 'VIR_ERR_XML_ERROR'): VirtmonError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof VirtmonError, `expected a VirtmonError, got ${String(err)}`);
    assert.equal(err.code, code, err.message);
    return err;
  }
  assert.fail('expected an error');
}

/** A deterministic MAC generator (52:54:00:00:00:NN). */
export function macSequence(): () => string {
  let n = 0;
  return () => `52:54:00:00:00:${(++n).toString(16).padStart(2, '0')}`;
}

/** A deterministic UUID generator. */
export function uuidSequence(): () => string {
  let n = 0;
  return () => `00000000-0000-4000-8000-${(++n).toString().padStart(12, '0')}`;
}
