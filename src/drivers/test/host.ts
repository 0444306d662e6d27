/**
 * One test hypervisor's state: node info, the domain list, managed-save images, the event hub and the
 * clock. The operations (lifecycle.ts, config-ops.ts) change it only through the primitives here, so
 * every state change also moves the synthetic counters and every event carries the domain as it is
 * after the change (as libvirt builds events from the object after the transition).
 */
import type { DomainDef } from '../../domain/def.ts';
import { LifecycleType } from '../../domain/events.ts';
import type { DomainEvent, LifecycleTypeCode } from '../../domain/events.ts';
import { DomainState } from '../../domain/states.ts';
import type { DomainStateCode } from '../../domain/states.ts';
import { DomainList } from '../common/domain-list.ts';
import type { DomainObj } from '../common/domain-list.ts';
import { EventHub } from '../common/event-hub.ts';
import type { ListenerErrorHandler } from '../common/event-hub.ts';
import type { NodeInfo } from '../driver.ts';
import { SyntheticStats } from './synthetic-stats.ts';

/** The test driver's private data on each domain object. */
export interface TestDomainPriv {
  readonly stats: SyntheticStats;
  /** Destroy this domain when the connection closes (VIR_DOMAIN_START_AUTODESTROY). */
  autodestroy: boolean;
}

/** A domain of the test driver. */
export type TestDomain = DomainObj<TestDomainPriv>;

/** A managed-save image kept in memory (the qemu driver keeps it in `save/NAME.save`). */
export interface ManagedImage {
  readonly def: DomainDef;
  readonly wasRunning: boolean;
}

/** Construction options of a {@link TestHost}. */
export interface TestHostOptions {
  readonly nodeInfo: NodeInfo;
  /** Wall clock, ms since the epoch. */
  readonly clock: () => number;
  /** Where listener exceptions go (never back into the driver). */
  readonly onListenerError: ListenerErrorHandler;
}

/** The in-memory host behind one test connection. */
export class TestHost {
  readonly nodeInfo: NodeInfo;
  readonly clock: () => number;
  readonly domains: DomainList<TestDomainPriv>;
  readonly events: EventHub;
  /** Managed-save images by domain UUID. */
  readonly managedImages = new Map<string, ManagedImage>();

  constructor(options: TestHostOptions) {
    this.nodeInfo = options.nodeInfo;
    this.clock = options.clock;
    this.events = new EventHub(options.onListenerError);
    this.domains = new DomainList<TestDomainPriv>((def) => ({
      stats: new SyntheticStats(def.uuid, options.clock),
      autodestroy: false,
    }));
  }

  /** Changes state and reason; the counters run only while RUNNING. */
  setState(obj: TestDomain, state: DomainStateCode, reason: number): void {
    obj.setState(state, reason);
    obj.priv.stats.setRunning(state === DomainState.RUNNING);
  }

  /** Boots a domain: new id, counters from zero, RUNNING or PAUSED with `reason`. */
  boot(obj: TestDomain, state: DomainStateCode, reason: number): void {
    this.domains.markStarted(obj, state, reason);
    obj.priv.stats.boot(state === DomainState.RUNNING);
    obj.priv.autodestroy = false;
    this.managedImages.delete(obj.uuid);
  }

  /** Stops a domain (SHUTOFF/`reason`) and emits STOPPED/`detail`; a transient one leaves the list. */
  stop(obj: TestDomain, reason: number, detail: number): void {
    obj.priv.stats.setRunning(false);
    this.domains.markStopped(obj, reason);
    this.lifecycle(obj, LifecycleType.STOPPED, detail);
  }

  /** Emits a lifecycle event for the domain as it is now. */
  lifecycle(obj: TestDomain, type: LifecycleTypeCode, detail: number): void {
    this.emit({ kind: 'lifecycle', domain: obj.ref, time: this.clock(), type, detail });
  }

  /** Emits a REBOOT event. */
  reboot(obj: TestDomain): void {
    this.emit({ kind: 'reboot', domain: obj.ref, time: this.clock() });
  }

  emit(event: DomainEvent): void {
    this.events.emit(event);
  }
}
