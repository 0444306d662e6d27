/**
 * `npm start`'s agent (examples/virtmon-demo.yaml, as scripts/start-agent.mjs fills it in) serves live
 * samples within seconds: `virtmon domstats` through its socket and /metrics both show the demo
 * domains. Only the port and the state directories differ from the shipped file (tests never bind
 * 9177 or write into the checkout).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { startAgentProcess, virtmonRun } from '../../helpers/agent-process.ts';
import { shortTempDir } from '../../helpers/tmp-socket.ts';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url)).replace(/\/$/, '');

test('the demo agent shows live samples through `virtmon domstats` and /metrics within seconds', async (t) => {
  const tmp = await shortTempDir('demo');
  t.after(() => tmp.remove());
  const shipped = await readFile(`${ROOT}/examples/virtmon-demo.yaml`, 'utf8');
  const text = shipped
    .split('\n').filter((l) => !l.startsWith('#')).join('\n')
    .replaceAll('@REPO@/.virtmon', tmp.dir)
    .replaceAll('@REPO@', ROOT)
    .replace('listen: 127.0.0.1:9177', 'listen: "127.0.0.1:0"')
    .replace(/format: \w+/, 'format: json');
  assert.notEqual(text, shipped);
  assert.doesNotMatch(text, /9177|@REPO@/);
  const file = tmp.path('virtmon-demo.yaml');
  await writeFile(file, text);

  const started = Date.now();
  const agent = await startAgentProcess(file);
  t.after(async () => { await agent.stop(); });
  const uri = `test+unix:///default?socket=${agent.ready.socket}`;

  let out = '';
  for (let i = 0; i < 50; i++) {
    const run = await virtmonRun(['-c', uri, 'domstats', '--cpu-total', '--balloon']);
    assert.equal(run.code, 0, run.stderr);
    out = run.stdout;
    if (/cpu\.time=\d+/.test(out)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const seconds = (Date.now() - started) / 1000;
  assert.match(out, /^Domain: 'web-01'$/m);
  assert.match(out, /cpu\.time=\d+/);
  assert.match(out, /balloon\.current=\d+/);
  assert.ok(seconds < 30, `first samples after ${seconds} s`);

  const res = await fetch(`http://${agent.ready.http}/metrics`);
  assert.equal(res.status, 200);
  const metrics = await res.text();
  assert.match(metrics, /^libvirt_domain_info_cpu_time_seconds_total\{domain="web-01"\} \d/m);
});
