/**
 * `<metadata>` children are stored on their own, away from the `<domain>` and `<metadata>` elements that
 * may declare their namespaces. As libvirt does when it copies a metadata node, each child gets the
 * declarations it uses from the enclosing scope, so it stays meaningful wherever it is written.
 */
import type { XmlElement } from './def.ts';
import { enterScope, freePrefixes } from './xml-query.ts';

/** Copies onto each element the `xmlns`/`xmlns:p` declarations it needs from the enclosing elements' attributes. */
export function hoistNamespaces(children: readonly XmlElement[], enclosing: readonly Readonly<Record<string, string>>[]): XmlElement[] {
  let scope: ReadonlyMap<string, string> = new Map();
  for (const attrs of enclosing) scope = enterScope(scope, attrs);
  return children.map((child) => {
    const needed: Record<string, string> = {};
    for (const prefix of freePrefixes(child)) {
      const uri = scope.get(prefix);
      if (uri !== undefined) needed[prefix === '' ? 'xmlns' : `xmlns:${prefix}`] = uri;
    }
    return Object.keys(needed).length === 0 ? child : { ...child, attrs: { ...needed, ...child.attrs } };
  });
}
