import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../../src/domain/errors.ts';
import { QmpLineSplitter, decodeMessage } from '../../../../src/drivers/qemu/qmp/framing.ts';

const collect = (splitter: QmpLineSplitter, chunks: readonly Buffer[]): string[] => {
  const lines: string[] = [];
  for (const c of chunks) splitter.push(c, (l) => lines.push(l));
  return lines;
};

const isProtocolError = (err: unknown): boolean =>
  err instanceof VirtmonError && err.code === 'VIRTMON_ERR_QMP_PROTOCOL';

test('splits one chunk into lines and strips CRLF and LF', () => {
  const lines = collect(new QmpLineSplitter(), [Buffer.from('{"a":1}\r\n{"b":2}\n\r\n\n{"c":3}\r\n')]);
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '{"c":3}']);
});

test('reassembles lines split at every byte, including inside CRLF and a multi-byte character', () => {
  const text = '{"return": {"desc": "héllo ✓"}, "id": "virtmon-1"}\r\n{"event": "STOP"}\r\n';
  const bytes = Buffer.from(text, 'utf8');
  for (let cut = 1; cut < bytes.length; cut++) {
    const lines = collect(new QmpLineSplitter(), [bytes.subarray(0, cut), bytes.subarray(cut)]);
    assert.deepEqual(lines, ['{"return": {"desc": "héllo ✓"}, "id": "virtmon-1"}', '{"event": "STOP"}'], `cut at ${cut}`);
  }
  // One byte at a time.
  const lines = collect(new QmpLineSplitter(), [...bytes].map((b) => Buffer.from([b])));
  assert.equal(lines.length, 2);
  assert.equal(lines[0], '{"return": {"desc": "héllo ✓"}, "id": "virtmon-1"}');
});

test('keeps an incomplete line buffered until its end arrives', () => {
  const splitter = new QmpLineSplitter();
  assert.deepEqual(collect(splitter, [Buffer.from('{"ret')]), []);
  assert.equal(splitter.bufferedBytes, 5);
  assert.deepEqual(collect(splitter, [Buffer.from('urn": {}}\r\n')]), ['{"return": {}}']);
  assert.equal(splitter.bufferedBytes, 0);
});

test('a line up to the cap passes; one byte more is a protocol error, in one chunk or accumulated', () => {
  const cap = 64;
  const exact = 'x'.repeat(cap);
  assert.deepEqual(collect(new QmpLineSplitter(cap), [Buffer.from(`${exact}\r\n`)]), [exact]);
  assert.deepEqual(collect(new QmpLineSplitter(cap), [Buffer.from(`${exact}\r`), Buffer.from('\n')]), [exact]);
  assert.deepEqual(collect(new QmpLineSplitter(cap), [Buffer.from('xxxx'), Buffer.from(`${exact.slice(4)}\r`), Buffer.from('\n')]), [exact]);
  assert.throws(() => collect(new QmpLineSplitter(cap), [Buffer.from(`${exact}y\n`)]), isProtocolError);
  const accumulating = new QmpLineSplitter(cap);
  assert.throws(() => collect(accumulating, [Buffer.from('x'.repeat(40)), Buffer.from('x'.repeat(40))]), isProtocolError);
  assert.equal(accumulating.bufferedBytes, 0);
  assert.throws(() => collect(new QmpLineSplitter(cap), [Buffer.from('x'.repeat(40)), Buffer.from(`${'x'.repeat(40)}\n`)]), isProtocolError);
});

test('the default cap is 10 MiB', () => {
  const splitter = new QmpLineSplitter();
  const big = Buffer.alloc(10 * 1024 * 1024, 0x61);
  splitter.push(big, () => assert.fail('no line expected'));
  assert.throws(() => splitter.push(Buffer.from('a\n'), () => undefined), isProtocolError);
  assert.throws(() => new QmpLineSplitter(0), RangeError);
});

test('decodes replies, errors, events and the greeting', () => {
  assert.deepEqual(decodeMessage('{"return": {"status": "running"}, "id": "virtmon-7"}'),
    { kind: 'return', id: 'virtmon-7', value: { status: 'running' } });
  assert.deepEqual(decodeMessage('{"id": "virtmon-8", "error": {"class": "CommandNotFound", "desc": "The command nosuch has not been found"}}'),
    { kind: 'error', id: 'virtmon-8', errorClass: 'CommandNotFound', desc: 'The command nosuch has not been found' });
  assert.deepEqual(decodeMessage('{"timestamp": {"seconds": 1795321676, "microseconds": 262130}, "event": "STOP"}'),
    { kind: 'event', event: { event: 'STOP', data: {}, timestamp: { seconds: 1795321676, microseconds: 262130 } } });
  const shutdown = decodeMessage('{"timestamp": {"seconds": 1, "microseconds": 2}, "event": "SHUTDOWN", "data": {"guest": false, "reason": "host-qmp-quit"}}');
  assert.equal(shutdown.kind, 'event');
  if (shutdown.kind === 'event') assert.deepEqual(shutdown.event.data, { guest: false, reason: 'host-qmp-quit' });
  const greeting = decodeMessage('{"QMP": {"version": {"qemu": {"micro": 22, "minor": 2, "major": 7}, "package": "Debian"}, "capabilities": ["oob"]}}');
  assert.equal(greeting.kind, 'greeting');
  if (greeting.kind === 'greeting') {
    assert.equal(greeting.greeting.QMP.version.qemu.major, 7);
    assert.deepEqual(greeting.greeting.QMP.capabilities, ['oob']);
  }
  // A reply whose return is a scalar or an empty object still counts as a reply.
  assert.deepEqual(decodeMessage('{"return": {}}'), { kind: 'return', id: undefined, value: {} });
});

test('anything that is not QMP is a protocol error naming the input', () => {
  for (const bad of ['not json', '[1,2]', '42', 'null', '{"foo": 1}', '{"error": "x"}', '{"QMP": {}}']) {
    assert.throws(() => decodeMessage(bad), (err: unknown) => isProtocolError(err) && (err as Error).message.includes(bad.slice(0, 5)), bad);
  }
  const long = `{"x": "${'a'.repeat(500)}"`;
  assert.throws(() => decodeMessage(long), (err: unknown) => isProtocolError(err) && (err as Error).message.length < 250);
});
