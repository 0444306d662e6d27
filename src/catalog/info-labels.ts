/**
 * Label values of the definition-derived info metrics (metrics.md §3 "Info metrics", §7 Tinkoff metas),
 * computed once per series plan. Each function returns label value rows aligned with the row's
 * `labelNames` (domain first). Missing XML attributes are empty strings (inovex).
 */
import type { DiskDef, DomainDef, InterfaceDef } from '../domain/def.ts';
import { novaMetadata } from '../domain/metadata.ts';
import { firstChild } from '../domain/xml-query.ts';
import { cleanLabelValue } from './label-value.ts';

/** A disk as the plan sees it: its definition and its target name. */
export interface PlanDisk {
  readonly target: string;
  readonly def: DiskDef | undefined;
}

/** An interface as the plan sees it: its definition (by XML position) and its target (tap) name. */
export interface PlanNic {
  readonly target: string;
  readonly def: InterfaceDef | undefined;
}

/** Inputs the info label functions share. */
export interface InfoContext {
  readonly domain: string;
  readonly uuid: string;
  readonly def: DomainDef;
  /** Disks for info rows: from the definition, cdrom and floppy skipped. */
  readonly disks: readonly PlanDisk[];
  /** Interfaces for info rows: those with a target device. */
  readonly nics: readonly PlanNic[];
}

const s = (v: string | number | undefined): string => (v === undefined ? '' : cleanLabelValue(String(v)));

/** `source_file`: the file of a file-backed disk (`source/@file`); other disk types have none. */
function sourceFile(d: DiskDef | undefined): string {
  return d !== undefined && d.type === 'file' ? s(d.source) : '';
}

/** `virtualport/parameters/@interfaceid` from the interface's kept-verbatim children. */
function interfaceId(n: InterfaceDef | undefined): string {
  const vp = n?.extra.find((e) => e.name === 'virtualport');
  const params = vp === undefined ? undefined : firstChild(vp, 'parameters');
  return s(params?.attrs['interfaceid']);
}

type InfoRows = (ctx: InfoContext) => string[][];

/** Label rows per info metric name. */
export const INFO_LABELS: ReadonlyMap<string, InfoRows> = new Map<string, InfoRows>([
  ['libvirt_domain_info', (c) => [[c.domain, s(c.def.os.type), s(c.def.os.arch), s(c.def.os.machine)]]],
  ['libvirt_domain_openstack_info', (c) => {
    const n = novaMetadata(c.def);
    return [[c.domain, s(n?.instanceName), s(c.uuid), s(n?.flavorName), s(n?.userName), s(n?.userId),
      s(n?.projectName), s(n?.projectId)]];
  }],
  ['libvirt_domain_block_stats_info', (c) => c.disks.map(({ target, def: d }) => [
    c.domain, s(d?.type), s(d?.target.bus), s(d?.driver?.name), s(d?.driver?.type), s(d?.driver?.cache),
    s(d?.driver?.discard), sourceFile(d), s(d?.sourceProtocol), s(target), s(d?.serial),
  ])],
  ['libvirt_domain_interface_stats_info', (c) => c.nics.map(({ target, def: n }) => [
    c.domain, s(n?.type), s(n?.source?.bridge), s(target), s(n?.mac), s(n?.model), s(n?.mtu),
  ])],
  ['libvirt_domain_info_meta', (c) => {
    const n = novaMetadata(c.def);
    return [[c.domain, s(c.uuid), s(n?.instanceName), s(n?.flavorName), s(n?.userName), s(n?.userId),
      s(n?.projectName), s(n?.projectId), s(n?.rootType), s(n?.rootUuid)]];
  }],
  ['libvirt_domain_block_meta', (c) => c.disks.map(({ target, def: d }) => [
    c.domain, s(target), sourceFile(d), s(d?.serial), s(d?.target.bus), s(d?.type), s(d?.driver?.type),
    s(d?.driver?.cache), s(d?.driver?.discard),
  ])],
  ['libvirt_domain_interface_meta', (c) => c.nics.map(({ target, def: n }) => [
    c.domain, s(n?.source?.bridge), s(target), interfaceId(n),
  ])],
]);
