/**
 * Loads an alert rules file: YAML syntax, the schema (unknown keys, types, defaults), then the checks of
 * rules-resolve.ts. Every problem is reported at once in one VIRTMON_ERR_RULES error whose lines read
 * `FILE:LINE: KEY: message`; the first names the error's file, line and key. Nothing is half-applied:
 * the caller gets a whole RuleSet or an error.
 */
import { readFile } from 'node:fs/promises';
import { Ajv, type ErrorObject } from 'ajv';
import { LineCounter, parseDocument } from 'yaml';
import { lineOf } from '../config/locate.ts';
import { VirtmonError } from '../domain/errors.ts';
import { RulesFileSchema, type RawRulesFile } from './rule-schema.ts';
import { resolveRules } from './rules-resolve.ts';
import type { RuleSet } from './rules.ts';

interface Located {
  readonly key: string;
  readonly line?: number;
  readonly message: string;
}

/** Reads and validates a rules file. */
export async function loadRulesFile(file: string): Promise<RuleSet> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new VirtmonError('VIRTMON_ERR_RULES', `cannot read ${file}: ${(err as Error).message}`, { file, cause: err });
  }
  return parseRulesText(text, file);
}

/** Parses and validates rules text; `file` is used in messages. */
export function parseRulesText(text: string, file: string): RuleSet {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const first = doc.errors[0];
    const line = first === undefined ? undefined : counter.linePos(first.pos[0]).line;
    throw rulesError(file, [{ key: '', ...(line === undefined ? {} : { line }), message: first?.message.split('\n')[0] ?? 'YAML syntax error' }]);
  }
  const data: unknown = doc.toJS() ?? {};
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw rulesError(file, [{ key: '', line: 1, message: 'the file must hold a mapping with a rules: list' }]);
  }
  const locate = (path: (string | number)[], message: string): Located => {
    const line = lineOf(doc, counter, path);
    return { key: path.join('.'), ...(line === undefined ? {} : { line }), message };
  };
  const validate = new Ajv({ allErrors: true, useDefaults: true, strict: true, verbose: true }).compile<RawRulesFile>(RulesFileSchema);
  if (!validate(data)) throw rulesError(file, describe(validate.errors ?? []).map((p) => locate(p.path, p.message)));
  const { set, problems } = resolveRules(data, file);
  if (problems.length > 0) throw rulesError(file, problems.map((p) => locate(p.path, p.message)));
  return { ...set, rules: set.rules.map((r, i) => ({ ...r, ...lineField(lineOf(doc, counter, ['rules', i])) })) };
}

function lineField(line: number | undefined): { line?: number } {
  return line === undefined ? {} : { line };
}

function rulesError(file: string, problems: readonly Located[]): VirtmonError {
  const lines = problems.map((p) => `${file}:${p.line ?? '?'}: ${p.key === '' ? '' : `${p.key}: `}${p.message}`);
  const first = problems[0];
  return new VirtmonError('VIRTMON_ERR_RULES', lines.join('\n'), {
    file, ...(first?.line === undefined ? {} : { line: first.line }), ...(first === undefined || first.key === '' ? {} : { key: first.key }),
  });
}

/** ajv errors → one message per key path, union branches folded into one line. */
function describe(errors: readonly ErrorObject[]): { path: (string | number)[]; message: string }[] {
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out = new Map<string, { path: (string | number)[]; message: string }>();
  for (const e of errors) {
    const path = e.instancePath.split('/').slice(1).map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (e.keyword === 'additionalProperties') {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      out.set([...path, extra].join('.'), { path: [...path, extra], message: `unknown key '${extra}'` });
      continue;
    }
    if (unions.has(e.instancePath) && e.keyword !== 'anyOf') continue;
    const key = path.join('.');
    if (!out.has(key)) out.set(key, { path, message: messageFor(e) });
  }
  return [...out.values()];
}

function messageFor(e: ErrorObject): string {
  const got = ` (got ${JSON.stringify(e.data)})`;
  const description = (e.parentSchema as { description?: string } | undefined)?.description;
  switch (e.keyword) {
    case 'enum': return `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}${got}`;
    case 'type': return `must be ${String((e.params as { type: string }).type)}${got}`;
    case 'anyOf':
      // Durations are a union of number and pattern; say what is accepted rather than the key's purpose.
      if (JSON.stringify(e.schema).includes('ms|s|m|h|d')) return `must be a duration such as 30s, 5m, 1h30m or a number of seconds${got}`;
      return `must be ${description ?? 'a valid value'}${got}`;
    case 'pattern': return `is malformed: ${description ?? 'does not match'}${got}`;
    case 'required': return `needs '${String((e.params as { missingProperty: string }).missingProperty)}'`;
    default: return `${e.message ?? 'is invalid'}${got}`;
  }
}
