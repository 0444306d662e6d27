/**
 * Builders the formatters use to turn typed values plus their kept rest back into {@link XmlElement}s:
 * typed attributes first (in libvirt's order), then the kept ones; typed children/text first, then kept.
 */
import type { ElementRest, RestMap, XmlElement, XmlNode } from './def.ts';

/** An attribute value as the formatters hand it over; undefined means "not written". */
export type AttrValue = string | number | undefined;

function mergeAttrs(attrs: Readonly<Record<string, AttrValue>>, rest?: ElementRest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined) out[k] = String(v);
  if (rest !== undefined) for (const [k, v] of Object.entries(rest.attrs)) if (!Object.hasOwn(out, k)) out[k] = v;
  return out;
}

/** An element from typed attributes and children plus its kept rest. */
export function element(name: string, attrs: Readonly<Record<string, AttrValue>>, children: readonly XmlNode[] = [], rest?: ElementRest): XmlElement {
  return { name, attrs: mergeAttrs(attrs, rest), children: rest === undefined ? [...children] : [...children, ...rest.children] };
}

/** The element when it has a typed attribute or a kept rest entry; undefined otherwise (it was not there). */
export function optionalElement(name: string, attrs: Readonly<Record<string, AttrValue>>, rest?: ElementRest): XmlElement | undefined {
  const typed = Object.values(attrs).some((v) => v !== undefined);
  return typed || rest !== undefined ? element(name, attrs, [], rest) : undefined;
}

/** A text element (`<name>web1</name>`) when it has text or a kept rest entry. */
export function textElement(name: string, text: string | number | undefined, rest?: ElementRest, attrs: Readonly<Record<string, AttrValue>> = {}): XmlElement | undefined {
  if (text === undefined && rest === undefined) return undefined;
  return element(name, attrs, text === undefined || text === '' ? [] : [String(text)], rest);
}

/** The rest entry for `key`, if any. */
export function restOf(rest: RestMap | undefined, key: string): ElementRest | undefined {
  return rest !== undefined && Object.hasOwn(rest, key) ? rest[key] : undefined;
}

/** Drops the undefined entries of a list of optional elements. */
export function present(...els: readonly (XmlElement | undefined)[]): XmlElement[] {
  return els.filter((e): e is XmlElement => e !== undefined);
}
