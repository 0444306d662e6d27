// Pure parts of the qemu driver: the job lock, libvirt's save-image header, settings, /proc parsing,
// status files and /proc/self/cgroup.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { parseProcCgroup } from '../../../../src/drivers/qemu/cgroup-layout.ts';
import { JobLock } from '../../../../src/drivers/qemu/job-lock.ts';
import { parseProcStat } from '../../../../src/drivers/qemu/proc.ts';
import { SAVE_HEADER_BYTES, encodeSaveHeader, markComplete, readSaveImageInfo } from '../../../../src/drivers/qemu/save-image.ts';
import { qemuPaths, resolveSettings } from '../../../../src/drivers/qemu/settings.ts';
import { parseStatus } from '../../../../src/drivers/qemu/status-file.ts';
import { shortTempDir } from '../../../helpers/tmp-socket.ts';
import { open } from 'node:fs/promises';

describe('JobLock', () => {
  test('holders queue in order; a waiter past its timeout gets libvirt\'s message naming the holder', async () => {
    const lock = new JobLock();
    const order: string[] = [];
    const r1 = await lock.acquire('virDomainSuspend', 1000);
    const second = lock.acquire('virDomainResume', 1000).then((r) => { order.push('resume'); return r; });
    const late = lock.acquire('virDomainReset', 10);
    await assert.rejects(late, (e: unknown) => e instanceof VirtmonError && e.message === 'Timed out during operation: cannot acquire state change lock (held by virDomainSuspend)');
    assert.equal(lock.holder, 'virDomainSuspend');
    order.push('suspend done');
    r1();
    r1(); // twice is harmless
    const r2 = await second;
    assert.equal(lock.holder, 'virDomainResume');
    r2();
    assert.equal(lock.holder, undefined);
    assert.deepEqual(order, ['suspend done', 'resume']);
  });

  test('run() releases on failure', async () => {
    const lock = new JobLock();
    await assert.rejects(lock.run('a', 100, () => Promise.reject(new Error('boom'))), /boom/);
    assert.equal(lock.holder, undefined);
    assert.equal(await lock.run('b', 100, () => Promise.resolve(7)), 7);
  });
});

describe('save image (libvirt qemu layout)', () => {
  test('round trip: partial until marked complete, XML and was_running read back', async (t) => {
    const tmp = await shortTempDir('u');
    t.after(() => tmp.remove());
    const path = tmp.path('x.save');
    const head = encodeSaveHeader('<domain/>', true);
    assert.equal(head.length, SAVE_HEADER_BYTES + '<domain/>'.length + 1);
    await writeFile(path, Buffer.concat([head, Buffer.from('STREAM')]));
    await assert.rejects(readSaveImageInfo(path), { message: `operation failed: save image is incomplete in '${path}'` });
    const fh = await open(path, 'r+');
    await markComplete(fh);
    await fh.close();
    assert.deepEqual(await readSaveImageInfo(path), { xml: '<domain/>', wasRunning: true, streamOffset: head.length });
  });

  test('refuses what is not an image', async (t) => {
    const tmp = await shortTempDir('u');
    t.after(() => tmp.remove());
    await writeFile(tmp.path('bad'), Buffer.alloc(200, 65));
    await assert.rejects(readSaveImageInfo(tmp.path('bad')), { message: /image magic is incorrect/ });
    await writeFile(tmp.path('short'), 'Libvirt');
    await assert.rejects(readSaveImageInfo(tmp.path('short')), { message: /failed to read qemu header/ });
    await assert.rejects(readSaveImageInfo(tmp.path('missing')), { code: 'VIR_ERR_SYSTEM_ERROR' });
  });
});

describe('settings', () => {
  test('system and session defaults; overrides; unknown keys and bad values refused', () => {
    const sys = resolveSettings('system', {}, {});
    assert.equal(sys.stateDir, '/var/lib/virtmon/qemu');
    assert.equal(sys.runDir, '/run/virtmon/qemu');
    assert.equal(sys.jobTimeoutMs, 30_000);
    assert.equal(sys.cgroupPartition, '/machine');
    const ses = resolveSettings('session', {}, { HOME: '/home/u', XDG_RUNTIME_DIR: '/run/user/1000' });
    assert.equal(ses.stateDir, '/home/u/.config/virtmon/qemu');
    assert.equal(ses.runDir, '/run/user/1000/virtmon/qemu');
    assert.equal(ses.logDir, '/home/u/.cache/virtmon/qemu/log');
    assert.equal(resolveSettings('system', { stateDir: '/s', runDir: '/r' }).logDir, '/s/log');
    assert.throws(() => resolveSettings('system', { stateDri: '/x' }), { message: "invalid argument: qemu driver setting 'stateDri' is unknown" });
    assert.throws(() => resolveSettings('system', { runDir: 'relative' }), { code: 'VIR_ERR_INVALID_ARG' });
    assert.throws(() => resolveSettings('system', { tapPrefix: 'has space' }), { code: 'VIR_ERR_INVALID_ARG' });
    assert.throws(() => resolveSettings('system', { cgroupPartition: '/a/../b' }), { code: 'VIR_ERR_INVALID_ARG' });
  });

  test('the per-run directory keeps socket paths short', () => {
    const p = qemuPaths(resolveSettings('system', { stateDir: '/s', runDir: '/r' }));
    assert.equal(p.domainDir(3, 'a-very-long-domain-name-indeed'), '/r/domain-3-a-very-long-domain-n');
    assert.equal(p.configFile('web'), '/s/config/web.xml');
    assert.equal(p.managedSaveFile('web'), '/s/save/web.save');
  });
});

describe('/proc parsing', () => {
  test('stat with spaces and parentheses in the command name', () => {
    const text = '1234 (qemu-system (x) 1) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 75 0 0 20 0 5 0 98765 1000 321 18446744073709551615';
    assert.deepEqual(parseProcStat(text), { state: 'S', utimeTicks: 250, stimeTicks: 75, startTicks: 98765, rssPages: 321 });
  });

  test('/proc/self/cgroup: v1 controllers and the cgroup2 line', () => {
    const parsed = parseProcCgroup('4:memory:/process_api/x\n3:cpu,cpuacct:/a\n0::/b\n');
    assert.deepEqual([...parsed.v1], [['memory', '/process_api/x'], ['cpu', '/a'], ['cpuacct', '/a']]);
    assert.equal(parsed.unified, '/b');
  });
});

describe('status files', () => {
  test('a file missing fields is refused, naming them', () => {
    assert.throws(() => parseStatus('{"version":1,"name":"x","uuid":"u"}', '/r/x.status.json'), /status file \/r\/x\.status\.json is invalid \(id, state/);
  });
});
