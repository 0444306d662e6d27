/**
 * OpenStack Nova's instance metadata (metrics.md §9): `<nova:instance>` in the domain's `<metadata>`,
 * namespace …/nova/1.1, then …/1.0. A stand-in with the same name and shape as `novaMetadata(def)` of
 * src/domain/metadata.ts (xml branch), until that lands on main; then this module re-exports it.
 */
import type { DomainDef } from '../domain/def.ts';
import { attr, child, findMetadataRoot, textContent } from './xml-tree.ts';

/** Nova metadata namespaces, preferred first. */
export const NOVA_NAMESPACES = [
  'http://openstack.org/xmlns/libvirt/nova/1.1',
  'http://openstack.org/xmlns/libvirt/nova/1.0',
] as const;

/** What the exporters read from Nova metadata; every field is '' when Nova did not write it. */
export interface NovaMetadata {
  /** `nova:name`: the instance's display name. */
  readonly instanceName: string;
  /** `nova:flavor/@name`. */
  readonly flavorName: string;
  /** `nova:owner/nova:user` text and `@uuid`. */
  readonly userName: string;
  readonly userId: string;
  /** `nova:owner/nova:project` text and `@uuid`. */
  readonly projectName: string;
  readonly projectId: string;
  /** `nova:root/@type` and `@uuid` (Tinkoff's alias only). */
  readonly rootType: string;
  readonly rootUuid: string;
}

/** Nova metadata of a domain, or undefined when it has none. */
export function novaMetadata(def: DomainDef): NovaMetadata | undefined {
  const inst = findMetadataRoot(def, NOVA_NAMESPACES);
  if (inst === undefined) return undefined;
  const name = child(inst, 'name');
  const flavor = child(inst, 'flavor');
  const owner = child(inst, 'owner');
  const user = owner && child(owner, 'user');
  const project = owner && child(owner, 'project');
  const root = child(inst, 'root');
  return {
    instanceName: name ? textContent(name).trim() : '',
    flavorName: (flavor && attr(flavor, 'name')) ?? '',
    userName: user ? textContent(user).trim() : '',
    userId: (user && attr(user, 'uuid')) ?? '',
    projectName: project ? textContent(project).trim() : '',
    projectId: (project && attr(project, 'uuid')) ?? '',
    rootType: (root && attr(root, 'type')) ?? '',
    rootUuid: (root && attr(root, 'uuid')) ?? '',
  };
}
