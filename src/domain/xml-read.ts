/**
 * The reader the typed parsers use: it hands out attributes and children, remembers what was taken, and
 * collects what was not (kept verbatim as extraAttrs, extra and {@link RestMap} entries), so nothing in
 * the input is lost. Errors are VIR_ERR_XML_ERROR keyed by the element path (`domain/devices/disk[2]/target`).
 */
import type { ElementRest, XmlElement } from './def.ts';
import { VirtmonError } from './errors.ts';
import { isElement, textContent } from './xml-query.ts';
import { sortByOrder } from './xml-order.ts';

/** A writable view of a readonly shape, for building parse results. */
export type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A typed child taken from an element: its typed attribute values and where it is. */
export interface TakenChild {
  readonly el: XmlElement;
  readonly path: string;
  /** Values of the typed attributes (absent ones undefined). */
  readonly attrs: Readonly<Record<string, string | undefined>>;
}

/** An XML_ERROR keyed by an element path. */
export function xmlPathError(path: string, detail: string): VirtmonError {
  return new VirtmonError('VIR_ERR_XML_ERROR', detail, { key: path });
}

/** Reads one element; rest entries go to `rest` under `restPrefix + childName`. */
export class ElementReader {
  readonly el: XmlElement;
  readonly path: string;
  readonly rest: Record<string, ElementRest>;
  private readonly restPrefix: string;
  private readonly usedAttrs = new Set<string>();
  private readonly usedChildren = new Set<XmlElement>();

  constructor(el: XmlElement, path: string, rest: Record<string, ElementRest> = {}, restPrefix = '') {
    this.el = el;
    this.path = path;
    this.rest = rest;
    this.restPrefix = restPrefix;
  }

  /** An error about this element or a path below it. */
  fail(detail: string, sub?: string): VirtmonError {
    return xmlPathError(sub === undefined ? this.path : `${this.path}/${sub}`, detail);
  }

  /** Takes an attribute of this element. */
  attr(name: string): string | undefined {
    this.usedAttrs.add(name);
    return Object.hasOwn(this.el.attrs, name) ? this.el.attrs[name] : undefined;
  }

  private next(name: string): XmlElement | undefined {
    return this.el.children.find((c): c is XmlElement => isElement(c) && c.name === name && !this.usedChildren.has(c));
  }

  /**
   * Takes the first not yet taken child named `name`: the listed attributes are typed, everything else
   * is kept under `restKey`. A child that carries none of its typed attributes is kept too (as an empty
   * rest entry), so `<alias/>` comes back as written; `marker: false` skips that for elements whose value
   * the parser fills in (a generated MAC).
   */
  take(name: string, typedAttrs: readonly string[] = [], restKey = name, marker = true): TakenChild | undefined {
    const el = this.next(name);
    return el === undefined ? undefined : this.takeElement(el, typedAttrs, restKey, marker);
  }

  /** Takes every child named `name`; rest keys are `name[N]` (1-based). */
  takeAll(name: string, typedAttrs: readonly string[] = []): TakenChild[] {
    const els = this.el.children.filter((c): c is XmlElement => isElement(c) && c.name === name && !this.usedChildren.has(c));
    return els.map((el, i) => this.takeElement(el, typedAttrs, `${name}[${i + 1}]`, true));
  }

  /** Takes a presence-only child (`<readonly/>`); anything it carries is kept. */
  takeFlag(name: string): boolean {
    const el = this.next(name);
    if (el === undefined) return false;
    this.usedChildren.add(el);
    this.keep(name, { attrs: el.attrs, children: el.children }, false);
    return true;
  }

  /**
   * Takes a text-only child (`<name>web1</name>`, `<memory unit='MiB'>256</memory>`): listed attributes
   * typed, others kept; child elements are refused. An empty one is kept as an empty rest entry.
   */
  takeText(name: string, typedAttrs: readonly string[] = []): (TakenChild & { text: string }) | undefined {
    const el = this.next(name);
    if (el === undefined) return undefined;
    const path = `${this.path}/${name}`;
    const inner = el.children.find(isElement);
    if (inner !== undefined) throw xmlPathError(path, `unexpected element <${inner.name}> in <${name}>`);
    const text = textContent(el);
    const taken = this.takeElement({ ...el, children: [] }, typedAttrs, name, text === '');
    this.usedChildren.add(el);
    return { ...taken, text };
  }

