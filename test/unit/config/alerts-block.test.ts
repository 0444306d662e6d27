/** The `alerts` config block: defaults, resolution, and errors with file, line and key. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfigText } from '../../../src/config/load.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';

test('alerts: defaults are safe (no rules, live, 5 min cooldown, cap 10, receiver off)', () => {
  const c = parseConfigText('', 'virtmon.yaml');
  assert.deepEqual(c.alerts, {
    dryRun: false, cooldownMs: 300_000, capPerMinute: 10, protected: [], auditLog: '/var/lib/virtmon/audit.log',
    alertmanager: { enabled: false },
  });
});

test('alerts: values resolve', () => {
  const c = parseConfigText([
    'alerts:',
    '  rules: /etc/virtmon/rules.yml',
    '  dryRun: true',
    '  cooldown: 90s',
    '  maxActionsPerMinute: 3',
    '  protected: [infra-dns, "/^db-/"]',
    '  alertmanager: { enabled: true, tokenFile: /etc/virtmon/am.token }',
  ].join('\n'), 'virtmon.yaml');
  assert.deepEqual(c.alerts, {
    rulesFile: '/etc/virtmon/rules.yml', dryRun: true, cooldownMs: 90_000, capPerMinute: 3,
    protected: ['infra-dns', '/^db-/'], auditLog: '/var/lib/virtmon/audit.log',
    alertmanager: { enabled: true, tokenFile: '/etc/virtmon/am.token' },
  });
});

test('alerts: bad values are named by line and key', () => {
  const text = ['uri: test:///default', 'alerts:', '  protected: ["/([/"]', '  alertmanager: { enabled: true }', '  cap: 3'].join('\n');
  assert.throws(() => parseConfigText(text, 'v.yaml'), (e: unknown) => {
    assert.ok(e instanceof VirtmonError);
    assert.equal(e.code, 'VIRTMON_ERR_CONFIG');
    assert.match(e.message, /v\.yaml:5: alerts\.cap: unknown key 'cap'/);
    return true;
  });
  const semantic = ['alerts:', '  protected: ["/([/"]', '  alertmanager: { enabled: true }'].join('\n');
  assert.throws(() => parseConfigText(semantic, 'v.yaml'), (e: unknown) => {
    assert.ok(e instanceof VirtmonError);
    assert.match(e.message, /v\.yaml:2: alerts\.protected\.0: is not a valid regular expression/);
    assert.match(e.message, /v\.yaml:3: alerts\.alertmanager\.tokenFile: is required when the receiver is enabled/);
    return true;
  });
});
