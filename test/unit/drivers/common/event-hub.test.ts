import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventHub } from '../../../../src/drivers/common/event-hub.ts';
import type { DomainEvent } from '../../../../src/domain/events.ts';

const event: DomainEvent = {
  kind: 'lifecycle', type: 2, detail: 0, time: 0,
  domain: { name: 'vmt-x', uuid: '11111111-1111-4111-8111-111111111111', id: 1 },
};

test('delivers to every listener in order; a throwing listener is reported, not thrown', () => {
  const reported: Array<[unknown, DomainEvent]> = [];
  const hub = new EventHub((err, ev) => { reported.push([err, ev]); });
  const seen: string[] = [];
  hub.subscribe(() => { seen.push('a'); });
  hub.subscribe(() => { throw new Error('listener broke'); });
  hub.subscribe(() => { seen.push('c'); });
  hub.emit(event);
  assert.deepEqual(seen, ['a', 'c']);
  assert.equal(reported.length, 1);
  assert.match(String((reported[0]?.[0] as Error).message), /listener broke/);
  assert.equal(reported[0]?.[1], event);
});

test('unsubscribe, double subscription, and a reporter that throws', () => {
  const hub = new EventHub(() => { throw new Error('reporter broke too'); });
  let count = 0;
  const listener = (): void => { count++; };
  const off1 = hub.subscribe(listener);
  const off2 = hub.subscribe(listener);
  hub.emit(event);
  assert.equal(count, 2);
  off1();
  off1();
  hub.emit(event);
  assert.equal(count, 3);
  off2();
  assert.equal(hub.size, 0);
  hub.subscribe(() => { throw new Error('x'); });
  assert.doesNotThrow(() => { hub.emit(event); });
});

test('a listener added during delivery sees only later events', () => {
  const hub = new EventHub(() => undefined);
  const seen: string[] = [];
  hub.subscribe(() => {
    seen.push('outer');
    if (seen.length === 1) hub.subscribe(() => { seen.push('inner'); });
  });
  hub.emit(event);
  hub.emit(event);
  assert.deepEqual(seen, ['outer', 'outer', 'inner']);
});
