/**
 * Small read helpers over {@link XmlElement} trees: children by name, text content, and namespace
 * resolution through the `xmlns` declarations in scope (element names keep their prefixes as written).
 */
import type { XmlElement, XmlNode } from './def.ts';

/** True when the node is an element (not a text run). */
export function isElement(node: XmlNode): node is XmlElement {
  return typeof node !== 'string';
}

/** The element children of `el`, optionally only those named `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => isElement(c) && (name === undefined || c.name === name));
}

/** The first child element named `name`. */
export function firstChild(el: XmlElement, name: string): XmlElement | undefined {
  return el.children.find((c): c is XmlElement => isElement(c) && c.name === name);
}

/** All text of `el` and its descendants, in document order (XPath `string()`). */
export function textContent(el: XmlElement): string {
  return el.children.map((c) => (isElement(c) ? textContent(c) : c)).join('');
}

/** `nova:name` → `nova`; `name` → `''`. */
export function prefixOf(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? '' : name.slice(0, i);
}

/** `nova:name` → `name`. */
export function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

/** Prefix → namespace URI bindings in scope (`''` is the default namespace). */
export type NamespaceScope = ReadonlyMap<string, string>;

/** The scope inside an element with attributes `attrs`, given the scope outside it. */
export function enterScope(outer: NamespaceScope, attrs: Readonly<Record<string, string>>): NamespaceScope {
  let scope: Map<string, string> | undefined;
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'xmlns' || k.startsWith('xmlns:')) {
      scope ??= new Map(outer);
      scope.set(k === 'xmlns' ? '' : k.slice(6), v);
    }
  }
  return scope ?? outer;
}

/** Namespace URI of an element name in a scope ('' when none). */
export function elementNamespace(name: string, scope: NamespaceScope): string {
  return scope.get(prefixOf(name)) ?? '';
}

/** Prefixes an element subtree uses (element and attribute names, `''` for unprefixed elements) without
 * declaring them itself: the declarations it needs from outside. */
export function freePrefixes(el: XmlElement, declared: ReadonlySet<string> = new Set()): Set<string> {
  const here = new Set(declared);
  for (const k of Object.keys(el.attrs)) {
    if (k === 'xmlns') here.add('');
    else if (k.startsWith('xmlns:')) here.add(k.slice(6));
  }
  const free = new Set<string>();
  const use = (p: string): void => {
    if (p !== 'xml' && p !== 'xmlns' && !here.has(p)) free.add(p);
  };
  use(prefixOf(el.name));
  for (const k of Object.keys(el.attrs)) {
    const p = prefixOf(k);
    if (p !== '') use(p);
  }
  for (const c of el.children) if (isElement(c)) for (const p of freePrefixes(c, here)) free.add(p);
  return free;
}
