/**
 * Issue 6 must-show: a real Prometheus 2.42 (Debian) scrapes, every second, two harness servers composed
 * as the agent will be (connection + createCollection + registerSelfMetrics + prometheusPlugin): one on
 * the test driver (test:///default plus the Nova-tagged fixture domain and a transient domain), one on
 * the qemu driver running the test guest under TCG with Nova metadata. PromQL then returns the expected
 * series: cpu and block write rates, info_state, the openstack_info join; a destroyed transient domain's
 * series go stale. Prometheus negotiates OpenMetrics and gzip, so its own parsers check both.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { open } from '../../../src/drivers/index.ts';
import { config, composeAgent, NOVA_XML, type ComposedAgent } from '../../helpers/metrics-harness.ts';
import { startPrometheus, type PromSeries, type PrometheusServer } from '../../helpers/prometheus-server.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { guestXml, qemuDriverEnv, rawDisk, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

const CFG = config('collection: { interval: 1s, domainTimeout: 900ms }\n');
const QEMU_NAME = `vmtprom${process.pid}`;
const NOVA_QEMU = `<metadata><nova:instance xmlns:nova="http://openstack.org/xmlns/libvirt/nova/1.1">
  <nova:name>qemu-guest</nova:name><nova:flavor name="m1.tiny"/>
  <nova:owner><nova:user uuid="u-1">bob</nova:user><nova:project uuid="p-9">qemu-team</nova:project></nova:owner>
</nova:instance></metadata>`;
const GONE_XML = "<domain type='test'><name>vmt-gone</name><memory unit='MiB'>64</memory><os><type arch='x86_64'>hvm</type></os></domain>";

describe('a real Prometheus scraping /metrics', () => {
  let env: QemuDriverEnv | undefined;
  let tconn: Connection | undefined;
  let qconn: Connection | undefined;
  let gone: DomainRef;
  const agents: ComposedAgent[] = [];
  let prom: PrometheusServer | undefined;

  before(async () => {
    env = await qemuDriverEnv('m');
    qconn = await env.open();
    const guest = locateTestGuest();
    const net = `10.${150 + (process.pid % 50)}.${process.pid % 250}`;
    const xml = guestXml({
      name: QEMU_NAME,
      guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append({ guestCidr: `${net}.2/24`, hostIp: `${net}.1` }) },
      disk: await rawDisk(env.tmp.path('disk.raw')),
      tap: { name: `${env.tapPrefix}p`, hostCidr: `${net}.1/24` },
      serialLog: env.tmp.path('serial.log'),
    }).replace('<memory', `${NOVA_QEMU}\n  <memory`);
    await qconn.create(await qconn.defineXML(xml));

    tconn = await open('test:///default');
    await tconn.create(await tconn.defineXML(NOVA_XML));
    gone = await tconn.createXML(GONE_XML);

    agents.push(await composeAgent(tconn, CFG), await composeAgent(qconn, CFG));
    await waitForSerial(env.tmp.path('serial.log'), guest.manifest.markers.up, 120_000);
    prom = await startPrometheus(agents.map((a) => new URL(a.url).host));
  });

  after(async () => {
    await prom?.stop();
    for (const a of agents) await a.close();
    await tconn?.close();
    await qconn?.close();
    await env?.sweep();
  });

  const q = async (promql: string): Promise<PromSeries[]> => {
    assert.ok(prom !== undefined);
    return prom.query(promql);
  };
  /** Polls until the query returns series that satisfy `ok` (Prometheus needs a few scrapes for rate()). */
  const until = (promql: string, ok: (r: PromSeries[]) => boolean, timeoutMs = 60_000): Promise<PromSeries[]> =>
    pollUntil(promql, timeoutMs, async () => {
      const r = await q(promql);
      return ok(r) ? r : undefined;
    }, 500);
  const byDomain = (r: PromSeries[], domain: string): PromSeries | undefined => r.find((s) => s.metric.domain === domain);
  const value = (s: PromSeries | undefined): number => Number(s?.value[1]);

  test('both targets are up, with no scrape error; Prometheus asked for OpenMetrics and gzip', async () => {
    assert.ok(prom !== undefined);
    const p = prom;
    const targets = await pollUntil('targets up', 30_000, async () => {
      const t = await p.targets();
      return t.length === 2 && t.every((x) => x.health === 'up') ? t : undefined;
    }, 500);
    assert.deepEqual(targets.map((t) => t.lastError), ['', '']);
    for (const a of agents) {
      assert.ok(a.requests.length > 0);
      assert.ok(a.requests.every((r) => r.accept.startsWith('application/openmetrics-text') && r.encoding.includes('gzip')), JSON.stringify(a.requests[0]));
    }
    const up = await until('libvirt_up', (r) => r.length === 2);
    assert.ok(up.every((s) => s.value[1] === '1'));
  });

  test('libvirt_domain_info_state: every domain with its state_desc', async () => {
    const r = await until('libvirt_domain_info_state', (x) => ['test', 'instance-0000002a', 'vmt-gone', QEMU_NAME].every((d) => byDomain(x, d) !== undefined));
    for (const d of ['test', 'instance-0000002a', QEMU_NAME]) {
      assert.equal(value(byDomain(r, d)), 1, d);
      assert.equal(byDomain(r, d)?.metric.state_desc, 'the domain is running');
    }
  });

  test('rate(libvirt_domain_info_cpu_time_seconds_total[1m]) is positive for the running domains', async () => {
    const r = await until('rate(libvirt_domain_info_cpu_time_seconds_total[1m])',
      (x) => [QEMU_NAME, 'test', 'instance-0000002a'].every((d) => value(byDomain(x, d)) > 0));
    // A mostly idle guest: some CPU, and never more than the 2 cores of the machine.
    const qemuRate = value(byDomain(r, QEMU_NAME));
    assert.ok(qemuRate > 0 && qemuRate < 2.5, `qemu cpu rate ${qemuRate}`);
  });

  test('rate(libvirt_domain_block_stats_write_bytes_total[1m]) shows the guest writing to vda', async () => {
    const r = await until('rate(libvirt_domain_block_stats_write_bytes_total[1m])', (x) => value(byDomain(x, QEMU_NAME)) > 0, 90_000);
    const s = byDomain(r, QEMU_NAME);
    assert.equal(s?.metric.target_device, 'vda');
  });

  test('join: info_state * on(domain) group_left(project_name) openstack_info carries the Nova project', async () => {
    const r = await until('libvirt_domain_info_state * on(domain) group_left(project_name) libvirt_domain_openstack_info',
      (x) => byDomain(x, QEMU_NAME) !== undefined && byDomain(x, 'instance-0000002a') !== undefined);
    assert.equal(byDomain(r, QEMU_NAME)?.metric.project_name, 'qemu-team');
    assert.equal(byDomain(r, 'instance-0000002a')?.metric.project_name, 'web-team');
    // Without Nova metadata the label is empty, which Prometheus stores as absent.
    assert.equal(byDomain(r, 'test')?.metric.project_name, undefined);
    assert.equal(value(byDomain(r, QEMU_NAME)), 1);
  });

  test('a destroyed transient domain disappears from the next scrapes (stale in Prometheus)', async () => {
    assert.equal((await q('libvirt_domain_info_state{domain="vmt-gone"}')).length, 1);
    assert.ok(tconn !== undefined);
    await tconn.destroy(gone);
    await until('libvirt_domain_info_state{domain="vmt-gone"}', (x) => x.length === 0, 30_000);
    assert.equal((await q('libvirt_domain_info_cpu_time_seconds_total{domain="vmt-gone"}')).length, 0);
    assert.equal((await q('libvirt_domain_info_state{domain="test"}')).length, 1);
  });

  test('self metrics are scraped: collector success, cycle histogram, scrape duration', async () => {
    await until('virtmon_collector_success', (x) => x.length > 0);
    const cycles = await until('virtmon_collection_cycle_duration_seconds_count', (x) => x.length === 2 && x.every((s) => Number(s.value[1]) > 0));
    assert.equal(cycles.length, 2);
    await until('virtmon_scrape_duration_seconds_count', (x) => x.length === 2 && x.every((s) => Number(s.value[1]) > 0));
    await until('process_resident_memory_bytes', (x) => x.length === 2);
  });
});
