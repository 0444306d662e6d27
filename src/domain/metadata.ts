/**
 * Reading `<metadata>`: OpenStack Nova's instance block (metrics.md §9: `libvirt_domain_openstack_info`,
 * Tinkoff's `libvirt_domain_info_meta`) and allowlisted simple paths for `libvirt_domain_metadata_info`.
 * Elements are matched by namespace URI, resolved through the `xmlns` declarations in scope, never by
 * the prefix a document happens to use.
 */
import type { DomainDef, XmlElement } from './def.ts';
import { invalidArg } from './errors.ts';
import type { NamespaceScope } from './xml-query.ts';
import { childElements, elementNamespace, enterScope, localName, textContent } from './xml-query.ts';

/** Nova metadata namespaces, preferred first. */
export const NOVA_NAMESPACES = [
  'http://openstack.org/xmlns/libvirt/nova/1.1',
  'http://openstack.org/xmlns/libvirt/nova/1.0',
] as const;

/** The Nova fields virtmon exports; '' when the instance block lacks one. */
export interface NovaMetadata {
  /** `nova:name`. */
  readonly instanceName: string;
  /** `nova:flavor/@name`. */
  readonly flavorName: string;
  /** `nova:owner/nova:user` text and `@uuid`. */
  readonly userName: string;
  readonly userId: string;
  /** `nova:owner/nova:project` text and `@uuid`. */
  readonly projectName: string;
  readonly projectId: string;
  /** `nova:root/@type` and `@uuid`. */
  readonly rootType: string;
  readonly rootUuid: string;
}

interface Scoped {
  readonly el: XmlElement;
  readonly scope: NamespaceScope;
}

/** Metadata children with the namespace scope inside each (domain and `<metadata>` declarations included). */
function metadataRoots(def: DomainDef): Scoped[] {
  let outer = enterScope(new Map(), def.extraAttrs);
  const mdAttrs = def.rest?.['metadata']?.attrs;
  if (mdAttrs !== undefined) outer = enterScope(outer, mdAttrs);
  return def.metadata.map((el) => ({ el, scope: enterScope(outer, el.attrs) }));
}

/** First child named `local` in `ns`; with `orNoNamespace`, an unqualified child matches too. */
function findChild(parent: Scoped, local: string, ns: string, orNoNamespace: boolean): Scoped | undefined {
  for (const el of childElements(parent.el)) {
    if (localName(el.name) !== local) continue;
    const scope = enterScope(parent.scope, el.attrs);
    const elNs = elementNamespace(el.name, scope);
    if (elNs === ns || (orNoNamespace && elNs === '')) return { el, scope };
  }
  return undefined;
}

const attrOf = (s: Scoped | undefined, name: string): string => s?.el.attrs[name] ?? '';
const textOf = (s: Scoped | undefined): string => (s === undefined ? '' : textContent(s.el).trim());

/** The Nova instance metadata (1.1 preferred over 1.0), or undefined when the domain has none. */
export function novaMetadata(def: DomainDef): NovaMetadata | undefined {
  const roots = metadataRoots(def);
  for (const ns of NOVA_NAMESPACES) {
    const inst = roots.find((r) => localName(r.el.name) === 'instance' && elementNamespace(r.el.name, r.scope) === ns);
    if (inst === undefined) continue;
    const owner = findChild(inst, 'owner', ns, false);
    const user = owner === undefined ? undefined : findChild(owner, 'user', ns, false);
    const project = owner === undefined ? undefined : findChild(owner, 'project', ns, false);
    const root = findChild(inst, 'root', ns, false);
    return {
      instanceName: textOf(findChild(inst, 'name', ns, false)),
      flavorName: attrOf(findChild(inst, 'flavor', ns, false), 'name'),
      userName: textOf(user),
      userId: attrOf(user, 'uuid'),
      projectName: textOf(project),
      projectId: attrOf(project, 'uuid'),
      rootType: attrOf(root, 'type'),
      rootUuid: attrOf(root, 'uuid'),
    };
  }
  return undefined;
}

const SIMPLE_PATH = /^[A-Za-z_][\w.-]*(?:\/[A-Za-z_][\w.-]*)*(?:\/@[A-Za-z_][\w.-]*)?$/;

/** True for the allowlisted path form: element local names separated by '/', optionally ending in `/@attr`. */
export function isSimpleMetadataPath(path: string): boolean {
  return SIMPLE_PATH.test(path);
}

/**
 * The value at `path` under `<metadata>`: the first top-level element whose local name is the first
 * segment and whose namespace is `namespace`, then child elements by local name (in `namespace`, or
 * unqualified), then the text (trimmed) or, for a final `@attr`, the unprefixed attribute. Undefined
 * when nothing matches. A path outside the allowlisted form is an INVALID_ARG error.
 */
export function metadataValue(def: DomainDef, namespace: string, path: string): string | undefined {
  if (!isSimpleMetadataPath(path)) {
    throw invalidArg(`metadata path '${path}' is not a simple path (names separated by '/', optional final '@attr')`);
  }
  const segments = path.split('/');
  const last = segments[segments.length - 1] ?? '';
  const attr = last.startsWith('@') ? last.slice(1) : undefined;
  const names = attr === undefined ? segments : segments.slice(0, -1);
  const [first, ...restNames] = names;
  let cur = metadataRoots(def).find((r) => localName(r.el.name) === first && elementNamespace(r.el.name, r.scope) === namespace);
  for (const name of restNames) {
    if (cur === undefined) return undefined;
    cur = findChild(cur, name, namespace, true);
  }
  if (cur === undefined) return undefined;
  if (attr === undefined) return textContent(cur.el).trim();
  return Object.hasOwn(cur.el.attrs, attr) ? cur.el.attrs[attr] : undefined;
}
