/**
 * A hostile or broken AgentX master (a fake, for the fault case): garbage payloads in well-framed PDUs get
 * parseError responses, a broken frame drops the session and the subagent reconnects; it never crashes
 * and logs the first malformed PDU once.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import { AxReader, AxType, HEADER_LENGTH, encodePdu, readHeader, responsePayload } from '../../../src/exporters/snmp/agentx-codec.ts';
import { startBridge, type BridgeFixture } from '../../helpers/snmp-bridge.ts';

let server: Server;
let fx: BridgeFixture;
const sessions: Socket[] = [];
const responses: Array<{ packetId: number; error: number }> = [];
let opens = 0;

before(async () => {
  server = createServer((sock) => {
    sessions.push(sock);
    let buf = Buffer.alloc(0);
    sock.on('error', () => undefined);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      while (buf.length >= HEADER_LENGTH) {
        const h = readHeader(buf);
        if (buf.length < HEADER_LENGTH + h.payloadLength) return;
        const payload = buf.subarray(HEADER_LENGTH, HEADER_LENGTH + h.payloadLength);
        buf = buf.subarray(HEADER_LENGTH + h.payloadLength);
        if (h.type === AxType.RESPONSE) {
          const r = new AxReader(Buffer.from(payload), true);
          r.u32();
          responses.push({ packetId: h.packetId, error: r.u16() });
          continue;
        }
        if (h.type === AxType.OPEN) opens++;
        // Open, Register, AddAgentCaps, Close: a plain success Response
        sock.write(encodePdu({ type: AxType.RESPONSE, flags: 0, sessionId: 77, transactionId: h.transactionId, packetId: h.packetId }, responsePayload(0, 0, 0, [])));
      }
    });
  });
  await new Promise<void>((resolve) => { server.listen(0, '127.0.0.1', () => { resolve(); }); });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
  fx = await startBridge(`enabled: true\nmode: agentx\nagentx: "tcp:127.0.0.1:${port}"`);
  for (let i = 0; i < 100 && !fx.bridge.agentxRegistered; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(fx.bridge.agentxRegistered);
});
after(async () => {
  await fx.stop();
  for (const s of sessions) s.destroy();
  await new Promise<void>((resolve) => { server.close(() => { resolve(); }); });
});

test('1,000 well-framed PDUs with random payloads: each answered (parseError or a result), no crash', async () => {
  const sock = sessions.at(-1)!;
  const types = [AxType.GET, AxType.GET_NEXT, AxType.GET_BULK, AxType.TEST_SET, AxType.COMMIT_SET, AxType.UNDO_SET, 99];
  for (let i = 0; i < 1000; i++) {
    const len = randomInt(0, 16) * 4;
    sock.write(encodePdu({ type: types[i % types.length]!, flags: 0, sessionId: 77, transactionId: i, packetId: 10_000 + i }, randomBytes(len)));
  }
  for (let i = 0; i < 200 && responses.filter((r) => r.packetId >= 10_000).length < 1000; i++) await new Promise((r) => setTimeout(r, 20));
  const mine = responses.filter((r) => r.packetId >= 10_000);
  assert.equal(mine.length, 1000);
  assert.ok(mine.some((r) => r.error === 266), 'parseError for garbage');
  assert.equal(fx.performed.length, 0, 'garbage never became an action');
  assert.equal(fx.logs.filter((l) => l.message.startsWith('malformed AgentX')).length, 1);
});

test('a broken frame drops the session; the subagent opens a new one', async () => {
  const before = opens;
  sessions.at(-1)!.write(Buffer.from([9, 9, 9, 9, ...randomBytes(40)]));
  for (let i = 0; i < 200 && opens === before; i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(opens, before + 1);
  for (let i = 0; i < 100 && !fx.bridge.agentxRegistered; i++) await new Promise((r) => setTimeout(r, 20));
  assert.ok(fx.bridge.agentxRegistered);
});
