import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedOptions } from '../../../src/cli/command-def.ts';
import { filterDomains, formatList, sortDomains } from '../../../src/cli/commands/list.ts';
import { findCommand } from '../../../src/cli/commands/index.ts';
import { parseCommandLine } from '../../../src/cli/parse/command-line.ts';
import { tokenizeString } from '../../../src/cli/parse/tokenize.ts';
import { DomainState } from '../../../src/domain/states.ts';
import type { DomainListEntry } from '../../../src/drivers/driver.ts';

const opts = (line: string): ParsedOptions =>
  new ParsedOptions(parseCommandLine(tokenizeString(`list ${line}`), findCommand)[0]?.values ?? new Map());

const dom = (name: string, id: number, state: number, extra: Partial<DomainListEntry> = {}): DomainListEntry => ({
  name, id, uuid: `00000000-0000-0000-0000-${String(id + 100).padStart(12, '0')}`,
  state: state as DomainListEntry['state'], reason: 0, persistent: true, autostart: false, managedSave: false, ...extra,
});

const domains = [
  dom('zeta', -1, DomainState.SHUTOFF, { managedSave: true }),
  dom('web', 7, DomainState.PAUSED, { persistent: false, title: 'front end' }),
  dom('Alpha', -1, DomainState.SHUTOFF, { autostart: true }),
  dom('db', 3, DomainState.RUNNING),
  dom('beta', -1, DomainState.SHUTOFF),
];

const render = (line: string, quiet = false): string => {
  const o = opts(line);
  return formatList(sortDomains(filterDomains(domains, o)), o, quiet);
};

test('active by id first, then inactive by name ignoring case', () => {
  assert.equal(render('--all'),
    ' Id   Name    State\n' +
    '------------------------\n' +
    ' 3    db      running\n' +
    ' 7    web     paused\n' +
    ' -    Alpha   shut off\n' +
    ' -    beta    shut off\n' +
    ' -    zeta    shut off\n');
});

test('filters: default active only, --inactive, state, persistence, autostart, managed save', () => {
  assert.equal(render('--name'), 'db\nweb\n');
  assert.equal(render('--inactive --name'), 'Alpha\nbeta\nzeta\n');
  assert.equal(render('--all --state-paused --name'), 'web\n');
  assert.equal(render('--state-shutoff --name'), 'Alpha\nbeta\nzeta\n');
  assert.equal(render('--all --transient --name'), 'web\n');
  assert.equal(render('--all --persistent --transient --name'), 'db\nweb\nAlpha\nbeta\nzeta\n');
  assert.equal(render('--all --autostart --name'), 'Alpha\n');
  assert.equal(render('--all --with-managed-save --name'), 'zeta\n');
  assert.equal(render('--all --state-other --name'), '');
});

test('--uuid, --id, --name combinations and --managed-save, --title columns', () => {
  assert.equal(render('--uuid'), '00000000-0000-0000-0000-000000000103\n00000000-0000-0000-0000-000000000107\n');
  assert.equal(render('--all --id'), '3\n7\n');
  assert.equal(render('--uuid --name'), '00000000-0000-0000-0000-000000000103 db\n00000000-0000-0000-0000-000000000107 web\n');
  assert.match(render('--inactive --managed-save'), / - {4}zeta {4}saved\n$/);
  assert.equal(render('--title'),
    ' Id   Name   State     Title\n' +
    '----------------------------------\n' +
    ' 3    db     running   \n' +
    ' 7    web    paused    front end\n');
});

test('-q drops the header; an empty table is header and dashes', () => {
  assert.equal(render('--all --state-running', true), ' 3   db   running\n');
  assert.equal(render('--state-other'), ' Id   Name   State\n--------------------\n');
});
