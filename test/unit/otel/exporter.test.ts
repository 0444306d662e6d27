/** The component when off, and start-up validation when on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import { createOtelExporter } from '../../../src/exporters/otel/exporter.ts';
import { SnapshotStore } from '../../../src/snapshot/store.ts';

const base = { collectionIntervalMs: 10_000, snapshot: new SnapshotStore(), catalog: resolveCatalogOptions(), logger: silentLogger(), version: '1' };

test('disabled: start/flush/stop do nothing, the environment is not even read', async () => {
  const e = createOtelExporter({ ...base, block: { enabled: false }, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' } });
  assert.equal(e.settings, undefined);
  await e.start();
  await e.flush();
  await e.stop();
  assert.deepEqual(e.exports(), {
    enabled: false, running: false, ok: 0, failed: 0, lastError: undefined, collections: 0, lastSnapshotVersion: undefined, trackedSeries: 0,
  });
});

test('enabled with a bad OTEL_* variable: creation fails with VIRTMON_ERR_CONFIG naming it, before anything starts', () => {
  assert.throws(
    () => createOtelExporter({ ...base, block: { enabled: true }, env: { OTEL_EXPORTER_OTLP_PROTOCOL: 'udp' } }),
    (err: unknown) => err instanceof VirtmonError && err.code === 'VIRTMON_ERR_CONFIG' && err.message.includes('OTEL_EXPORTER_OTLP_PROTOCOL'),
  );
});

/** A loopback port nothing listens on (bound on port 0, then closed). */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => { s.listen(0, '127.0.0.1', resolve); });
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((resolve) => { s.close(() => { resolve(); }); });
  return port;
}

test('enabled: start is idempotent, stop without a collector returns', async () => {
  const e = createOtelExporter({ ...base, block: { enabled: true, endpoint: `http://127.0.0.1:${await closedPort()}/v1/metrics`, intervalMs: 3_600_000, timeoutMs: 200 }, env: {} });
  await e.start();
  await e.start();
  assert.equal(e.exports().running, true);
  await e.stop();
  assert.equal(e.exports().running, false);
  // The final export on stop fails (nothing listens); on a loaded host its result may land after stop's deadline.
  for (let i = 0; i < 500 && e.exports().failed === 0; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(e.exports().failed, 1, 'the final export on stop failed and was counted');
});
