/**
 * The SNMP bridge component: LIBVIRT-MIB served from the snapshot and the live listing, as a standalone
 * UDP agent (v2c, v3 USM) or an AgentX subagent of the host's snmpd, with libvirtGuestNotif on every
 * lifecycle event. Built by the agent's composition root; `start()`/`stop()` own every socket.
 */
import { hostname, release, type } from 'node:os';
import type { TrapSender } from '../../actions/notify/notifier.ts';
import type { Notification } from '../../actions/notify/types.ts';
import type { Actions } from '../../actions/types.ts';
import type { RawConfig } from '../../config/schema.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { DomainEvent, DomainEventListener } from '../../domain/events.ts';
import type { Logger } from '../../domain/logger.ts';
import type { SnapshotView } from '../../snapshot/types.ts';
import { AgentxSubagent } from './agentx-subagent.ts';
import { SnmpEngine, type LiveListing } from './engine.ts';
import { Notifier } from './notifier.ts';
import { parseOid } from './oid.ts';
import { PduTally } from './pdu-tally.ts';
import { buildSinks, buildUsm } from './usm-config.ts';
import { COLD_START, SNMP_TRAP_OID_0, SYS_UPTIME_0, newCounters, systemInstances, systemObjects, type SnmpCounters } from './system-mib.ts';
import { guestNotifVarBinds } from './traps.ts';
import { UdpAgent } from './udp-agent.ts';
import { V } from './values.ts';
import { alertNotifVarBinds } from './virtmon-mib.ts';

/** The `snmp` config block as validated. */
export type SnmpConfig = RawConfig['snmp'];

/** Dependencies of {@link SnmpBridge}. */
export interface SnmpBridgeOptions {
  readonly config: SnmpConfig;
  readonly snapshot: SnapshotView;
  /** Every domain of the connection with its live state (a Connection's listAllDomains fits). */
  readonly live: LiveListing;
  readonly actions: Actions;
  /** Subscribes to domain events (a Connection's onDomainEvent fits); returns the unsubscribe function. */
  readonly subscribeEvents: (listener: DomainEventListener) => () => void;
  readonly logger: Logger;
  /** sysDescr and sysName; defaults from the host. */
  readonly system?: { readonly descr?: string; readonly name?: string };
  /** Milliseconds clock for sysUpTime and snmpEngineTime (default Date.now). */
  readonly now?: () => number;
  /**
   * snmpEngineBoots (RFC 3414): the agent should persist it and pass a larger value on every start so
   * v3 messages captured before a restart cannot be replayed. Default 1.
   */
  readonly engineBoots?: number;
}

/** The running bridge; as a {@link TrapSender} it sends alert rules' `trap` actions (virtmonAlertNotif). */
export class SnmpBridge implements TrapSender {
  readonly #o: SnmpBridgeOptions;
  readonly counters: SnmpCounters = newCounters();
  /** PDUs by type and result (virtmon_snmp_pdus_total). */
  readonly pdus = new PduTally();
  readonly #engine: SnmpEngine;
  readonly #now: () => number;
  #startedAt = 0;
  #udp: UdpAgent | undefined;
  #agentx: AgentxSubagent | undefined;
  #notifier: Notifier | undefined;
  #unsubscribe: (() => void) | undefined;
  readonly #usm: ReturnType<typeof buildUsm>;
  readonly #sinks: ReturnType<typeof buildSinks>;

