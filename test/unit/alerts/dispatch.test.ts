/**
 * The rule dispatcher: domain actions before notifications, reverse actions on resolve, repeats only
 * notify, a domain's transitions in order, and a hanging notification target (fault) that holds back
 * no other domain's actions.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notifier } from '../../../src/actions/notify/notifier.ts';
import type { Notification } from '../../../src/actions/notify/types.ts';
import type { ActionRequest, Actions } from '../../../src/actions/types.ts';
import { createRuleDispatcher, domainActionsFor } from '../../../src/alerts/dispatch.ts';
import { parseRulesText } from '../../../src/alerts/load-rules.ts';
import { silentLogger } from '../../../src/domain/logger.ts';

const set = parseRulesText(`
webhooks: { hook: { url: "http://127.0.0.1:9/x" } }
rules:
  - name: r
    metric: libvirt_domain_memory_stats_rss_bytes
    failure: { max: 1 }
    resolve: reverse
    actions:
      failure: [suspend, { webhook: hook }, log]
      okay: [log]
`, 'r.yml');
const rule = set.rules[0];
if (rule === undefined) throw new Error('no rule');

const note = (domain: string, severity: Notification['severity'], previous: Notification['severity'], repeat = false): Notification => ({
  severity, previous, time: 0, rule: 'r', domain: { name: domain, uuid: `uuid-${domain}` }, metric: rule.metric.name, labels: {},
  rate: false, thresholds: {}, missing: false, message: 'm', intervalSeconds: 10, ...(repeat ? { repeat: true } : {}),
});

test('domainActionsFor: own actions, reverse on resolve, nothing on a repeat', () => {
  assert.deepEqual(domainActionsFor(note('a', 'failure', 'okay'), rule), ['suspend']);
  assert.deepEqual(domainActionsFor(note('a', 'okay', 'failure'), rule), ['resume']);
  assert.deepEqual(domainActionsFor(note('a', 'failure', 'failure', true), rule), []);
});

test('a hanging webhook holds back no other domain; its own domain\'s next transition waits (order kept, bounded by the webhook timeout)', async () => {
  const performed: string[] = [];
  const actions: Actions = {
    perform: (r: ActionRequest) => {
      performed.push(`${r.domain} ${r.action} ${r.source} ${r.actor ?? ''}`);
      return Promise.resolve({ action: r.action, domain: { name: r.domain, uuid: r.domain, id: 1 }, outcome: 'done' });
    },
  };
  const notified: string[] = [];
  let release: () => void = () => undefined;
  const hang = new Promise<void>((resolve) => { release = resolve; });
  const notifier: Notifier = {
    notify: async (t, n) => {
      notified.push(`${n.domain.name} ${t.kind}`);
      if (t.kind === 'webhook') await hang;
      return 'done';
    },
  };
  const d = createRuleDispatcher({ actions, notifier, rules: set, logger: silentLogger(), dryRun: false });
  d.listener(note('a', 'failure', 'okay'), rule);
  d.listener(note('b', 'failure', 'okay'), rule);
  d.listener(note('a', 'okay', 'failure'), rule);
  for (let i = 0; i < 20 && performed.length < 2; i++) await new Promise((r) => { setImmediate(r); });
  assert.deepEqual(performed, ['uuid-a suspend rule r', 'uuid-b suspend rule r']);
  assert.deepEqual(notified.sort(), ['a log', 'a webhook', 'b log', 'b webhook']);
  // a's resume waits for a's earlier transition (order per domain), which waits for the hanging hook.
  release();
  await d.idle();
  assert.deepEqual(performed, ['uuid-a suspend rule r', 'uuid-b suspend rule r', 'uuid-a resume rule r']);
});
