/**
 * The safety gate run before any XML reaches the parser: size cap, no DOCTYPE or other markup
 * declarations (so no entity definitions, no external entities, no expansion bombs), only the five
 * predefined entities and valid character references, only XML 1.0 characters, and a nesting-depth cap.
 * One forward scan, linear in the input; nothing is expanded or allocated per token.
 */
import { VirtmonError } from './errors.ts';

/** Limits of {@link guardXml}. */
export interface XmlLimits {
  /** Largest accepted document in UTF-8 bytes. */
  readonly maxBytes: number;
  /** Deepest accepted element nesting (the root element is depth 1). */
  readonly maxDepth: number;
}

/** Default limits: 1 MiB, 64 levels. */
export const DEFAULT_XML_LIMITS: XmlLimits = { maxBytes: 1024 * 1024, maxDepth: 64 };

/** 1-based line and column of a string index. */
export function positionOf(xml: string, index: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = xml.indexOf('\n'); i !== -1 && i < index; i = xml.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: index - lineStart + 1 };
}

/** An XML_ERROR naming a position in the document. */
export function xmlErrorAt(xml: string, index: number, what: string, cause?: unknown): VirtmonError {
  const { line, column } = positionOf(xml, index);
  return new VirtmonError('VIR_ERR_XML_ERROR', `line ${line}, column ${column}: ${what}`,
    cause === undefined ? { line, column } : { line, column, cause });
}

const PREDEFINED = new Set(['lt', 'gt', 'amp', 'apos', 'quot']);
const REFERENCE = /&(?:([A-Za-z_:][\w.:-]*)|#([0-9]+)|#x([0-9A-Fa-f]+));/y;
// Characters XML 1.0 forbids anywhere in a document (§2.2), lone surrogates included.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHAR = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** True for a code point XML 1.0 allows (§2.2 Char). */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) ||
    (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/** Checks the reference starting at `i` (a `&`); returns the index after it or throws. */
function checkReference(xml: string, i: number): number {
  REFERENCE.lastIndex = i;
  const m = REFERENCE.exec(xml);
  if (m === null) throw xmlErrorAt(xml, i, "'&' must be written as &amp; (or start an entity or character reference)");
  const [whole, name, dec, hex] = m;
  if (name !== undefined && !PREDEFINED.has(name)) {
    throw xmlErrorAt(xml, i, `entity reference '${whole}' is not allowed: only &lt; &gt; &amp; &apos; &quot; and character references are accepted`);
  }
  if (name === undefined) {
    const digits = dec ?? hex ?? '';
    const cp = digits.length > 8 ? -1 : Number.parseInt(digits, dec === undefined ? 16 : 10);
    if (!isXmlChar(cp)) throw xmlErrorAt(xml, i, `character reference '${whole}' is not a valid XML character`);
  }
  return i + whole.length;
}

/** Finds `needle` from `from` or throws "unterminated WHAT" at `start`. */
function findEnd(xml: string, needle: string, from: number, start: number, what: string): number {
  const end = xml.indexOf(needle, from);
  if (end === -1) throw xmlErrorAt(xml, start, `unterminated ${what}`);
  return end;
}

/** Scans a start or end tag from `i` (a `<`); returns the index after `>` and whether it opens an element. */
function scanTag(xml: string, i: number): { next: number; opens: boolean } {
  const closing = xml.charCodeAt(i + 1) === 0x2f;
  for (let j = i + 1; j < xml.length; j++) {
    const c = xml[j];
    if (c === '"' || c === "'") {
      const end = findEnd(xml, c, j + 1, j, 'attribute value');
      for (let k = j + 1; k < end; k++) {
        const v = xml.charCodeAt(k);
        if (v === 0x3c) throw xmlErrorAt(xml, k, "'<' is not allowed in an attribute value (write &lt;)");
        if (v === 0x26) k = checkReference(xml, k) - 1;
      }
      j = end;
    } else if (c === '<') {
      throw xmlErrorAt(xml, i, 'unterminated tag');
    } else if (c === '>') {
      return { next: j + 1, opens: !closing && xml[j - 1] !== '/' };
    }
  }
  throw xmlErrorAt(xml, i, 'unterminated tag');
}

/**
 * Refuses what must never reach the parser. Throws VIR_ERR_XML_ERROR with line and column.
 * Well-formedness proper (tag matching, attribute syntax) is left to the parser's validator.
 */
export function guardXml(xml: string, limits: XmlLimits = DEFAULT_XML_LIMITS): void {
  // length counts UTF-16 units, never more than the UTF-8 bytes: a long string is refused unscanned.
  if (xml.length > limits.maxBytes || Buffer.byteLength(xml, 'utf8') > limits.maxBytes) {
    const size = xml.length > limits.maxBytes ? `more than ${limits.maxBytes}` : String(Buffer.byteLength(xml, 'utf8'));
    throw new VirtmonError('VIR_ERR_XML_ERROR',
      `document is too large (${size} bytes, the limit is ${limits.maxBytes} bytes)`);
  }
  const bad = FORBIDDEN_CHAR.exec(xml);
  if (bad !== null) {
    const code = bad[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0');
    throw xmlErrorAt(xml, bad.index, `character U+${code} is not allowed in XML`);
  }
  let depth = 0;
  let rootSeen = false;
  let i = 0;
  let amp = -1; // next '&' at or after i, looked up again only once passed: the scan stays linear
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt === -1 ? xml.length : lt;
    if (depth === 0 && xml.slice(i, textEnd).trim() !== '') {
      throw xmlErrorAt(xml, i + xml.slice(i, textEnd).search(/\S/), 'text is not allowed outside the root element');
    }
    if (amp < i) {
      const next = xml.indexOf('&', i);
      amp = next === -1 ? Infinity : next;
    }
    while (amp < textEnd) {
      checkReference(xml, amp);
      const next = xml.indexOf('&', amp + 1);
      amp = next === -1 ? Infinity : next;
    }
    if (lt === -1) break;
    if (xml.startsWith('<!--', lt)) {
      i = findEnd(xml, '-->', lt + 4, lt, 'comment') + 3;
    } else if (xml.startsWith('<![CDATA[', lt)) {
      i = findEnd(xml, ']]>', lt + 9, lt, 'CDATA section') + 3;
    } else if (xml.startsWith('<!DOCTYPE', lt)) {
      throw xmlErrorAt(xml, lt, 'DOCTYPE declarations are not allowed');
    } else if (xml.startsWith('<!ENTITY', lt)) {
      throw xmlErrorAt(xml, lt, 'entity declarations are not allowed');
    } else if (xml[lt + 1] === '!') {
      throw xmlErrorAt(xml, lt, 'markup declarations are not allowed');
    } else if (xml[lt + 1] === '?') {
      i = findEnd(xml, '?>', lt + 2, lt, 'processing instruction') + 2;
    } else {
      const tag = scanTag(xml, lt);
      if (depth === 0 && xml[lt + 1] !== '/') {
        if (rootSeen) throw xmlErrorAt(xml, lt, 'extra content after the root element');
        rootSeen = true;
      }
      if (tag.opens) {
        depth++;
        if (depth > limits.maxDepth) throw xmlErrorAt(xml, lt, `elements are nested deeper than ${limits.maxDepth} levels`);
      } else if (xml[lt + 1] === '/') {
        depth--;
      }
      i = tag.next;
    }
  }
}
