/**
 * Small readers over the {@link XmlElement} trees the domain definition keeps for `<metadata>` and unknown
 * elements: namespace resolution (prefixes keep their `xmlns:*` declarations as attributes), children,
 * text. Used for Nova metadata and the metadata label allowlist; no XPath engine, on purpose.
 */
import type { DomainDef, XmlElement, XmlNode } from '../domain/def.ts';

/** The local part of a qualified name (`nova:name` → `name`). */
export function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function prefixOf(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? '' : qname.slice(0, colon);
}

/** Namespace scope (prefix → URI, '' = default namespace) extended by an element's own declarations. */
export function extendScope(scope: ReadonlyMap<string, string>, attrs: Readonly<Record<string, string>>): ReadonlyMap<string, string> {
  let out: Map<string, string> | undefined;
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      out ??= new Map(scope);
      out.set(name === 'xmlns' ? '' : name.slice(6), value);
    }
  }
  return out ?? scope;
}

/** The element children of an element, in document order. */
export function childElements(el: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (typeof c !== 'string') out.push(c);
  return out;
}

/** The first child element with this local name, if any. */
export function child(el: XmlElement, local: string): XmlElement | undefined {
  for (const c of el.children) if (typeof c !== 'string' && localName(c.name) === local) return c;
  return undefined;
}

/** Concatenated text of an element and its descendants (XPath string value). */
export function textContent(node: XmlNode): string {
  if (typeof node === 'string') return node;
  let out = '';
  for (const c of node.children) out += textContent(c);
  return out;
}

/** An attribute by exact name, or by local name when the document used a prefix. */
export function attr(el: XmlElement, name: string): string | undefined {
  const direct = el.attrs[name];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(el.attrs)) if (!k.startsWith('xmlns') && localName(k) === name) return v;
  return undefined;
}

/**
 * The first top-level `<metadata>` child in one of the namespaces, trying them in order (Nova 1.1 before
 * 1.0). Declarations on `<domain>` (kept in extraAttrs) are in scope too.
 */
export function findMetadataRoot(def: DomainDef, namespaces: readonly string[]): XmlElement | undefined {
  const base = extendScope(new Map(), def.extraAttrs);
  const roots = def.metadata.map((el) => ({ el, ns: extendScope(base, el.attrs).get(prefixOf(el.name)) }));
  for (const ns of namespaces) {
    const hit = roots.find((r) => r.ns === ns);
    if (hit !== undefined) return hit.el;
  }
  return undefined;
}
