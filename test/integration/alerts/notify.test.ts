/**
 * Notification actions against real peers: webhooks to a local fastify server (JSON body, retries with
 * backoff on 5xx, a hanging target timed out without blocking another delivery), exec hooks running a
 * real script (argv without a shell, JSON or collectd stdin, environment, timeout kill, root refused),
 * and the trap action through a fake TrapSender. Every delivery is audited and counted.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { MemoryAuditLog } from '../../../src/actions/audit-log.ts';
import { remediationCounter } from '../../../src/actions/counter.ts';
import { ExecRunner } from '../../../src/actions/notify/exec-hook.ts';
import { createNotifier, type TrapSender } from '../../../src/actions/notify/notifier.ts';
import type { ExecTarget, Notification, WebhookTarget } from '../../../src/actions/notify/types.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { tempDir } from '../../helpers/test-driver.ts';

const N: Notification = {
  severity: 'failure', previous: 'okay', time: 1_700_000_000_123, rule: 'cpu-runaway',
  domain: { name: 'web-1', uuid: 'c7a5fdbd-cdaf-9455-926a-d65c16db1809' },
  metric: 'libvirt_domain_info_cpu_time_seconds_total', labels: {}, value: 1.95, rate: true,
  thresholds: { failureMax: 1.8 }, missing: false, intervalSeconds: 10,
  message: 'Domain web-1, metric libvirt_domain_info_cpu_time_seconds_total rate: Value is currently 1.950000e+00. That is above the failure threshold of 1.800000e+00.',
};
const CTX = { source: 'rule' as const, actor: 'cpu-runaway', dryRun: false };

function setup(extra: { trap?: TrapSender; exec?: ExecRunner } = {}) {
  const audit = new MemoryAuditLog();
  const registry = new Registry();
  const notifier = createNotifier({
    audit, count: remediationCounter(registry), logger: silentLogger(), hostname: 'hv1',
    sleep: () => Promise.resolve(), ...extra,
  });
  return { audit, registry, notifier };
}

describe('webhook action', () => {
  let app: FastifyInstance;
  let base = '';
  const bodies: unknown[] = [];
  const headers: Record<string, unknown>[] = [];
  let failFirst = 0;
  before(async () => {
    app = Fastify();
    app.post('/ok', (req, reply) => { bodies.push(req.body); headers.push(req.headers); void reply.code(204).send(); });
    app.post('/flaky', (req, reply) => {
      if (failFirst-- > 0) { void reply.code(503).send(); return; }
      bodies.push(req.body);
      void reply.send({ ok: true });
    });
    app.post('/bad', (_req, reply) => { void reply.code(400).send(); });
    app.post('/hang', () => new Promise(() => undefined));
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  after(async () => { await app.close(); });

  const hook = (path: string, extra: Partial<WebhookTarget> = {}): WebhookTarget =>
    ({ name: path.slice(1), url: `${base}${path}`, timeoutMs: 2000, retries: 2, headers: {}, ...extra });

  test('POSTs the notification as JSON with the configured headers; the audit has no secret', async () => {
    const s = setup();
    const outcome = await s.notifier.notify({ kind: 'webhook', target: hook('/ok', { headers: { authorization: 'Bearer hunter2' } }) }, N, CTX);
    assert.equal(outcome, 'done');
    const body = bodies.pop() as Record<string, unknown>;
    assert.equal(body.severity, 'failure');
    assert.equal(body.domain, 'web-1');
    assert.equal(body.uuid, N.domain.uuid);
    assert.equal(body.value, 1.95);
    assert.equal(body.time, 1_700_000_000.123);
    assert.deepEqual(body.thresholds, { failureMax: 1.8 });
    assert.equal(headers.pop()?.authorization, 'Bearer hunter2');
    assert.equal(s.audit.entries[0]?.outcome, 'done');
    assert.ok(!JSON.stringify(s.audit.entries).includes('hunter2'));
    assert.match(await s.registry.metrics(), /virtmon_remediation_actions_total\{domain="web-1",action="webhook",result="success"\} 1/);
  });

  test('retries 5xx with backoff, gives up on 4xx', async () => {
    const s = setup();
    failFirst = 2;
    assert.equal(await s.notifier.notify({ kind: 'webhook', target: hook('/flaky') }, N, CTX), 'done');
    assert.equal(s.audit.entries[0]?.detail?.attempts, 3);
    assert.equal(await s.notifier.notify({ kind: 'webhook', target: hook('/bad') }, N, CTX), 'failed');
    assert.match(s.audit.entries[1]?.error ?? '', /HTTP 400/);
    assert.match(await s.registry.metrics(), /action="webhook",result="failed"\} 1/);
  });

  test('a hanging target times out and does not hold back another delivery', async () => {
    const s = setup();
    const hanging = s.notifier.notify({ kind: 'webhook', target: hook('/hang', { timeoutMs: 1500, retries: 0 }) }, N, CTX);
    let hangDone = false;
    void hanging.then(() => { hangDone = true; });
    assert.equal(await s.notifier.notify({ kind: 'webhook', target: hook('/ok') }, N, CTX), 'done');
    assert.equal(hangDone, false, 'the other delivery finished while the first still hung');
    assert.equal(await hanging, 'failed');
    assert.match(s.audit.entries[1]?.error ?? '', /timed out after 1500 ms/);
  });
});

describe('exec hook action', () => {
  const tmp = tempDir();
  const out = join(tmp.dir, 'out');
  const script = join(tmp.dir, 'hook.sh');
  before(() => {
    chmodSync(tmp.dir, 0o755);
    mkdirSync(out, { mode: 0o777 });
    chmodSync(out, 0o777);
    // Records argv, stdin and the environment; the argument with spaces and `;` proves no shell ran it.
    writeFileSync(script, `#!/bin/sh
printf '%s\\n' "$@" > "${out}/argv.$$"
cat > "${out}/stdin.$$"
env | sort > "${out}/env.$$"
id -u > "${out}/uid.$$"
echo "hook ran"
`, { mode: 0o755 });
    writeFileSync(join(tmp.dir, 'sleep.sh'), '#!/bin/sh\ntrap "" TERM\nsleep 30\n', { mode: 0o755 });
  });
  after(tmp.cleanup);

  const target = (extra: Partial<ExecTarget> = {}): ExecTarget =>
    ({ name: 'rec', argv: [script, 'a b; rm -rf /', '$HOME'], timeoutMs: 10_000, allowRoot: false, format: 'json', uid: 65534, gid: 65534, ...extra });
  const asRoot = (): ExecTarget => {
    const { uid: _u, gid: _g, ...rest } = target();
    return rest;
  };

  const lastRun = (kind: string): string => {
    const match = readdirSync(out).filter((f) => f.startsWith(`${kind}.`));
    assert.equal(match.length, 1, `one ${kind} file`);
    return readFileSync(join(out, match[0] ?? ''), 'utf8');
  };
  const fresh = (): void => { for (const f of readdirSync(out)) rmSync(join(out, f)); };

  test('runs argv without a shell as the configured user, JSON on stdin, COLLECTD_* and VIRTMON_* in env', async () => {
    fresh();
    const s = setup();
    assert.equal(await s.notifier.notify({ kind: 'exec', target: target() }, N, CTX), 'done');
    assert.equal(lastRun('argv'), 'a b; rm -rf /\n$HOME\n');
    const stdin = JSON.parse(lastRun('stdin')) as Record<string, unknown>;
    assert.equal(stdin.rule, 'cpu-runaway');
    assert.equal(stdin.severity, 'failure');
    const env = lastRun('env');
    for (const v of ['COLLECTD_INTERVAL=10', 'COLLECTD_HOSTNAME=hv1', `VIRTMON_DOMAIN_UUID=${N.domain.uuid}`, 'VIRTMON_RULE=cpu-runaway', 'VIRTMON_SEVERITY=FAILURE']) {
      assert.ok(env.split('\n').includes(v), `${v} in\n${env}`);
    }
    assert.ok(!env.includes('NODE_'), 'the agent environment is not passed on');
    assert.equal(lastRun('uid').trim(), '65534');
    assert.equal(s.audit.entries[0]?.detail?.exit, 0);
  });

  test('collectd format: NotificationExec stdin byte for byte', async () => {
    fresh();
    const s = setup();
    await s.notifier.notify({ kind: 'exec', target: target({ format: 'collectd' }) }, N, CTX);
    assert.equal(lastRun('stdin'), [
      'Severity: FAILURE', 'Time: 1700000000.123', 'Host: web-1', 'Plugin: virt', 'Type: libvirt_domain_info_cpu_time_seconds_total',
      'DataSource: value', 'CurrentValue: 1.950000e+00', 'FailureMax: 1.800000e+00',
      `DomainUUID: ${N.domain.uuid}`, 'Rule: cpu-runaway', '', N.message, '',
    ].join('\n'));
  });

  test('a hook that never exits is killed at its timeout (SIGTERM ignored → SIGKILL)', async () => {
    const s = setup();
    const outcome = await s.notifier.notify({ kind: 'exec', target: target({ argv: [join(tmp.dir, 'sleep.sh')], timeoutMs: 300 }) }, N, CTX);
    assert.equal(outcome, 'failed');
    const e = s.audit.entries[0];
    assert.equal(e?.detail?.timedOut, true);
    assert.equal(e?.detail?.signal, 'SIGKILL');
    assert.match(e?.error ?? '', /timed out after 300 ms/);
  });

  test('root is refused unless allowRoot; a missing program fails cleanly; dry-run does not run it', async () => {
    const s = setup({ exec: new ExecRunner({ getuid: () => 0 }) });
    assert.equal(await s.notifier.notify({ kind: 'exec', target: asRoot() }, N, CTX), 'refused');
    assert.match(s.audit.entries[0]?.error ?? '', /would run as root/);
    assert.equal(await s.notifier.notify({ kind: 'exec', target: target({ argv: ['/nonexistent/hook'] }) }, N, CTX), 'failed');
    assert.match(s.audit.entries[1]?.error ?? '', /cannot run \/nonexistent\/hook/);
    assert.equal(await s.notifier.notify({ kind: 'exec', target: target() }, N, { ...CTX, dryRun: true }), 'dry-run');
  });
});

describe('trap action', () => {
  test('goes through the TrapSender the SNMP bridge implements; without one it fails clearly', async () => {
    const sent: Notification[] = [];
    const s = setup({ trap: { sendTrap: (n) => { sent.push(n); return Promise.resolve(); } } });
    assert.equal(await s.notifier.notify({ kind: 'trap' }, N, CTX), 'done');
    assert.deepEqual(sent, [N]);
    const none = setup();
    assert.equal(await none.notifier.notify({ kind: 'trap' }, N, CTX), 'failed');
    assert.match(none.audit.entries[0]?.error ?? '', /no SNMP trap sender/);
    assert.equal(await none.notifier.notify({ kind: 'log' }, N, CTX), 'done');
  });
});
