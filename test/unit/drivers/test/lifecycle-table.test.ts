// Every lifecycle operation in every state the test driver can be seeded with, against
// libvirt-semantics.md §3 (the qemu driver's rules): the resulting state/reason and events, or the
// exact error. One fresh connection per cell.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { openTest, takeEvents, tempDir } from '../../../helpers/test-driver.ts';

const tmp = tempDir();
after(() => { tmp.cleanup(); });

type Op = 'start' | 'suspend' | 'resume' | 'shutdown' | 'reboot' | 'reset' | 'destroy' | 'save' | 'managedsave';
const OPS: readonly Op[] = ['start', 'suspend', 'resume', 'shutdown', 'reboot', 'reset', 'destroy', 'save', 'managedsave'];

const NOT_RUNNING = 'error: Requested operation is not valid: domain is not running';
const ALREADY = 'error: Requested operation is not valid: domain is already running';
const PMSUSP = 'error: Requested operation is not valid: domain is pmsuspended';
const SHUTDOWN_OK = '5/1 [Shutdown Finished, Stopped Shutdown]';
const DESTROYED = '5/2 [Stopped Destroyed]';
const SAVED = '5/5 [Stopped Saved]';
const MSAVED = '5/5 +managedsave [Stopped Saved]';
const PAUSED_USER = '3/1 [Suspended Paused]';

/** An inactive domain: only start works. */
const inactive = (startResult: string): Record<Op, string> => ({
  start: startResult, suspend: NOT_RUNNING, resume: NOT_RUNNING, shutdown: NOT_RUNNING, reboot: NOT_RUNNING,
  reset: NOT_RUNNING, destroy: NOT_RUNNING, save: NOT_RUNNING, managedsave: NOT_RUNNING,
});

const table: Record<string, Record<Op, string>> = {
  'vmt-running': {
    start: ALREADY, suspend: PAUSED_USER, resume: ALREADY, shutdown: SHUTDOWN_OK, reboot: '1/0 [reboot]',
    reset: '1/0 [reboot]', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-blocked': {
    start: ALREADY, suspend: PAUSED_USER, resume: '2/0 []', shutdown: NOT_RUNNING, reboot: '2/0 [reboot]',
    reset: '2/0 [reboot]', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-paused': {
    start: ALREADY, suspend: '3/0 []', resume: '1/5 [Resumed Unpaused]', shutdown: NOT_RUNNING, reboot: '3/0 [reboot]',
    reset: '3/0 []', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-inshutdown': {
    start: ALREADY, suspend: PAUSED_USER, resume: '4/0 []', shutdown: NOT_RUNNING, reboot: '4/0 [reboot]',
    reset: '4/0 [reboot]', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-shutoff': inactive('1/1 [Started Booted]'),
  'vmt-crashed': {
    start: ALREADY, suspend: PAUSED_USER, resume: '6/0 []', shutdown: NOT_RUNNING, reboot: '6/0 [reboot]',
    reset: '3/10 []', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-pmsuspended': {
    start: ALREADY, suspend: PMSUSP, resume: PMSUSP, shutdown: NOT_RUNNING, reboot: '7/0 [reboot]',
    reset: '7/0 [reboot]', destroy: DESTROYED, save: SAVED, managedsave: MSAVED,
  },
  'vmt-transient': {
    start: ALREADY, suspend: PAUSED_USER, resume: ALREADY, shutdown: 'gone [Shutdown Finished, Stopped Shutdown]',
    reboot: '1/0 [reboot]', reset: '1/0 [reboot]', destroy: 'gone [Stopped Destroyed]', save: 'gone [Stopped Saved]',
    managedsave: 'error: Requested operation is not valid: cannot do managed save for transient domain',
  },
  'vmt-saved': inactive('1/3 [Started Restored]'),
};

let saveCount = 0;

async function runCell(name: string, op: Op): Promise<string> {
  const tc = await openTest('all-states.xml');
  try {
    const dom = await tc.conn.lookupByName(name);
    try {
      switch (op) {
        case 'start': await tc.conn.create(dom); break;
        case 'suspend': await tc.conn.suspend(dom); break;
        case 'resume': await tc.conn.resume(dom); break;
        case 'shutdown': await tc.conn.shutdown(dom); break;
        case 'reboot': await tc.conn.reboot(dom); break;
        case 'reset': await tc.conn.reset(dom); break;
        case 'destroy': await tc.conn.destroy(dom); break;
        case 'save': await tc.conn.save(dom, join(tmp.dir, `save-${++saveCount}`)); break;
        case 'managedsave': await tc.conn.managedSave(dom); break;
      }
    } catch (e) {
      assert.ok(e instanceof VirtmonError, `${name} ${op} threw ${String(e)}`);
      assert.deepEqual(takeEvents(tc), [], `${name} ${op} failed but emitted events`);
      return `error: ${e.message}`;
    }
    const events = `[${takeEvents(tc).join(', ')}]`;
    const now = (await tc.conn.listAllDomains()).find((d) => d.uuid === dom.uuid);
    if (now === undefined) return `gone ${events}`;
    return `${now.state}/${now.reason}${now.managedSave ? ' +managedsave' : ''} ${events}`;
  } finally {
    await tc.conn.close();
  }
}

for (const [name, row] of Object.entries(table)) {
  test(`${name}: every lifecycle operation`, async () => {
    const actual: Record<string, string> = {};
    for (const op of OPS) actual[op] = await runCell(name, op);
    assert.deepEqual(actual, row);
  });
}

test('the seeded states are what the node file says, with reason 0 and ids in file order', async () => {
  const tc = await openTest('all-states.xml');
  const list = await tc.conn.listAllDomains();
  assert.deepEqual(list.map((d) => [d.name, d.state, d.reason, d.id, d.persistent, d.managedSave]), [
    ['vmt-running', 1, 0, 1, true, false],
    ['vmt-blocked', 2, 0, 2, true, false],
    ['vmt-paused', 3, 0, 3, true, false],
    ['vmt-inshutdown', 4, 0, 4, true, false],
    ['vmt-shutoff', 5, 0, -1, true, false],
    ['vmt-crashed', 6, 0, 5, true, false],
    ['vmt-pmsuspended', 7, 0, 6, true, false],
    ['vmt-transient', 1, 0, 7, false, false],
    ['vmt-saved', 5, 0, -1, true, true],
  ]);
  await tc.conn.close();
});
