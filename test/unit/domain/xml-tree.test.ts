import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deserializeError } from '../../../src/domain/errors.ts';
import { formatXmlElement, parseXmlDocument } from '../../../src/domain/xml-tree.ts';
import { errorOf } from './xml-helpers.ts';

test('keeps document order, attributes, text and namespace prefixes as written', () => {
  const el = parseXmlDocument(
    `<?xml version="1.0"?>\n<!-- a comment -->\n<root a="1" b='2' xmlns:x='urn:x'>\n  <x:first x:attr='v'>one</x:first>\n  <second/>\n  <x:first>two</x:first>\n</root>\n`);
  assert.deepEqual(el, {
    name: 'root',
    attrs: { a: '1', b: '2', 'xmlns:x': 'urn:x' },
    children: [
      { name: 'x:first', attrs: { 'x:attr': 'v' }, children: ['one'] },
      { name: 'second', attrs: {}, children: [] },
      { name: 'x:first', attrs: {}, children: ['two'] },
    ],
  });
});

test('decodes the predefined entities, character references and CDATA; drops comments', () => {
  const el = parseXmlDocument(`<a t='&lt;&gt;&amp;&apos;&quot;&#65;&#x42;'>x&lt;y<!-- gone --> <![CDATA[<raw & "cdata">]]>&#x1F600;</a>`);
  assert.equal(el.attrs['t'], `<>&'"AB`);
  assert.deepEqual(el.children, ['x<y <raw & "cdata">\u{1F600}']);
});

test('attribute values are normalized as XML says: literal newlines and tabs become spaces, references stay', () => {
  const el = parseXmlDocument(`<a v='one\ntwo\tthree&#10;four'/>`);
  assert.equal(el.attrs['v'], 'one two three\nfour');
});

test('layout whitespace between elements is dropped, text in mixed content kept', () => {
  const el = parseXmlDocument('<a>\n  <b/>\n  <c>  spaced  </c>\n  text <d/> tail\n</a>');
  assert.deepEqual(el.children, [
    { name: 'b', attrs: {}, children: [] },
    { name: 'c', attrs: {}, children: ['  spaced  '] },
    '\n  text ',
    { name: 'd', attrs: {}, children: [] },
    ' tail\n',
  ]);
});

test('formats like libvirt: 2-space indent, single quotes, escaping, inline text and mixed content', () => {
  const out = formatXmlElement({
    name: 'domain',
    attrs: { type: 'kvm', note: `it's <"a"> & b\nc\td` },
    children: [
      { name: 'name', attrs: {}, children: ['a & <b> \'c\' "d"\r'] },
      { name: 'empty', attrs: { x: '1' }, children: [] },
      { name: 'nested', attrs: {}, children: [{ name: 'leaf', attrs: {}, children: [] }, '  '] },
      { name: 'mixed', attrs: {}, children: ['t ', { name: 'b', attrs: {}, children: [{ name: 'i', attrs: {}, children: [] }] }, ' u'] },
    ],
  }, 2);
  assert.equal(out, [
    `  <domain type='kvm' note='it&apos;s &lt;&quot;a&quot;&gt; &amp; b&#10;c&#9;d'>`,
    `    <name>a &amp; &lt;b&gt; &apos;c&apos; &quot;d&quot;&#13;</name>`,
    `    <empty x='1'/>`,
    `    <nested>`,
    `      <leaf/>`,
    `    </nested>`,
    `    <mixed>t <b><i/></b> u</mixed>`,
    `  </domain>`,
    '',
  ].join('\n'));
});

test('format then parse gives back the same tree, special characters included', () => {
  const tree = parseXmlDocument(`<r a="&#9;&#10;&#13;'&quot;&lt;&amp;"><t>line1\nline2&#13;</t><m>x<b>y</b>z</m><e>   </e></r>`);
  assert.deepEqual(parseXmlDocument(formatXmlElement(tree)), tree);
});

test('refuses an entity expansion bomb (billion laughs) before expanding anything', () => {
  const lol = [
    '<?xml version="1.0"?>',
    '<!DOCTYPE lolz [',
    ' <!ENTITY lol "lol">',
    ' <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
    ' <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">',
    ']>',
    '<lolz>&lol3;</lolz>',
  ].join('\n');
  const err = errorOf(() => parseXmlDocument(lol));
  assert.equal(err.message, 'XML error: line 2, column 1: DOCTYPE declarations are not allowed');
  assert.equal(err.line, 2);
  assert.equal(err.column, 1);
});

test('refuses an external entity (XXE)', () => {
  const xxe = '<?xml version="1.0"?>\n<!DOCTYPE domain [ <!ENTITY xxe SYSTEM "file:///etc/shadow"> ]>\n<domain>&xxe;</domain>';
  assert.equal(errorOf(() => parseXmlDocument(xxe)).message, 'XML error: line 2, column 1: DOCTYPE declarations are not allowed');
});

