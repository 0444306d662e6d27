/**
 * Loads virtmon.yaml: YAML syntax, then the schema (unknown keys, types, defaults), then the semantic
 * checks of resolve.ts. Every error is a VIRTMON_ERR_CONFIG naming the file, the line and the key,
 * and all of them are reported at once so a broken file is fixed in one go.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { VirtmonError } from '../domain/errors.ts';
import { lineOf } from './locate.ts';
import { resolveConfig, type ResolvedConfig } from './resolve.ts';
import { ConfigSchema, type RawConfig } from './schema.ts';

/** Where the agent looks when no --config is given. */
export const DEFAULT_CONFIG_PATH = '/etc/virtmon/virtmon.yaml';

/** One problem found in a config file. */
export interface ConfigProblem {
  readonly key: string;
  readonly line?: number;
  readonly message: string;
}

/** Reads and validates a config file; `undefined` text means "file absent, use defaults". */
export function loadConfigFile(file: string, options: { readonly mustExist: boolean }): ResolvedConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !options.mustExist) return parseConfigText('', file);
    throw new VirtmonError('VIRTMON_ERR_CONFIG', `cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseConfigText(text, file);
}

/** Parses and validates config text; `file` is used in messages only. */
export function parseConfigText(text: string, file: string): ResolvedConfig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first === undefined ? undefined : counter.linePos(first.pos[0]).line;
    throw configError(file, [{ key: '', ...(line === undefined ? {} : { line }), message: first?.message.split('\n')[0] ?? 'YAML syntax error' }]);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw configError(file, [{ key: '', line: 1, message: 'the file must hold a mapping of config blocks' }]);
  }
  const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true }).compile<RawConfig>(ConfigSchema);
  if (!validate(data)) {
    const problems = describeErrors(validate.errors ?? []).map((p) => {
      const line = lineOf(doc, counter, p.path);
      return { key: p.path.join('.'), ...(line === undefined ? {} : { line }), message: p.message };
    });
    throw configError(file, problems);
  }
  const resolved = resolveConfig(data);
  if (resolved.problems.length > 0) {
    throw configError(file, resolved.problems.map((p) => {
      const line = lineOf(doc, counter, p.path);
      return { key: p.path.join('.'), ...(line === undefined ? {} : { line }), message: p.message };
    }));
  }
  return resolved.config;
}

/** Builds one error for all problems; the first one gives the error's file/line/key fields. */
function configError(file: string, problems: readonly ConfigProblem[]): VirtmonError {
  const lines = problems.map((p) => `${file}:${p.line ?? '?'}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`);
  const first = problems[0];
  return new VirtmonError('VIRTMON_ERR_CONFIG', lines.join('\n'), {
    file,
    ...(first?.line === undefined ? {} : { line: first.line }),
    ...(first === undefined || first.key === '' ? {} : { key: first.key }),
  });
}

interface PathProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

/** Turns ajv's errors into one message per key, folding the branches of a union into one line. */
function describeErrors(errors: readonly ErrorObject[]): PathProblem[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out = new Map<string, PathProblem>();
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1).map(unescapePointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      const full = [...path, extra];
      out.set(full.join('.'), { path: full, message: `unknown key '${extra}'` });
      continue;
    }
    if (unionPaths.has(e.instancePath) && e.keyword !== 'anyOf') continue;
    const key = path.join('.');
    if (out.has(key)) continue;
    out.set(key, { path, message: messageFor(e) });
  }
  return [...out.values()];
}

function messageFor(e: ErrorObject): string {
  const got = ` (got ${JSON.stringify(e.data)})`;
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'enum':
      return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'type':
      return `must be ${String((e.params as { type: string }).type)}${got}`;
    case 'anyOf':
      return `must be ${description ?? 'a valid value'}${got}`;
    case 'pattern':
      return `is malformed: ${description ?? `must match ${String((e.params as { pattern: string }).pattern)}`}${got}`;
    default:
      return `${e.message ?? 'is invalid'}${got}`;
  }
}

function unescapePointer(s: string): string {
  return s.replaceAll('~1', '/').replaceAll('~0', '~');
}
