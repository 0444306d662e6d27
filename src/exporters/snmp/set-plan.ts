/**
 * SET validation (RFC 3416 §4.2.5 with libvirt-snmp's transition rules, reference §4): every varbind is
 * checked before anything acts, and the outcome is at most one domain action. Pure: it sees the live
 * listing and the request, never a driver.
 */
import { Col, GUEST_ENTRY, RowStatus, isRow, type LiveDomain } from './libvirt-mib.ts';
import { startsWith } from './oid.ts';
import { ErrorStatus, type ErrorStatusCode } from './pdu.ts';
import type { VarBind } from './values.ts';
import { uuidFromBytes } from '../../domain/domain-ref.ts';

/** What a valid SET does. `start` may be followed by a suspend when the PDU asked for paused. */
export interface SetAction {
  readonly action: 'suspend' | 'resume' | 'shutdown' | 'start' | 'destroy';
  readonly uuid: string;
  readonly name: string;
  readonly startPaused?: boolean;
  /** 1-based varbind that carries the action (error-index of a commit failure). */
  readonly index: number;
}

/** Outcome of validation: an error at a varbind, or the action to commit (none for a no-op SET). */
export type SetPlan =
  | { readonly ok: false; readonly errorStatus: ErrorStatusCode; readonly errorIndex: number }
  | { readonly ok: true; readonly action?: SetAction };

const STATE_RUNNING = 1;
const STATE_PAUSED = 3;
const STATE_SHUTDOWN = 4;

interface Target { readonly col: number; readonly key: string; readonly domain: LiveDomain | undefined; readonly validIndex: boolean }

function target(oid: readonly number[], byUuid: ReadonlyMap<string, LiveDomain>): Target | undefined {
  if (!startsWith(oid, GUEST_ENTRY) || oid.length <= GUEST_ENTRY.length) return undefined;
  const col = oid[GUEST_ENTRY.length]!;
  const index = oid.slice(GUEST_ENTRY.length + 1);
  const validIndex = index.length === 16 && index.every((b) => b <= 255);
  const key = validIndex ? uuidFromBytes(index) : index.join('.');
  return { col, key, validIndex, domain: validIndex ? byUuid.get(key) : undefined };
}

/**
 * Validates a SET. `writable` is false for a read-only community or user (noAccess at varbind 1).
 * `domains` is every domain of the connection, active and inactive.
 */
export function planSet(varbinds: readonly VarBind[], domains: readonly LiveDomain[], writable: boolean, listInactive: boolean): SetPlan {
  if (!writable) return { ok: false, errorStatus: ErrorStatus.noAccess, errorIndex: varbinds.length === 0 ? 0 : 1 };
  const byUuid = new Map(domains.map((d) => [d.uuid, d]));
  const fail = (errorStatus: ErrorStatusCode, i: number): SetPlan => ({ ok: false, errorStatus, errorIndex: i + 1 });
  // createAndGo targets, so a State varbind for the same row can ride along (start paused).
  const creating = new Set<string>();
  const stateWith = new Map<string, number>();
  for (const vb of varbinds) {
    const t = target(vb.oid, byUuid);
    if (t?.col === Col.ROW_STATUS && vb.value.type === 'integer' && vb.value.value === RowStatus.createAndGo) creating.add(t.key);
    if (t?.col === Col.STATE && vb.value.type === 'integer') stateWith.set(t.key, vb.value.value);
  }
  let action: SetAction | undefined;
  const take = (next: SetAction, i: number): SetPlan | undefined => {
    if (action !== undefined && !(action.action === 'start' && next.action === 'start' && action.uuid === next.uuid)) {
      return fail(ErrorStatus.inconsistentValue, i);
    }
    action = action ?? next;
    return undefined;
  };
  for (let i = 0; i < varbinds.length; i++) {
    const vb = varbinds[i]!;
    const t = target(vb.oid, byUuid);
    if (t === undefined || (t.col !== Col.STATE && t.col !== Col.ROW_STATUS)) return fail(ErrorStatus.notWritable, i);
    if (vb.value.type !== 'integer') return fail(ErrorStatus.wrongType, i);
    const v = vb.value.value;
    if (v < 1 || v > 6) return fail(ErrorStatus.wrongValue, i);
    if (t.col === Col.ROW_STATUS && (v === RowStatus.createAndWait || v === RowStatus.notReady)) return fail(ErrorStatus.wrongValue, i);
    if (!t.validIndex || t.domain === undefined) return fail(ErrorStatus.noCreation, i);
    const d = t.domain;
    const rowExists = isRow(d, listInactive);
    const active = d.state !== 5 && d.state !== 0;
    if (t.col === Col.STATE) {
      if (creating.has(t.key) && !active) {
        if (v !== STATE_RUNNING && v !== STATE_PAUSED) return fail(ErrorStatus.inconsistentValue, i);
        const err = take({ action: 'start', uuid: d.uuid, name: d.name, startPaused: v === STATE_PAUSED, index: i + 1 }, i);
        if (err !== undefined) return err;
        continue;
      }
      if (!rowExists) return fail(ErrorStatus.inconsistentName, i);
      const next = stateAction(d.state, v);
      if (next === undefined) return fail(ErrorStatus.inconsistentValue, i);
      const err = take({ action: next, uuid: d.uuid, name: d.name, index: i + 1 }, i);
      if (err !== undefined) return err;
      continue;
    }
    // RowStatus.
    if (v === RowStatus.createAndGo) {
      if (active) return fail(ErrorStatus.inconsistentValue, i);
      const err = take({ action: 'start', uuid: d.uuid, name: d.name, startPaused: stateWith.get(t.key) === STATE_PAUSED, index: i + 1 }, i);
      if (err !== undefined) return err;
    } else if (v === RowStatus.destroy) {
      if (!active) continue;
      const err = take({ action: 'destroy', uuid: d.uuid, name: d.name, index: i + 1 }, i);
      if (err !== undefined) return err;
    } else if (v === RowStatus.active) {
      if (!rowExists) return fail(ErrorStatus.inconsistentValue, i);
    } else {
      // notInService: taking a row out of service is not supported (libvirt-snmp fails it at commit).
      return fail(rowExists ? ErrorStatus.wrongValue : ErrorStatus.inconsistentValue, i);
    }
  }
  return action === undefined ? { ok: true } : { ok: true, action };
}

/** libvirt-snmp's allowed libvirtGuestState transitions on the real driver state. */
function stateAction(driverState: number, requested: number): SetAction['action'] | undefined {
  if (driverState === 1 && requested === STATE_PAUSED) return 'suspend';
  if (driverState === 3 && requested === STATE_RUNNING) return 'resume';
  if (driverState === 1 && requested === STATE_SHUTDOWN) return 'shutdown';
  return undefined;
}
