/**
 * The rule engine on a hand-fed snapshot: gauges and counter rates, `for` on sample time, transitions
 * reported once, hysteresis, missing data (interesting or not), lifecycle-aware forgetting, selectors.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Notification } from '../../../src/actions/notify/types.ts';
import { AlertEngine } from '../../../src/alerts/engine.ts';
import { parseRulesText } from '../../../src/alerts/load-rules.ts';
import type { SampleFields, SampleValue } from '../../../src/domain/sample.ts';
import { DomainState, type DomainStateCode } from '../../../src/domain/states.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';
import { novaElement } from '../../helpers/catalog-sample.ts';
import { minimalDef } from '../../helpers/domain-defs.ts';

const UUID = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222'] as const;
const T0 = 1_700_000_000_000;

function harness(rulesYaml: string, intervalMs = 10_000) {
  const store = new SnapshotStore();
  const seen: Notification[] = [];
  const engine = new AlertEngine({
    snapshot: store, rules: parseRulesText(rulesYaml, 'rules.yml'), intervalMs,
    onNotify: (n) => { seen.push(n); }, logger: silentLogger(), clock: () => T0,
  });
  const defs = [minimalDef({ name: 'web-1', uuid: UUID[0], metadata: [novaElement()] }), minimalDef({ name: 'db-1', uuid: UUID[1] })];
  const push = (i: 0 | 1, time: number, fields: Record<string, SampleValue>, state: DomainStateCode = DomainState.RUNNING): void => {
    const def = defs[i];
    if (def === undefined) throw new Error('no def');
    const map: SampleFields = new Map([['state.state', state], ['state.reason', 1], ...Object.entries(fields)]);
    store.set({
      def, persistent: true,
      sample: { name: def.name, uuid: def.uuid, id: 1, active: state !== DomainState.SHUTOFF, state, time: T0 + time, fields: map, flags: { timedOut: false, cached: false } },
    });
    store.commit();
  };
  const take = (): string[] => seen.splice(0).map((n) => `${n.domain.name} ${n.previous}->${n.severity}${n.repeat === true ? ' (repeat)' : ''}`);
  return { store, engine, push, take, seen };
}

const RSS_RULE = `
rules:
  - name: rss
    metric: libvirt_domain_memory_stats_rss_bytes
    warning: { max: 1000000 }
    failure: { max: 2000000 }
    hysteresis: 100000
    for: 20s
`;

describe('alert engine', () => {
  test('a gauge: for on sample time, transitions once, hysteresis on the way down', async () => {
    const h = harness(RSS_RULE);
    await h.engine.start();
    const kib = (bytes: number) => ({ 'balloon.rss': BigInt(Math.round(bytes / 1024)) });
    h.push(0, 0, kib(3_000_000));
    h.push(0, 10_000, kib(3_000_000));
    assert.deepEqual(h.take(), [], 'pending for 10 s of 20 s');
    assert.equal(h.engine.states()[0]?.pending, true);
    h.push(0, 20_000, kib(3_000_000));
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    h.push(0, 30_000, kib(3_000_000));
    assert.deepEqual(h.take(), [], 'reported once');
    h.push(0, 40_000, kib(1_950_000));
    assert.deepEqual(h.take(), [], 'inside the hysteresis band stays failure');
    h.push(0, 50_000, kib(1_500_000));
    assert.deepEqual(h.take(), ['web-1 failure->warning']);
    h.push(0, 60_000, kib(500_000));
    assert.deepEqual(h.take(), ['web-1 warning->okay']);
    await h.engine.stop();
  });

  test('the notification says what collectd would', async () => {
    const h = harness(RSS_RULE.replace('for: 20s', 'for: 0s'));
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 3000n });
    const n = h.seen[0];
    assert.ok(n !== undefined);
    assert.equal(n.severity, 'failure');
    assert.equal(n.value, 3000 * 1024);
    assert.equal(n.message, 'Domain web-1, metric libvirt_domain_memory_stats_rss_bytes: Value is currently 3.072000e+06. That is above the failure threshold of 2.000000e+06.');
    assert.deepEqual(n.thresholds, { warningMax: 1000000, failureMax: 2000000 });
  });

  test('a counter is compared as a rate with the measured Δt; no rate across a reset or a long gap', async () => {
    const h = harness(`
rules:
  - name: cpu
    metric: libvirt_domain_info_cpu_time_seconds_total
    failure: { max: 1.5 }
    actions: { failure: [suspend] }
`);
    await h.engine.start();
    const cpu = (s: number) => ({ 'cpu.time': BigInt(Math.round(s * 1e9)) });
    h.push(0, 0, cpu(100));
    h.push(0, 10_000, cpu(110)); // 1.0/s
    assert.deepEqual(h.take(), []);
    assert.equal(h.engine.states()[0]?.value, 1);
    h.push(0, 15_000, cpu(120)); // 10 s in 5 s: 2.0/s (measured Δt, not the interval)
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    assert.equal(h.seen.length, 0);
    h.push(0, 20_000, cpu(1)); // reset: no rate, state held
    h.push(0, 60_000, cpu(2)); // gap of 40 s > 2 intervals: no rate
    assert.deepEqual(h.take(), []);
    h.push(0, 70_000, cpu(3)); // 0.1/s
    assert.deepEqual(h.take(), ['web-1 failure->okay']);
  });

  test('missing data: FAILURE after a seen series vanishes while the domain runs; back is OK; not interesting is silent', async () => {
    const h = harness(RSS_RULE.replace('for: 20s', 'for: 0s'));
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 10n });
    h.push(0, 10_000, {});
    assert.equal(h.seen[0]?.missing, true);
    assert.match(h.seen[0]?.message ?? '', /has not been updated for/);
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    h.push(0, 20_000, { 'balloon.rss': 10n });
    assert.match(h.seen[0]?.message ?? '', /Value is no longer missing/);
    assert.deepEqual(h.take(), ['web-1 failure->okay']);
    const quiet = harness(RSS_RULE.replace('for: 20s', 'interesting: false'));
    await quiet.engine.start();
    quiet.push(0, 0, { 'balloon.rss': 10n });
    quiet.push(0, 10_000, {});
    assert.deepEqual(quiet.take(), []);
    // A domain never seen with the series is not missing either.
    h.push(1, 0, {});
    assert.deepEqual(h.take(), []);
  });

  test('lifecycle-aware: a stopped domain is forgotten, not missing; it starts from OK again', async () => {
    const h = harness(RSS_RULE.replace('for: 20s', 'for: 0s'));
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 3000n });
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    h.push(0, 10_000, {}, DomainState.SHUTOFF);
    assert.deepEqual(h.take(), []);
    assert.equal(h.engine.states().length, 0);
    h.push(0, 20_000, { 'balloon.rss': 3000n });
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    h.store.delete(UUID[0]);
    h.store.commit();
    assert.equal(h.engine.states().length, 0);
  });

  test('selectors: name regex and exclude; per-domain states', async () => {
    const h = harness(`
rules:
  - name: web-only
    metric: libvirt_domain_memory_stats_rss_bytes
    domains: { name: '^web-', exclude: '-9$' }
    failure: { max: 1 }
`);
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 3000n });
    h.push(1, 0, { 'balloon.rss': 3000n });
    assert.deepEqual(h.take(), ['web-1 okay->failure']);
    assert.deepEqual(h.engine.states().map((s) => [s.rule, s.domain, s.severity]), [['web-only', 'web-1', 'failure']]);
  });

  test('metadata selector: Nova flavor from the domain XML', async () => {
    const h = harness(`
rules:
  - name: small-flavors
    metric: libvirt_domain_memory_stats_rss_bytes
    domains:
      metadata: [{ namespace: 'http://openstack.org/xmlns/libvirt/nova/1.1', xpath: '/nova:instance/nova:flavor/@name', match: '^m1\\.small$' }]
    failure: { max: 1 }
`);
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 3000n });
    h.push(1, 0, { 'balloon.rss': 3000n });
    assert.deepEqual(h.take(), ['web-1 okay->failure'], 'db-1 has no Nova metadata');
  });

  test('persist repeats on every sample while out of range', async () => {
    const h = harness(RSS_RULE.replace('for: 20s', 'persist: true'));
    await h.engine.start();
    h.push(0, 0, { 'balloon.rss': 3000n });
    h.push(0, 10_000, { 'balloon.rss': 3000n });
    assert.deepEqual(h.take(), ['web-1 okay->failure', 'web-1 failure->failure (repeat)']);
  });
});
