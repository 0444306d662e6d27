/** The audit log file: JSON lines in submission order, appended (never truncated), secrets scrubbed. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FileAuditLog, scrubText, type AuditEntry } from '../../../src/actions/audit-log.ts';
import { tempDir } from '../../helpers/test-driver.ts';

const entry = (i: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  time: new Date(1_700_000_000_000 + i).toISOString(), source: 'rule', action: 'suspend', domain: `vm${i}`, outcome: 'done', ...extra,
});

describe('audit log', () => {
  test('entries are whole JSON lines in submission order, appended to an existing file', async (t) => {
    const tmp = tempDir();
    t.after(tmp.cleanup);
    const path = join(tmp.dir, 'sub', 'audit.log');
    const first = new FileAuditLog(path);
    await first.append(entry(0));
    await first.close();
    const log = new FileAuditLog(path);
    await Promise.all(Array.from({ length: 100 }, (_, i) => log.append(entry(i + 1, { detail: { n: i, ok: true } }))));
    await log.close();
    const lines = readFileSync(path, 'utf8').split('\n');
    assert.equal(lines.pop(), '', 'ends with a newline');
    assert.equal(lines.length, 101);
    const parsed = lines.map((l) => JSON.parse(l) as AuditEntry);
    assert.deepEqual(parsed.map((e) => e.domain), Array.from({ length: 101 }, (_, i) => `vm${i}`));
    assert.deepEqual(parsed[5], entry(5, { detail: { n: 4, ok: true } }));
  });

  test('credentials never reach the file', async (t) => {
    const tmp = tempDir();
    t.after(tmp.cleanup);
    const path = join(tmp.dir, 'audit.log');
    const log = new FileAuditLog(path);
    await log.append(entry(1, {
      action: 'webhook', reason: 'POST https://bob:hunter2@hooks.example/x?token=abc failed',
      error: 'Authorization: Bearer s3cr3t-value', detail: { target: 'https://u:p@h.example/p?key=zzz' },
    }));
    await log.close();
    const text = readFileSync(path, 'utf8');
    for (const secret of ['hunter2', 'bob:', 'abc', 's3cr3t', 'u:p@', 'zzz']) assert.ok(!text.includes(secret), `${secret} leaked: ${text}`);
    assert.match(text, /hooks\.example\/x/);
  });

  test('an unwritable path fails with a system error naming the file, and the next write retries', async (t) => {
    const tmp = tempDir();
    t.after(tmp.cleanup);
    const blocker = join(tmp.dir, 'file');
    writeFileSync(blocker, '');
    const log = new FileAuditLog(join(blocker, 'audit.log'));
    await assert.rejects(log.append(entry(1)), (e: Error & { code?: string }) => e.code === 'VIR_ERR_SYSTEM_ERROR' && e.message.includes(blocker));
    await assert.rejects(log.append(entry(2)), /cannot write audit log/);
    await log.close();
  });

  test('scrubText cuts long text', () => {
    assert.equal(scrubText('x'.repeat(600)).length, 513);
    assert.equal(scrubText('password=pw1 ok'), 'password=… ok');
  });
});
