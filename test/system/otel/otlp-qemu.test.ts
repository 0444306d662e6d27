/**
 * OTLP push of a real QEMU domain (issue 7 must-show): the qemu driver starts the test guest (TCG), a
 * collection samples it through the driver's stats targets, and the exporter pushes over HTTP/protobuf
 * and gRPC to a receiver decoding with the official opentelemetry-proto schema. Every point agrees with
 * the catalog's evaluation of the same snapshot (what /metrics renders), including the live disk,
 * network, vCPU, CPU and balloon series of the guest.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCatalogOptions } from '../../../src/catalog/options.ts';
import { connectionSource, createCollection, type Collection } from '../../../src/collectors/collection.ts';
import { parseConfigText } from '../../../src/config/load.ts';
import type { DomainRef } from '../../../src/domain/domain-ref.ts';
import { silentLogger } from '../../../src/domain/logger.ts';
import type { Connection } from '../../../src/drivers/dispatch.ts';
import { createOtelExporter } from '../../../src/exporters/otel/exporter.ts';
import { assertPointsMatch, expectedPoints } from '../../helpers/otel-expect.ts';
import { startOtlpReceiver, type OtlpReceiver } from '../../helpers/otlp-receiver.ts';
import { guestXml, qemuDriverEnv, rawDisk, type QemuDriverEnv } from '../../helpers/qemu-driver.ts';
import { pollUntil } from '../../helpers/qemu.ts';
import { locateTestGuest, waitForSerial } from '../../helpers/test-guest.ts';

const catalog = resolveCatalogOptions();

describe('OTLP push of a real QEMU domain running the test guest', () => {
  let env: QemuDriverEnv;
  let conn: Connection;
  let dom: DomainRef;
  let receiver: OtlpReceiver;
  let collection: Collection | undefined;
  const name = `vmtotel${process.pid}`;

  before(async () => {
    receiver = await startOtlpReceiver();
    env = await qemuDriverEnv('o');
    conn = await env.open();
    const guest = locateTestGuest();
    const serial = env.tmp.path('serial.log');
    const net = `10.${150 + (process.pid % 50)}.${process.pid % 250}`;
    dom = await conn.defineXML(guestXml({
      name,
      guest: { kernel: guest.kernel, initrd: guest.initrd, append: guest.append({ guestCidr: `${net}.2/24`, hostIp: `${net}.1` }) },
      disk: await rawDisk(env.tmp.path('disk.raw')),
      tap: { name: `${env.tapPrefix}o`, hostCidr: `${net}.1/24` },
      serialLog: serial,
    }));
    dom = await conn.create(dom);
    await waitForSerial(serial, 'GUEST-UP', 90_000);
  });

  after(async () => {
    await collection?.stop();
    await receiver?.close();
    await conn?.close();
    await env?.sweep();
  });

  test('every point of the domain over HTTP/protobuf and gRPC, equal to the catalog evaluation of the same snapshot', async () => {
    const config = parseConfigText(`uri: qemu:///system
collection: { interval: 1s, domainTimeout: 5s }
`, 'virtmon.yaml');
    const c = createCollection({ config, source: connectionSource(conn), logger: silentLogger() });
    collection = c;
    await c.start();
    // Wait for a complete sample of our domain: disk written, vCPU and network counters present.
    await pollUntil('a full sample of the guest', 60_000, () => {
      const e = c.snapshot.get(dom.uuid);
      const f = e?.sample.fields;
      const wr = f?.get('block.0.wr.bytes');
      const written = typeof wr === 'bigint' ? wr > 0n : typeof wr === 'number' && wr > 0;
      return f !== undefined && e?.sample.flags.cached === false && f.has('cpu.time') && f.has('vcpu.0.time')
        && f.has('net.0.rx.bytes') && written ? true : undefined;
    }, 200);
    // Freeze the snapshot so the pushes and the expectation read the same version.
    await c.stop();
    const expected = expectedPoints(c.snapshot, catalog).filter((p) => p.attributes['libvirt.domain.uuid'] === dom.uuid);
    for (const m of ['libvirt.domain.cpu.time', 'libvirt.domain.disk.io', 'libvirt.domain.network.io', 'libvirt.domain.vcpu.time',
      'libvirt.domain.memory.balloon', 'libvirt.domain.state']) {
      assert.ok(expected.some((p) => p.metric === m && p.value > 0), `the guest has ${m}`);
    }

    for (const protocol of ['http/protobuf', 'grpc'] as const) {
      const exporter = createOtelExporter({
        block: { enabled: true, protocol, endpoint: protocol === 'grpc' ? receiver.grpcUrl : receiver.httpUrl, intervalMs: 3_600_000 },
        env: {}, collectionIntervalMs: 1000, snapshot: c.snapshot, catalog, logger: silentLogger(), version: 'sys',
      });
      const n = receiver.received.length;
      await exporter.start();
      await exporter.flush();
      await receiver.waitForRequests(n);
      await exporter.stop();
      const req = receiver.received[receiver.received.length - 1];
      assert.ok(req !== undefined);
      assert.equal(req.transport, protocol);
      assert.equal(exporter.exports().lastSnapshotVersion, c.snapshot.version);
      const ours = { ...req, points: req.points.filter((p) => p.attributes['libvirt.domain.uuid'] === dom.uuid) };
      assertPointsMatch(ours, expected);
      const disk = ours.points.filter((p) => p.metric === 'libvirt.domain.disk.io');
      assert.deepEqual(disk.map((p) => [p.attributes['system.device'], p.attributes['disk.io.direction'], p.unit, p.monotonic]).sort(),
        [['vda', 'read', 'By', true], ['vda', 'write', 'By', true]]);
    }
  });
});
