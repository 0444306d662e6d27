/**
 * The status page in a real headless Chromium (Debian's chromium through playwright-core), served on
 * loopback from a real collection on the test driver: every domain shows with its state and numbers, a
 * suspend shows up live (no reload), and a screenshot lands in test-results/status-page.png.
 */
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { after, before, test } from 'node:test';
import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { statusPlugin } from '../../../src/exporters/status/plugin.ts';
import { fixture } from '../../helpers/stats-fixture.ts';
import { openTest, type TestConn } from '../../helpers/test-driver.ts';

const SCREENSHOT = new URL('../../../test-results/status-page.png', import.meta.url).pathname;

let tc: TestConn | undefined;
let collection: Collection | undefined;
let app: FastifyInstance | undefined;
let browser: Browser | undefined;
let page: Page;
let url = '';

before(async () => {
  const config = parseConfigText(`uri: test:///default
paths: { proc: ${fixture('proc')}, sys: ${fixture('sys')}, cgroup: ${fixture('cgroup-v1')} }
collection: { interval: 1s, domainTimeout: 1s }
`, 'virtmon.yaml');
  // The test driver's clock is real wall time here so rates and the page's ages are meaningful.
  tc = await openTest('all-states.xml', { clock: Date.now });
  collection = createCollection({ config, source: connectionSource(tc.conn), logger: silentLogger() });
  await collection.start();
  app = Fastify();
  await app.register(statusPlugin, {
    snapshot: collection.snapshot,
    alerts: () => [{ name: 'VirtmonDomainCrashed', state: 'firing', severity: 'critical', domain: 'vmt-crashed' }],
    actions: () => [{ time: Date.now() - 5000, domain: 'vmt-blocked', action: 'suspend', result: 'dry_run', actor: 'rule:cpu' }],
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
});

after(async () => {
  await browser?.close();
  await app?.close();
  await collection?.stop();
  await tc?.conn.close();
});

/** Waits until the text of one cell of a domain's row matches (evaluated in the page, no reload). */
async function cellMatches(domain: string, field: string, re: RegExp, timeout = 10_000): Promise<void> {
  const sel = `tr[data-domain="${domain}"] td[data-field="${field}"]`;
  await page.waitForFunction(`${re.toString()}.test(document.querySelector(${JSON.stringify(sel)})?.textContent ?? '')`, undefined, { timeout });
}

/** The text of one cell of a domain's row. */
function cell(domain: string, field: string): Promise<string> {
  return page.locator(`tr[data-domain="${domain}"] td[data-field="${field}"]`).innerText();
}

test('the page lists every domain with its state, and CPU, memory, disk and network numbers for running ones', async () => {
  await page.goto(url);
  const samples = collection?.latest() ?? [];
  assert.ok(samples.length >= 5, 'the fixture host has domains in every state');
  await page.waitForFunction(`document.querySelectorAll('#domains tbody tr').length === ${samples.length}`);
  // Rates need two cycles: wait until the running domain shows a CPU percentage.
  await cellMatches('vmt-running', 'cpu', /\d\.\d %/, 20_000);
  for (const s of samples) {
    const state = await cell(s.name, 'state');
    assert.ok(state.trim().length > 0, `${s.name}: no state`);
  }
  assert.match(await cell('vmt-running', 'state'), /running/);
  assert.match(await cell('vmt-paused', 'state'), /paused/);
  assert.match(await cell('vmt-shutoff', 'state'), /shut off/);
  assert.match(await cell('vmt-crashed', 'state'), /crashed/);
  assert.match(await cell('vmt-running', 'cpu'), /^\d+\.\d %$/);
  assert.match(await cell('vmt-running', 'memory'), /iB \/ .*iB$/);
  assert.match(await cell('vmt-running', 'disk'), /B\/s$/);
  assert.match(await cell('vmt-running', 'net'), /B\/s$/);
  // The history chart draws once two rated points exist (three cycles).
  await page.locator('tr[data-domain="vmt-running"] svg.spark.cpu polyline').waitFor({ timeout: 20_000 });
  assert.match(await page.locator('#alerts').innerText(), /VirtmonDomainCrashed/);
  assert.match(await page.locator('#actions').innerText(), /suspend vmt-blocked/);
  assert.ok(await page.locator('#collectors tbody tr').count() > 0, 'collector health shown');
  assert.equal(await page.locator('#metrics').getAttribute('href'), '/metrics');
  assert.equal(await page.locator('#live').innerText(), 'live');
});

test('a state change shows up without a reload; screenshot saved', async () => {
  const before = await page.evaluate('document.body.dataset.version');
  const dom = await tc?.conn.lookupDomain('vmt-running');
  assert.ok(dom !== undefined);
  await tc?.conn.suspend(dom);
  await cellMatches('vmt-running', 'state', /paused/);
  const afterVersion = await page.evaluate('document.body.dataset.version');
  assert.notEqual(afterVersion, before);
  await tc?.conn.resume(dom);
  await cellMatches('vmt-running', 'state', /running/);
  await mkdir(new URL('.', `file://${SCREENSHOT}`).pathname, { recursive: true });
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
  assert.match(await cell('vmt-running', 'state'), /running/);
});

test('without the event stream the page falls back to polling /status.json and still follows changes', async () => {
  assert.ok(browser !== undefined && tc !== undefined);
  const polling = await browser.newPage();
  try {
    await polling.route('**/status/events', (route) => route.abort());
    await polling.goto(url);
    await polling.waitForFunction(`/polling/.test(document.getElementById('live')?.textContent ?? '')`);
    const dom = await tc.conn.lookupDomain('vmt-blocked');
    await tc.conn.destroy(dom);
    await polling.waitForFunction(`/shut off/.test(document.querySelector('tr[data-domain="vmt-blocked"] td[data-field="state"]')?.textContent ?? '')`, undefined, { timeout: 10_000 });
    assert.match(await polling.locator('tr[data-domain="vmt-blocked"] td[data-field="state"]').innerText(), /shut off/);
  } finally {
    await polling.close();
  }
});