test('refuses a DOCTYPE alone, a stray entity declaration and other markup declarations', () => {
  assert.equal(errorOf(() => parseXmlDocument('<!DOCTYPE domain>\n<domain/>')).message,
    'XML error: line 1, column 1: DOCTYPE declarations are not allowed');
  assert.equal(errorOf(() => parseXmlDocument('<a><!ENTITY x "y"></a>')).message,
    'XML error: line 1, column 4: entity declarations are not allowed');
  assert.equal(errorOf(() => parseXmlDocument('<!ELEMENT a ANY><a/>')).message,
    'XML error: line 1, column 1: markup declarations are not allowed');
});

test('refuses entity references other than the predefined five, in text and in attributes', () => {
  assert.equal(errorOf(() => parseXmlDocument('<a>\n  &nbsp;</a>')).message,
    "XML error: line 2, column 3: entity reference '&nbsp;' is not allowed: only &lt; &gt; &amp; &apos; &quot; and character references are accepted");
  assert.match(errorOf(() => parseXmlDocument("<a b='&xxe;'/>")).message, /entity reference '&xxe;' is not allowed/);
  assert.equal(errorOf(() => parseXmlDocument('<a>&#0;</a>')).message,
    "XML error: line 1, column 4: character reference '&#0;' is not a valid XML character");
  assert.equal(errorOf(() => parseXmlDocument('<a>fish & chips</a>')).message,
    "XML error: line 1, column 9: '&' must be written as &amp; (or start an entity or character reference)");
});

test('refuses a 10 MB body before parsing it, and honours a smaller maxBytes', () => {
  const big = `<domain>${'x'.repeat(10 * 1024 * 1024)}</domain>`;
  assert.equal(errorOf(() => parseXmlDocument(big)).message,
    'XML error: document is too large (more than 1048576 bytes, the limit is 1048576 bytes)');
  // Multi-byte characters count as bytes, not as UTF-16 units.
  assert.equal(errorOf(() => parseXmlDocument(`<a>${'é'.repeat(60)}</a>`, { maxBytes: 100 })).message,
    'XML error: document is too large (127 bytes, the limit is 100 bytes)');
  assert.ok(parseXmlDocument(`<a>${'é'.repeat(40)}</a>`, { maxBytes: 100 }));
});

test('refuses nesting deeper than maxDepth (default 64)', () => {
  const deep = (n: number): string => '<e>'.repeat(n) + '</e>'.repeat(n);
  assert.ok(parseXmlDocument(deep(64)));
  assert.equal(errorOf(() => parseXmlDocument(deep(65))).message,
    'XML error: line 1, column 193: elements are nested deeper than 64 levels');
  assert.match(errorOf(() => parseXmlDocument(deep(100000))).message, /nested deeper than 64 levels/);
  assert.match(errorOf(() => parseXmlDocument(deep(4), { maxDepth: 3 })).message, /nested deeper than 3 levels/);
});

test('malformed XML names line and column', () => {
  const err = errorOf(() => parseXmlDocument("<domain type='kvm'>\n  <name>x</nam>\n</domain>"));
  assert.equal(err.message,
    "XML error: line 2, column 10: Expected closing tag 'name' (opened in line 2, col 3) instead of closing tag 'nam'.");
  assert.equal(err.line, 2);
  assert.equal(err.column, 10);
  assert.match(errorOf(() => parseXmlDocument('<a>')).message, /Unclosed tag 'a'/);
  assert.match(errorOf(() => parseXmlDocument("<a b='1' b='2'/>")).message, /Attribute 'b' is repeated/);
  assert.match(errorOf(() => parseXmlDocument('<a><!-- open </a>')).message, /unterminated comment/);
  assert.match(errorOf(() => parseXmlDocument("<a b='<'/>")).message, /'<' is not allowed in an attribute value/);
  assert.match(errorOf(() => parseXmlDocument('<a/><b/>')).message, /extra content after the root element/);
  assert.match(errorOf(() => parseXmlDocument('junk<a/>')).message, /text is not allowed outside the root element/);
  assert.match(errorOf(() => parseXmlDocument('<a>\u0001</a>')).message, /character U\+0001 is not allowed/);
  assert.equal(errorOf(() => parseXmlDocument('  ')).message, 'XML error: document is empty');
  assert.match(errorOf(() => parseXmlDocument('<a><constructor/></a>')).message, /name 'constructor' is not supported/);
});

test('element names that shadow Object members come through unchanged', () => {
  const el = parseXmlDocument("<a><toString valueOf='1'/><hasOwnProperty/></a>");
  assert.deepEqual<unknown>(el.children, [
    { name: 'toString', attrs: { valueOf: '1' }, children: [] },
    { name: 'hasOwnProperty', attrs: {}, children: [] },
  ]);
});

test('line and column survive the wire form of the error', () => {
  const err = errorOf(() => parseXmlDocument('<a>\n  <b></c>\n</a>'));
  const wire = err.toJSON();
  assert.deepEqual([wire.line, wire.column], [2, 6]);
  const back = deserializeError(wire);
  assert.deepEqual([back.line, back.column, back.message], [2, 6, err.message]);
});
