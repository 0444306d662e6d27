/**
 * A config problem found after validation (the driver refused the URI or a driver setting): the
 * same VIRTMON_ERR_CONFIG `file:line: key: message` form as schema errors, the line found again in
 * the file's text.
 */
import { readFileSync } from 'node:fs';
import { LineCounter, parseDocument } from 'yaml';
import { VirtmonError } from '../domain/errors.ts';
import { lineOf } from './locate.ts';

/** Builds the error for `path` in `file`; a file that cannot be read again just loses the line. */
export function configProblemAt(file: string, path: readonly (string | number)[], message: string, cause?: unknown): VirtmonError {
  let line: number | undefined;
  try {
    const counter = new LineCounter();
    const doc = parseDocument(readFileSync(file, 'utf8'), { lineCounter: counter });
    line = lineOf(doc, counter, path);
  } catch {
    line = undefined;
  }
  const key = path.join('.');
  return new VirtmonError('VIRTMON_ERR_CONFIG', `${file}:${line ?? '?'}: ${key}: ${message}`, {
    file, key, ...(line === undefined ? {} : { line }), ...(cause === undefined ? {} : { cause }),
  });
}