  /** Claims the first child named `name` for a nested reader sharing this rest map under `restKey/`. */
  enter(name: string, restKey = name): ElementReader | undefined {
    const el = this.next(name);
    if (el === undefined) return undefined;
    this.usedChildren.add(el);
    return new ElementReader(el, `${this.path}/${name}`, this.rest, `${this.restPrefix}${restKey}/`);
  }

  /** Claims the first child named `name` (a device the caller parses itself). */
  claim(name: string): XmlElement | undefined {
    const el = this.next(name);
    if (el !== undefined) this.usedChildren.add(el);
    return el;
  }

  /** Claims every child named `name` (devices the caller parses itself). */
  claimAll(name: string): XmlElement[] {
    const els = this.el.children.filter((c): c is XmlElement => isElement(c) && c.name === name && !this.usedChildren.has(c));
    for (const el of els) this.usedChildren.add(el);
    return els;
  }

  /** Keeps attributes under `key` (a nested reader's own untyped attributes). */
  keepAttrs(key: string, attrs: Readonly<Record<string, string>>): void {
    this.keep(key, { attrs, children: [] }, false);
  }

  private takeElement(el: XmlElement, typedAttrs: readonly string[], restKey: string, marker: boolean): TakenChild {
    this.usedChildren.add(el);
    const attrs: Record<string, string | undefined> = {};
    const restAttrs: Record<string, string> = {};
    for (const name of typedAttrs) attrs[name] = Object.hasOwn(el.attrs, name) ? el.attrs[name] : undefined;
    for (const [k, v] of Object.entries(el.attrs)) if (!typedAttrs.includes(k)) restAttrs[k] = v;
    const typedNone = typedAttrs.every((a) => attrs[a] === undefined);
    this.keep(restKey, { attrs: restAttrs, children: el.children }, marker && typedNone);
    const index = restKey.endsWith(']') ? restKey.slice(restKey.lastIndexOf('[')) : '';
    return { el, path: `${this.path}/${el.name}${index}`, attrs };
  }

  private keep(key: string, rest: ElementRest, always: boolean): void {
    if (always || Object.keys(rest.attrs).length > 0 || rest.children.length > 0) this.rest[this.restPrefix + key] = rest;
  }

  /** Attributes not taken, verbatim. */
  extraAttrs(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.el.attrs)) if (!this.usedAttrs.has(k)) out[k] = v;
    return out;
  }

  /** Children not taken, sorted into libvirt's order; text other than layout whitespace is refused. */
  extraChildren(order: readonly string[]): XmlElement[] {
    const out: XmlElement[] = [];
    for (const c of this.el.children) {
      if (isElement(c)) {
        if (!this.usedChildren.has(c)) out.push(c);
      } else if (c.trim() !== '') {
        throw this.fail(`unexpected text '${c.trim().slice(0, 40)}' in <${this.el.name}>`);
      }
    }
    return sortByOrder(out, order);
  }
}

/** Copies `o` without its undefined values, so optional properties are absent rather than undefined. */
export function compact<T extends object>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

/** The rest map, or undefined when empty (so it stays absent on the parsed object). */
export function restOrUndefined(rest: Record<string, ElementRest>): Record<string, ElementRest> | undefined {
  return Object.keys(rest).length === 0 ? undefined : rest;
}

/** Parses a decimal integer attribute or text; undefined stays undefined. */
export function parseIntStrict(value: string | undefined, fail: () => VirtmonError, min = 0): number | undefined {
  if (value === undefined) return undefined;
  const t = value.trim();
  if (!/^[+-]?[0-9]+$/.test(t)) throw fail();
  const n = Number(t);
  if (!Number.isSafeInteger(n) || n < min) throw fail();
  return n;
}

/** libvirt's virTristateBool: yes/no (also on/off where the schema says so). */
export function parseYesNo(value: string | undefined, fail: () => VirtmonError): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'yes') return true;
  if (value === 'no') return false;
  throw fail();
}

/** libvirt's virXMLPropEnum message. */
export function invalidAttrValue(attr: string, element: string, value: string): string {
  return `Invalid value for attribute '${attr}' in element '${element}': '${value}'.`;
}