  constructor(options: SnmpBridgeOptions) {
    this.#o = options;
    this.#now = options.now ?? Date.now;
    const c = options.config;
    this.#usm = c.mode === 'agent' ? buildUsm(c, this.counters, () => this.uptimeSeconds(), options.engineBoots ?? 1) : undefined;
    // Validated here so a bad sink stops the agent before anything starts.
    this.#sinks = c.mode === 'agent' ? buildSinks(c, this.#usm) : [];
    const sys = {
      descr: options.system?.descr ?? `virtmon ${type()} ${release()}`,
      objectId: parseOid(c.system.objectId),
      contact: c.system.contact,
      name: c.system.name ?? options.system?.name ?? hostname(),
      location: c.system.location,
    };
    const usm = this.#usm;
    this.#engine = new SnmpEngine({
      snapshot: options.snapshot, live: options.live, actions: options.actions, logger: options.logger,
      listInactive: c.listInactive,
      ...(c.mode === 'agent' ? {
        extra: () => ({
          instances: systemInstances(sys, this.uptime(), this.counters, usm?.engineInfo()),
          objects: systemObjects(usm !== undefined),
        }),
      } : {}),
    });
  }

  /** 1/100 s since start (sysUpTime). */
  uptime(): number {
    return Math.floor((this.#now() - this.#startedAt) / 10);
  }

  /** Seconds since start (snmpEngineTime). */
  uptimeSeconds(): number {
    return Math.floor((this.#now() - this.#startedAt) / 1000);
  }

  /** The UDP address of the standalone agent (after start). */
  address(): { address: string; port: number } | undefined {
    return this.#udp?.address();
  }

  /** Binds the agent or connects to the master, and starts sending notifications. */
  async start(): Promise<void> {
    const c = this.#o.config;
    this.#startedAt = this.#now();
    const logger = this.#o.logger;
    if (c.mode === 'agent') {
      const colon = c.listen.lastIndexOf(':');
      this.#udp = new UdpAgent({
        engine: this.#engine, counters: this.counters, tally: this.pdus, logger,
        host: c.listen.slice(0, colon).replace(/^\[|\]$/g, ''), port: Number(c.listen.slice(colon + 1)),
        ro: c.communities.ro, rw: c.communities.rw, maxMessageSize: c.maxMessageSize,
        ...(this.#usm === undefined ? {} : { usm: this.#usm }),
      });
      await this.#udp.start();
      this.#notifier = new Notifier(this.#sinks, logger, this.pdus);
      this.#notifier.send([
        { oid: SYS_UPTIME_0, value: V.timeticks(0) }, { oid: SNMP_TRAP_OID_0, value: V.oid(COLD_START) },
      ]);
      logger.info({ listen: this.#udp.address() }, 'SNMP agent listening');
    } else {
      this.#agentx = new AgentxSubagent({ engine: this.#engine, target: c.agentx, logger, uptime: () => this.uptime() });
      await this.#agentx.start();
    }
    this.#unsubscribe = this.#o.subscribeEvents((e) => { this.#onEvent(e); });
  }

  /** Stops everything start() began. */
  async stop(): Promise<void> {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    this.#notifier?.close();
    this.#notifier = undefined;
    await this.#udp?.stop();
    this.#udp = undefined;
    await this.#agentx?.stop();
    this.#agentx = undefined;
  }

  /** Informs the sinks acknowledged. */
  get informsAcknowledged(): number {
    return this.#notifier?.acknowledged ?? 0;
  }

  /** AgentX mode: true while registered with the master. */
  get agentxRegistered(): boolean {
    return this.#agentx?.registered ?? false;
  }

  /** Notifications sent so far (standalone) or Notify PDUs sent (AgentX). */
  get notificationsSent(): number {
    return (this.#notifier?.sent ?? 0) + (this.#agentx?.notifies ?? 0);
  }

  /**
   * Sends virtmonAlertNotif for a rule's notification to every sink (agent mode) or through the
   * master (AgentX). Rejects when the bridge is not running, has no sinks, or no sink took the trap,
   * so the rule's audit line says the trap failed.
   */
  async sendTrap(n: Notification): Promise<void> {
    const varbinds = alertNotifVarBinds(n, this.uptime(), this.#o.config.trapInstance);
    if (this.#agentx !== undefined) {
      this.#agentx.notify(varbinds);
      return;
    }
    if (this.#notifier === undefined) throw new VirtmonError('VIR_ERR_OPERATION_INVALID', 'the SNMP bridge is not running; no trap sent');
    if (this.#sinks.length === 0) throw new VirtmonError('VIR_ERR_OPERATION_INVALID', 'snmp.sinks is empty; no trap sent');
    const r = await this.#notifier.deliver(varbinds);
    if (r.failed === r.sinks) throw new VirtmonError('VIR_ERR_SYSTEM_ERROR', `the trap could not be sent to any of the ${r.sinks} SNMP sink(s)`);
  }

  #onEvent(event: DomainEvent): void {
    if (event.kind !== 'lifecycle') return;
    // A DEFINED event (e.g. a running domain's definition updated) keeps whatever state the domain has.
    const known = this.#o.snapshot.get(event.domain.uuid)?.sample.state;
    const varbinds = guestNotifVarBinds(event, this.uptime(), this.#o.config.trapInstance, known);
    if (this.#notifier !== undefined) this.#notifier.send(varbinds);
    this.#agentx?.notify(varbinds);
  }
}
