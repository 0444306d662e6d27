/**
 * `list` (cmdList, virshDomainListCollect): running domains by default, filters combined as
 * virConnectListAllDomains does, active domains by id first then inactive ones by name
 * (case-insensitive), printed as a table or as bare names/UUIDs/ids.
 */
import { DomainState, stateToString } from '../../domain/states.ts';
import type { DomainListEntry } from '../../drivers/driver.ts';
import type { CommandDef, ParsedOptions } from '../command-def.ts';
import { formatTable } from '../format/table.ts';
import { exclusive } from './common.ts';

/** Keeps the entries `list`'s options select. */
export function filterDomains(all: readonly DomainListEntry[], opts: ParsedOptions): DomainListEntry[] {
  let wantActive = true;
  let wantInactive = false;
  if (opts.bool('inactive') || opts.bool('state-shutoff')) {
    wantActive = false;
    wantInactive = true;
  }
  if (opts.bool('all')) wantActive = wantInactive = true;
  const pair = (yes: string, no: string, value: boolean): boolean => {
    const a = opts.bool(yes);
    const b = opts.bool(no);
    return (!a && !b) || (a && value) || (b && !value);
  };
  const states = {
    running: opts.bool('state-running'),
    paused: opts.bool('state-paused'),
    shutoff: opts.bool('state-shutoff'),
    other: opts.bool('state-other'),
  };
  const anyState = states.running || states.paused || states.shutoff || states.other;
  return all.filter((d) => {
    const active = d.id !== -1;
    if (!((active && wantActive) || (!active && wantInactive))) return false;
    if (!pair('persistent', 'transient', d.persistent)) return false;
    if (!pair('autostart', 'no-autostart', d.autostart)) return false;
    if (!pair('with-managed-save', 'without-managed-save', d.managedSave)) return false;
    if (anyState) {
      const s = d.state;
      const other = s !== DomainState.RUNNING && s !== DomainState.PAUSED && s !== DomainState.SHUTOFF;
      if (!((states.running && s === DomainState.RUNNING) || (states.paused && s === DomainState.PAUSED) ||
        (states.shutoff && s === DomainState.SHUTOFF) || (states.other && other))) return false;
    }
    return true;
  });
}

/** virshDomainSorter: active by id, then inactive by name with an ASCII case-insensitive compare. */
export function sortDomains<T extends { readonly id: number; readonly name: string }>(list: readonly T[]): T[] {
  const lower = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase());
  return [...list].sort((a, b) => {
    const ia = a.id !== -1;
    const ib = b.id !== -1;
    if (ia && ib) return a.id - b.id;
    if (ia !== ib) return ia ? -1 : 1;
    const la = lower(a.name);
    const lb = lower(b.name);
    return la < lb ? -1 : la > lb ? 1 : 0;
  });
}

/** Renders the sorted, filtered entries as `list` prints them. */
export function formatList(entries: readonly DomainListEntry[], opts: ParsedOptions, quiet: boolean): string {
  const optUuid = opts.bool('uuid');
  const optName = opts.bool('name');
  const optId = opts.bool('id');
  const optTitle = opts.bool('title');
  const table = opts.bool('table') || (!optUuid && !optName && !optId);
  if (!table) {
    let out = '';
    for (const d of entries) {
      const idText = d.id === -1 ? '-' : String(d.id);
      const parts: string[] = [];
      if (optUuid) parts.push(d.uuid);
      if (optId) {
        // --id alone lists running domains only.
        if (d.id === -1 && !optUuid && !optName) continue;
        parts.push(idText);
      }
      if (optName) parts.push(d.name);
      out += `${parts.join(' ')}\n`;
    }
    return out;
  }
  const header = ['Id', 'Name', 'State'];
  if (optTitle) header.push('Title');
  if (optUuid) header.push('UUID');
  const rows = entries.map((d) => {
    const state = opts.bool('managed-save') && d.state === DomainState.SHUTOFF && d.managedSave
      ? 'saved'
      : stateToString(d.state);
    const row = [d.id === -1 ? '-' : String(d.id), d.name, state];
    if (optTitle) row.push(d.title ?? '');
    if (optUuid) row.push(d.uuid);
    return row;
  });
  return formatTable({ header, rows }, !quiet);
}

const flag = (name: string, help: string) => ({ name, type: 'bool', help }) as const;

/** Lists domains. */
export const list: CommandDef = {
  name: 'list',
  group: 'monitor',
  help: 'list domains',
  desc: 'Returns list of domains.',
  options: [
    flag('inactive', 'list inactive domains'),
    flag('all', 'list inactive & active domains'),
    flag('transient', 'list transient domains'),
    flag('persistent', 'list persistent domains'),
    flag('state-running', 'list domains in running state'),
    flag('state-paused', 'list domains in paused state'),
    flag('state-shutoff', 'list domains in shutoff state'),
    flag('state-other', 'list domains in other states'),
    flag('autostart', 'list domains with autostart enabled'),
    flag('no-autostart', 'list domains with autostart disabled'),
    flag('with-managed-save', 'list domains with managed save state'),
    flag('without-managed-save', 'list domains without managed save'),
    flag('uuid', "list uuid's only"),
    flag('name', 'list domain names only'),
    flag('id', 'list domain IDs only'),
    flag('table', 'list table (default)'),
    flag('managed-save', 'mark inactive domains with managed save state'),
    flag('title', 'show domain title'),
  ],
  async run({ session }, opts) {
    if (!exclusive(session, opts, 'table', 'name') || !exclusive(session, opts, 'table', 'id')) return false;
    let all: DomainListEntry[];
    try {
      all = await session.conn.listAllDomains();
    } catch (err) {
      session.out.error('Failed to list domains');
      session.report(err);
      return false;
    }
    session.out.print(formatList(sortDomains(filterDomains(all, opts)), opts, session.out.quiet));
    return true;
  },
};
