/**
 * The request path shared by the UDP agent (v2c and v3) and the AgentX subagent: builds one MIB view per
 * request from the live listing and the snapshot, answers reads, and validates then commits SETs.
 */
import type { Actions } from '../../actions/types.ts';
import type { Logger } from '../../domain/logger.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import { buildRows, guestObjects, rowInstances, type LiveDomain } from './libvirt-mib.ts';
import { CompositeView, MibView, type MibInstance, type MibLookup } from './mib-view.ts';
import type { Oid } from './oid.ts';
import { ErrorStatus, PduType, type Pdu } from './pdu.ts';
import { doRead, type ReadResult } from './read-ops.ts';
import { commitSet } from './set-commit.ts';
import { planSet, type SetAction, type SetPlan } from './set-plan.ts';

/** The live domain listing (every domain, active and inactive). */
export interface LiveListing {
  listDomains(): Promise<readonly LiveDomain[]>;
}

/** Who sent a request and what they may do. */
export interface Principal {
  readonly writable: boolean;
  /** Community or user name for the audit log. */
  readonly actor: string;
}

/** Dependencies of {@link SnmpEngine}. */
export interface EngineOptions {
  readonly snapshot: SnapshotView;
  readonly live: LiveListing;
  readonly actions: Actions;
  readonly logger: Logger;
  readonly listInactive: boolean;
  /** Extra instances of the standalone agent (system group, counters); none in AgentX mode. */
  readonly extra?: () => { readonly instances: MibInstance[]; readonly objects: readonly Oid[] };
}

/** Answers PDUs against the current MIB view. */
export class SnmpEngine {
  readonly #o: EngineOptions;
  #listingFailed = false;
  /** The guest table's view, reused while the snapshot version and the listing are unchanged. */
  #cache: { readonly version: number; readonly key: string; readonly view: MibView } | undefined;
  /** SETs run one after another, so each validates against the state the previous one left. */
  #setChain: Promise<unknown> = Promise.resolve();

  constructor(options: EngineOptions) {
    this.#o = options;
  }

  /** Every domain, from the driver; the snapshot's domains when the listing fails (logged once). */
  async domains(): Promise<readonly LiveDomain[]> {
    try {
      const list = await this.#o.live.listDomains();
      if (this.#listingFailed) this.#o.logger.info('SNMP: domain listing works again');
      this.#listingFailed = false;
      return list;
    } catch (err) {
      if (!this.#listingFailed) this.#o.logger.warn({ err }, 'SNMP: domain listing failed; serving the snapshot');
      this.#listingFailed = true;
      return [...this.#o.snapshot.entries()].map((e) => ({ uuid: e.sample.uuid, name: e.sample.name, state: e.sample.state }));
    }
  }

  /** The current view: guest rows (cached per snapshot version and listing) plus the extra instances. */
  async view(domains?: readonly LiveDomain[]): Promise<MibLookup> {
    const list = domains ?? await this.domains();
    const guests = this.#guestView(list);
    const extra = this.#o.extra?.();
    return extra === undefined ? guests : new CompositeView([guests, new MibView(extra.instances, extra.objects)]);
  }

  #guestView(list: readonly LiveDomain[]): MibView {
    const version = this.#o.snapshot.version;
    let key = '';
    for (const d of list) key += `${d.uuid}\u0000${d.state}\u0000${d.name}\u0001`;
    const hit = this.#cache;
    if (hit !== undefined && hit.version === version && hit.key === key) return hit.view;
    const view = new MibView(buildRows(list, this.#o.snapshot, this.#o.listInactive).flatMap(rowInstances), guestObjects());
    this.#cache = { version, key, view };
    return view;
  }

  /** Answers a GET/GETNEXT/GETBULK/SET; `budget` bounds the encoded varbinds of a GetBulk answer. */
  async handle(pdu: Pdu, who: Principal, budget: number): Promise<ReadResult> {
    if (pdu.type === PduType.SET) {
      const run = this.#setChain.then(() => this.#set(pdu, who));
      this.#setChain = run.catch(() => undefined);
      return run;
    }
    const result = doRead(await this.view(), pdu, budget);
    return result ?? { errorStatus: ErrorStatus.genErr, errorIndex: 0, varbinds: pdu.varbinds };
  }

  async #set(pdu: Pdu, who: Principal): Promise<ReadResult> {
    const plan = await this.validateSet(pdu, who);
    if (!plan.ok) return { errorStatus: plan.errorStatus, errorIndex: plan.errorIndex, varbinds: pdu.varbinds };
    if (plan.action === undefined) return { errorStatus: 0, errorIndex: 0, varbinds: pdu.varbinds };
    const done = await this.commit(plan.action, who);
    return { ...done, varbinds: pdu.varbinds };
  }

  /** SET test phase. */
  async validateSet(pdu: Pick<Pdu, 'varbinds'>, who: Principal): Promise<SetPlan> {
    const domains = who.writable ? await this.domains() : [];
    return planSet(pdu.varbinds, domains, who.writable, this.#o.listInactive);
  }

  /** SET commit phase: one Actions call (two for start-paused). */
  commit(action: SetAction, who: Principal): ReturnType<typeof commitSet> {
    return commitSet(this.#o.actions, action, who.actor, this.#o.logger);
  }
}
