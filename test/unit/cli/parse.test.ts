import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ParsedOptions } from '../../../src/cli/command-def.ts';
import { findCommand } from '../../../src/cli/commands/index.ts';
import { CommandLineError, parseCommandLine } from '../../../src/cli/parse/command-line.ts';
import { TokenizeError, tokenizeArgv, tokenizeString, type Token } from '../../../src/cli/parse/tokenize.ts';

const words = (tokens: Token[]): string[] => tokens.map((t) => (t.kind === 'word' ? t.text : ';'));

test('a command string splits on blanks and ;, with quotes and escapes as in virsh', () => {
  assert.deepEqual(words(tokenizeString('suspend test; domstate test --reason')),
    ['suspend', 'test', ';', 'domstate', 'test', '--reason']);
  assert.deepEqual(words(tokenizeString(`define 'my file.xml';start "a;b" x\\ y`)),
    ['define', 'my file.xml', ';', 'start', 'a;b', 'x y']);
  assert.deepEqual(words(tokenizeString(`echo 'a\\b' "c\\"d"`)), ['echo', 'a\\b', 'c"d']);
  assert.deepEqual(words(tokenizeString('list\nuri # a comment\nhostname')), ['list', ';', 'uri', ';', 'hostname']);
  assert.deepEqual(words(tokenizeString("x ''")), ['x', '']);
  assert.throws(() => tokenizeString('list \\'), (e) => e instanceof TokenizeError && e.message === 'dangling \\');
  assert.throws(() => tokenizeString('list "abc'), (e) => e instanceof TokenizeError && e.message === 'missing "');
});

test('separate argv words: a lone ; word ends a command, other words stay whole', () => {
  assert.deepEqual(words(tokenizeArgv(['suspend', 'test', ';', 'domstate', 'a b;c'])),
    ['suspend', 'test', ';', 'domstate', 'a b;c']);
});

const parse = (line: string) => parseCommandLine(tokenizeString(line), findCommand);
const messages = (fn: () => unknown): readonly string[] => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CommandLineError) return e.messages;
    throw e;
  }
  assert.fail('expected a CommandLineError');
};

test('options: flags, --opt value, --opt=value, positional data, --', () => {
  const [save, list] = parse('save --file=/tmp/x test --paused; list --all');
  assert.equal(save?.def.name, 'save');
  const o = new ParsedOptions(save?.values ?? new Map());
  assert.equal(o.required('domain'), 'test');
  assert.equal(o.string('file'), '/tmp/x');
  assert.ok(o.bool('paused'));
  assert.equal(list?.def.name, 'list');
  const [stats] = parse('domstats --state a -- --b');
  assert.deepEqual(new ParsedOptions(stats?.values ?? new Map()).list('domain'), ['a', '--b']);
  const [setmem] = parse('setmem test --size 1G --live');
  assert.equal(new ParsedOptions(setmem?.values ?? new Map()).string('size'), '1G');
});

test('an unknown command aborts the whole line, whatever comes before it', () => {
  assert.deepEqual(messages(() => parse('suspend test; frobnicate; resume test')), ["unknown command: 'frobnicate'"]);
});

test('option errors use virsh wording', () => {
  assert.deepEqual(messages(() => parse('list --foo')), ["command 'list' doesn't support option --foo"]);
  assert.deepEqual(messages(() => parse('list --all --all')), ['option --all already seen']);
  assert.deepEqual(messages(() => parse('list --all=yes')), ["invalid '=' after option --all"]);
  assert.deepEqual(messages(() => parse('save test --file')), ['expected syntax: --file <string>']);
  assert.deepEqual(messages(() => parse('setmem test --size; list')), ['expected syntax: --size <number>']);
  assert.deepEqual(messages(() => parse('dominfo')), ["command 'dominfo' requires <domain> option"]);
  assert.deepEqual(messages(() => parse('save')), ["command 'save' requires <domain> option", "command 'save' requires <file> option"]);
  assert.deepEqual(messages(() => parse('setmem test')), ["command 'setmem' requires --size option"]);
  assert.deepEqual(messages(() => parse('dominfo a b')), ["unexpected data 'b'"]);
});

test('--help turns any command into help COMMAND, even with required options missing', () => {
  const [cmd] = parse('dominfo --help');
  assert.equal(cmd?.def.name, 'help');
  assert.equal(new ParsedOptions(cmd?.values ?? new Map()).string('command'), 'dominfo');
  assert.equal(parse('help --bogus list extra')[0]?.def.name, 'help', 'help ignores stray words as virsh does');
});

test('empty commands between separators are skipped', () => {
  assert.deepEqual(parse(';; uri ;').map((c) => c.def.name), ['uri']);
});
