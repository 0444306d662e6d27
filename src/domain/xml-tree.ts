/**
 * Generic XML: a safe parser into {@link XmlElement} trees and the pretty printer that writes them back in
 * libvirt's layout (2-space indent, attributes in single quotes). fast-xml-parser does the lexing; the
 * guard in xml-guard.ts runs first so DOCTYPE, entity declarations, oversize and overdeep input never
 * reach it, and entity references are decoded here (only the five predefined ones and character refs).
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { XmlElement, XmlNode } from './def.ts';
import { VirtmonError } from './errors.ts';
import { DEFAULT_XML_LIMITS, guardXml } from './xml-guard.ts';

/** Options of {@link parseXmlDocument}. */
export interface XmlParseOptions {
  /** Largest accepted document in UTF-8 bytes (default 1 MiB). */
  readonly maxBytes?: number;
  /** Deepest accepted nesting, root = 1 (default 64). */
  readonly maxDepth?: number;
}

const ATTRS = ':@';
const TEXT = '#text';
const CDATA = '#cdata';

const ENTITY = /&(lt|gt|amp|apos|quot|#[0-9]+|#x[0-9A-Fa-f]+);/g;
const NAMED: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', apos: "'", quot: '"' };

/** Decodes the references the guard let through. */
function decode(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return NAMED[ref] ?? '';
  });
}

type FxpNode = Record<string, unknown>;

/** The element name of a preserveOrder node (its one key besides the attribute group). */
function nodeName(node: FxpNode): string | undefined {
  for (const key of Object.keys(node)) if (key !== ATTRS) return key;
  return undefined;
}

/** Converts one preserveOrder element node; whitespace-only text between child elements is layout, dropped. */
function toElement(name: string, node: FxpNode): XmlElement {
  const attrs: Record<string, string> = {};
  const rawAttrs = node[ATTRS] as Record<string, unknown> | undefined;
  if (rawAttrs !== undefined) {
    // Attribute-value normalization (XML §3.3.3): literal tab/newline become spaces, references keep theirs.
    for (const [k, v] of Object.entries(rawAttrs)) attrs[k] = decode(String(v).replace(/[\t\n\r]/g, ' '));
  }
  const children: XmlNode[] = [];
  let text: string | undefined;
  const flush = (): void => {
    if (text !== undefined && text !== '') children.push(text);
    text = undefined;
  };
  for (const child of node[name] as FxpNode[]) {
    const childName = nodeName(child);
    if (childName === TEXT) {
      text = (text ?? '') + decode(typeof child[TEXT] === 'string' ? child[TEXT] : '');
    } else if (childName === CDATA) {
      const parts = child[CDATA] as FxpNode[];
      text = (text ?? '') + parts.map((p) => (typeof p[TEXT] === 'string' ? p[TEXT] : '')).join('');
    } else if (childName !== undefined && !childName.startsWith('?')) {
      flush();
      children.push(toElement(childName, child));
    }
  }
  flush();
  const hasElements = children.some((c) => typeof c !== 'string');
  return { name, attrs, children: hasElements ? children.filter((c) => typeof c !== 'string' || c.trim() !== '') : children };
}

/**
 * Parses an XML document into its root element. Refuses DOCTYPE, entity declarations, unknown entity
 * references, documents over `maxBytes` (checked before anything else) and nesting over `maxDepth`.
 * Comments and processing instructions are dropped; CDATA becomes text. Throws VIR_ERR_XML_ERROR,
 * with `line`/`column` when the position is known.
 */
