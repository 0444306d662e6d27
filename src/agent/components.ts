/**
 * THE LIST of what the agent runs besides its driver, collection and control API. Exporters, the
 * alert engine and anything else with a lifecycle join here as factories, in start order (stop runs
 * in reverse); HTTP features (the Prometheus `/metrics` plugin, a status page) join HTTP_PLUGINS and
 * are registered on the shared 127.0.0.1:9177 listener. A factory returns `undefined` when its config
 * block leaves it off. `createActions` is where the guarded Actions service replaces the direct one.
 */
import type { Registry } from 'prom-client';
import type { Actions } from '../actions/types.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import type { DomainEventListener } from '../domain/events.ts';
import type { Logger } from '../domain/logger.ts';
import type { Connection } from '../drivers/dispatch.ts';
import type { Collection } from '../collectors/collection.ts';
import type { SnapshotView } from '../snapshot/types.ts';
import type { HttpPlugin } from '../http/app.ts';
import { auditComponent, guardedActions } from './wiring/actions.ts';
import { alertmanagerPlugin, alertsComponent } from './wiring/alerts.ts';
import type { AgentLinks } from './wiring/links.ts';
import { otelComponent } from './wiring/otel.ts';
import { metricsPlugin } from './wiring/prometheus.ts';
import { snmpComponent } from './wiring/snmp.ts';
import { statusPagePlugin } from './wiring/status.ts';

/** Anything the agent starts and stops. */
export interface Component {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What a component or plugin factory may use. Exporters take `snapshot`, never `conn` (DESIGN.md). */
export interface AgentContext {
  readonly config: ResolvedConfig;
  /** The config file the agent loaded (for messages). */
  readonly configFile: string;
  readonly logger: Logger;
  readonly snapshot: SnapshotView;
  readonly collection: Collection;
  /** The one path that changes domains (SNMP SET, alert rules, the API). */
  readonly actions: Actions;
  /** Domain events of the connection (SNMP traps, alert rules); returns the unsubscribe function. */
  readonly onDomainEvent: (listener: DomainEventListener) => () => void;
  /** The driver connection: for the control API and the Actions service only. */
  readonly conn: Connection;
  /** virtmon's version. */
  readonly version: string;
  /** The agent's prom-client registry: self metrics, remediation and notification counters. */
  readonly registry: Registry;
  /** The agent's run directory (pidfile, sockets, snmpEngineBoots). */
  readonly runDir: string;
  /** Shared parts bound as they are built (actions service, alert engine, audit trail). */
  readonly links: AgentLinks;
}

/** Builds a component from the agent's context, or `undefined` when the config leaves it off. */
export type ComponentFactory = (ctx: AgentContext) => Component | undefined;
/** Builds an HTTP plugin for the shared listener, or `undefined` when the config leaves it off. */
export type HttpPluginFactory = (ctx: AgentContext) => HttpPlugin | undefined;
/** Builds the Actions service over the connection (ctx has everything but `actions`). */
export type ActionsFactory = (ctx: Omit<AgentContext, 'actions'>) => Actions;

/** Components in start order (stopped in reverse: the audit log closes last). */
export const COMPONENTS: readonly ComponentFactory[] = [auditComponent, snmpComponent, alertsComponent, otelComponent];

/** Plugins of the HTTP listener, in registration order. */
export const HTTP_PLUGINS: readonly HttpPluginFactory[] = [metricsPlugin, statusPagePlugin, alertmanagerPlugin];

/** The guarded Actions service (limits, audit, dry-run): the one path that changes domains. */
export const createActions: ActionsFactory = guardedActions;
