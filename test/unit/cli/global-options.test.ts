import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseGlobalOptions } from '../../../src/cli/global-options.ts';

test('global options stop at the command; later options belong to it', () => {
  assert.deepEqual(parseGlobalOptions(['-c', 'test:///default', '-rq', 'list', '--all', '-r']), {
    action: 'run', options: { connect: 'test:///default', readOnly: true, quiet: true }, rest: ['list', '--all', '-r'],
  });
  assert.deepEqual(parseGlobalOptions(['--connect=qemu:///system', 'uri']), {
    action: 'run', options: { connect: 'qemu:///system', readOnly: false, quiet: false }, rest: ['uri'],
  });
  assert.deepEqual(parseGlobalOptions(['-ctest:///default', '--conn', 'x', 'uri']).action, 'run');
  assert.deepEqual(parseGlobalOptions(['--read', '--', 'list']), {
    action: 'run', options: { readOnly: true, quiet: false }, rest: ['list'],
  });
});

test('-h, -v, -V and --version act at once', () => {
  assert.deepEqual(parseGlobalOptions(['-h', '-c']), { action: 'help' });
  assert.deepEqual(parseGlobalOptions(['-v']), { action: 'version', long: false });
  assert.deepEqual(parseGlobalOptions(['-V']), { action: 'version', long: true });
  assert.deepEqual(parseGlobalOptions(['--version=long']), { action: 'version', long: true });
  assert.deepEqual(parseGlobalOptions(['--version']), { action: 'version', long: false });
});

test('errors read as virsh prints them', () => {
  assert.deepEqual(parseGlobalOptions(['-z', 'list']), { action: 'error', message: "unsupported option '-z'. See --help." });
  assert.deepEqual(parseGlobalOptions(['--frob']), { action: 'error', message: "unsupported option '--frob'. See --help." });
  assert.deepEqual(parseGlobalOptions(['-c']), { action: 'error', message: "option '-c'/'--connect' requires an argument" });
  assert.deepEqual(parseGlobalOptions(['--quiet=1']), { action: 'error', message: "unsupported option '--quiet=1'. See --help." });
});