export function parseXmlDocument(xml: string, options: XmlParseOptions = {}): XmlElement {
  if (typeof xml !== 'string') throw new VirtmonError('VIR_ERR_XML_ERROR', 'document is not a string');
  const limits = {
    maxBytes: options.maxBytes ?? DEFAULT_XML_LIMITS.maxBytes,
    maxDepth: options.maxDepth ?? DEFAULT_XML_LIMITS.maxDepth,
  };
  const text = xml.startsWith('\ufeff') ? xml.slice(1) : xml;
  if (text.trim() === '') throw new VirtmonError('VIR_ERR_XML_ERROR', 'document is empty');
  guardXml(text, limits);
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) {
    const { msg, line, col } = valid.err;
    throw new VirtmonError('VIR_ERR_XML_ERROR', `line ${line}, column ${col}: ${msg}`, { line, column: col });
  }
  let nodes: FxpNode[];
  try {
    const parser = new XMLParser({
      preserveOrder: true,
      ignoreAttributes: false,
      attributeNamePrefix: '',
      parseTagValue: false,
      parseAttributeValue: false,
      trimValues: false,
      processEntities: false,
      htmlEntities: false,
      cdataPropName: CDATA,
      commentPropName: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      maxNestedTags: limits.maxDepth + 1,
      onDangerousProperty: (name: string) => name,
      jPath: false,
    });
    nodes = parser.parse(text) as FxpNode[];
  } catch (err) {
    const raw = err instanceof Error ? err.message : String(err);
    const reserved = /Invalid name: "([^"]*)"/.exec(raw);
    const msg = reserved === null ? raw : `name '${reserved[1] ?? ''}' is not supported`;
    throw new VirtmonError('VIR_ERR_XML_ERROR', msg, { cause: err });
  }
  for (const node of nodes) {
    const name = nodeName(node);
    if (name !== undefined && name !== TEXT && name !== CDATA && !name.startsWith('?')) return toElement(name, node);
  }
  throw new VirtmonError('VIR_ERR_XML_ERROR', 'document has no root element');
}

/** Escapes text content (libvirt escapes all five specials; `\r` as a reference so it survives a re-parse). */
export function escapeXmlText(value: string): string {
  return value.replace(/[&<>'"\r]/g, (c) => ESCAPES[c] ?? c);
}

/** Escapes an attribute value (also tab and newline, which a parser would otherwise normalize to spaces). */
export function escapeXmlAttr(value: string): string {
  return value.replace(/[&<>'"\r\n\t]/g, (c) => ESCAPES[c] ?? c);
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;', '<': '&lt;', '>': '&gt;', "'": '&apos;', '"': '&quot;', '\r': '&#13;', '\n': '&#10;', '\t': '&#9;',
};

function openTag(el: XmlElement): string {
  let s = `<${el.name}`;
  for (const [k, v] of Object.entries(el.attrs)) s += ` ${k}='${escapeXmlAttr(v)}'`;
  return s;
}

/** Children worth writing: empty strings never, blank text not between elements (it is layout). */
function contentOf(el: XmlElement): readonly XmlNode[] {
  const hasElements = el.children.some((c) => typeof c !== 'string');
  return el.children.filter((c) => typeof c !== 'string' || (c !== '' && (!hasElements || c.trim() !== '')));
}

/** One line, no layout whitespace: the form for mixed content, where added whitespace would change the text. */
function compact(el: XmlElement): string {
  const content = contentOf(el);
  if (content.length === 0) return `${openTag(el)}/>`;
  const inner = content.map((c) => (typeof c === 'string' ? escapeXmlText(c) : compact(c))).join('');
  return `${openTag(el)}>${inner}</${el.name}>`;
}

function write(el: XmlElement, pad: string, out: string[]): void {
  const content = contentOf(el);
  const elements = content.filter((c): c is XmlElement => typeof c !== 'string');
  if (content.length === 0) {
    out.push(`${pad}${openTag(el)}/>\n`);
  } else if (elements.length === 0 || elements.length !== content.length) {
    out.push(`${pad}${compact(el)}\n`);
  } else {
    out.push(`${pad}${openTag(el)}>\n`);
    for (const child of elements) write(child, `${pad}  `, out);
    out.push(`${pad}</${el.name}>\n`);
  }
}

/**
 * Writes an element as libvirt does: one element per line, children indented by 2 spaces, attributes in
 * single quotes, text and mixed content inline. `indent` is the number of spaces before the first level.
 * The result ends with a newline.
 */
export function formatXmlElement(el: XmlElement, indent = 0): string {
  const out: string[] = [];
  write(el, ' '.repeat(indent), out);
  return out.join('');
}
