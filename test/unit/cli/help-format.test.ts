import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, findCommand } from '../../../src/cli/commands/index.ts';
import { formatCommandHelp, formatGroupedHelp, formatUsage } from '../../../src/cli/format/help.ts';

const help = (name: string): string => {
  const def = findCommand(name);
  assert.ok(def, name);
  return formatCommandHelp(def);
};

test('command help in virsh layout: NAME, SYNOPSIS, DESCRIPTION, OPTIONS', () => {
  assert.equal(help('reset'),
    '  NAME\n    reset - reset a domain\n\n' +
    '  SYNOPSIS\n    reset <domain>\n\n' +
    '  DESCRIPTION\n    Reset the target domain as if by power button\n\n' +
    '  OPTIONS\n    [--domain] <string>  domain name, id or uuid\n\n');
  assert.match(help('setmem'), /SYNOPSIS\n {4}setmem <domain> <size> \[--config\] \[--live\] \[--current\]\n/);
  assert.match(help('setmem'), /\n {4}\[--size\] <number> {2}new memory size, as scaled integer \(default KiB\)\n/);
  assert.match(help('domstats'), /SYNOPSIS\n {4}domstats \[--state\] .* \[--nowait\] \[<domain>\]\.\.\.\n/);
  assert.match(help('domstats'), /\n {4}<domain> {9}list of domains to get stats for\n/);
  assert.match(help('list'), /\n {4}--all {12}list inactive & active domains\n/);
  assert.doesNotMatch(help('uri'), /DESCRIPTION|OPTIONS/);
  assert.match(help('help'), /SYNOPSIS\n {4}help \[<command>\]\n/);
});

test('every command has help texts and documented options', () => {
  for (const c of COMMANDS) {
    assert.ok(c.help.length > 0, c.name);
    for (const o of c.options) assert.ok(o.help.length > 0, `${c.name} --${o.name}`);
    assert.ok(help(c.name).startsWith(`  NAME\n    ${c.name} - `));
  }
});

test('grouped help and usage list every command once', () => {
  const grouped = formatGroupedHelp(COMMANDS);
  const usage = formatUsage('virtmon', COMMANDS);
  assert.match(grouped, /^Grouped commands:\n\n Domain Management \(help keyword 'domain'\):\n/);
  assert.match(usage, /^\nvirtmon \[options\]\.\.\. \[<command_string>\]\n/);
  for (const c of COMMANDS) {
    assert.match(grouped, new RegExp(`\\n {4}${c.name} +${c.help.replace(/[()]/g, '\\$&')}\\n`));
    assert.match(usage, new RegExp(`\\n {4}${c.name} `));
  }
});
