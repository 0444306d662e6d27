/**
 * Cost of the status page per snapshot change (not a test): history observe over all domains, the
 * steady-state event push (new points only) and the full document (page load), with JSON sizes.
 *
 *   node --import tsx bench/status/document.bench.ts [domains=1000] [history=120] [rounds=20]
 */
import { buildDocument } from '../../src/exporters/status/document.ts';
import { StatusHistory } from '../../src/exporters/status/history.ts';
import { SnapshotStore } from '../../src/snapshot/store.ts';
import { entry, runningFields } from '../../test/helpers/status-snapshot.ts';

const [domains = 1000, historySize = 120, rounds = 20] = process.argv.slice(2).map(Number);
const names = Array.from({ length: domains }, (_, i) => `vm${String(i).padStart(6, '0')}`);
const store = new SnapshotStore();
const history = new StatusHistory(historySize);
let cycle = 0;
const step = (): void => {
  cycle++;
  for (const n of names) store.set(entry(n, cycle * 10_000, runningFields(cycle)));
  store.commit();
};
for (let i = 0; i < historySize; i++) { step(); history.observe(store.entries()); }

let observeNs = 0n;
let buildNs = 0n;
let pushNs = 0n;
let bytes = 0;
let pushBytes = 0;
const src = { snapshot: store, history, options: { snapshot: store }, now: Date.now };
for (let r = 0; r < rounds; r++) {
  step();
  const t0 = process.hrtime.bigint();
  history.observe(store.entries());
  const t1 = process.hrtime.bigint();
  const json = JSON.stringify(await buildDocument(src));
  const t2 = process.hrtime.bigint();
  // A steady-state event-stream push: only the point of this change (the client has the rest).
  const push = JSON.stringify(await buildDocument(src, () => (cycle - 1) * 10_000));
  const t3 = process.hrtime.bigint();
  observeNs += t1 - t0;
  buildNs += t2 - t1;
  pushNs += t3 - t2;
  bytes = json.length;
  pushBytes = push.length;
}
const ms = (ns: bigint): string => (Number(ns) / rounds / 1e6).toFixed(2);
console.log(`domains=${domains} history=${historySize} rounds=${rounds}`);
console.log(`observe: ${ms(observeNs)} ms/change (${(Number(observeNs) / rounds / domains / 1e3).toFixed(2)} µs/domain)`);
console.log(`push (new points only)+JSON: ${ms(pushNs)} ms/change (${(Number(pushNs) / rounds / domains / 1e3).toFixed(2)} µs/domain), ${(pushBytes / 1024).toFixed(0)} KiB per push; full/push size ratio ${(bytes / pushBytes).toFixed(1)}`);
console.log(`full document+JSON (page load, /status.json): ${ms(buildNs)} ms/change (${(Number(buildNs) / rounds / domains / 1e3).toFixed(2)} µs/domain), ${(bytes / 1024).toFixed(0)} KiB per push (${(bytes / domains / historySize).toFixed(0)} B/point)`);
