import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { acquirePidfile } from '../../../src/agent/pidfile.ts';
import { shortTempDir } from '../../helpers/tmp-socket.ts';

test('the pidfile refuses a second owner while the first lives, and is removed on release', async (t) => {
  const tmp = await shortTempDir('pid');
  t.after(() => tmp.remove());
  const path = tmp.path('virtmon.pid');
  const first = await acquirePidfile(path);
  assert.equal(await readFile(path, 'utf8'), `${process.pid}\n`);
  // Another pid (a living process: our parent) trying the same file is refused with its owner named.
  await assert.rejects(acquirePidfile(path, process.ppid), (e: Error) => {
    assert.match(e.message, new RegExp(`another virtmon agent \\(pid ${process.pid}\\) is running`));
    return true;
  });
  await first.release();
  await assert.rejects(readFile(path, 'utf8'), { code: 'ENOENT' });
});

test('a pidfile left by a dead agent is taken over', async (t) => {
  const tmp = await shortTempDir('pid');
  t.after(() => tmp.remove());
  const path = tmp.path('virtmon.pid');
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  await writeFile(path, `${dead.stdout}\n`);
  const held = await acquirePidfile(path);
  assert.equal(await readFile(path, 'utf8'), `${process.pid}\n`);
  await held.release();
});
