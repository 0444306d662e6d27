/**
 * The composition root (DESIGN.md's src/agent.ts): from a resolved config it takes the pidfile, opens
 * the driver connection (the qemu driver reconnects to running QEMUs itself), starts autostart
 * domains, starts the collection and the components of components.ts, and serves the control API
 * (read-write and read-only unix sockets, optional TCP) and the HTTP listener. `stop()` undoes it in
 * reverse and leaves every domain running.
 */
import { join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { httpsOptions } from '../exporters/prometheus/index.ts';
import { buildApiServer, type ApiSecurity } from '../api/server.ts';
import { FileAuditLog } from '../actions/audit-log.ts';
import { apiAuditLine } from '../security/audit-entry.ts';
import { connectionSource, createCollection, type Collection } from '../collectors/collection.ts';
import { sampleOnce } from '../collectors/sample-once.ts';
import { STATS_GROUPS } from '../domain/sample.ts';
import { configProblemAt } from '../config/problem.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { VirtmonError } from '../domain/errors.ts';
import type { Logger } from '../domain/logger.ts';
import type { QmpObserver } from '../domain/qmp-observer.ts';
import { openConnection, type Connection } from '../drivers/dispatch.ts';
import type { HypervisorDriver } from '../drivers/driver.ts';
import { READ_ONLY_SOCKET_NAME, SOCKET_NAME } from '../drivers/remote/socket-path.ts';
import { buildServer, parseListen } from '../http/app.ts';
import { startAutostartDomains } from './autostart.ts';
import { COMPONENTS, HTTP_PLUGINS, createActions, type AgentContext, type Component, type ComponentFactory, type HttpPluginFactory, type ActionsFactory } from './components.ts';
import { listenUnix } from './listen.ts';
import { apiPlugins } from './wiring/api.ts';
import { qmpMetricsObserver } from './wiring/qmp-metrics.ts';
import { acquirePidfile, type Pidfile } from './pidfile.ts';

/** Inputs of {@link createAgent}. */
export interface AgentOptions {
  readonly config: ResolvedConfig;
  readonly configFile: string;
  /** The agent's driver table (test, qemu). */
  readonly drivers: readonly HypervisorDriver[];
  /** Directory of the pidfile and default sockets (config agent.runDir or the URI's default). */
  readonly runDir: string;
  readonly logger: Logger;
  /** fastify's logger (the same pino instance in production); none in tests. */
  readonly httpLogger?: FastifyBaseLogger;
  readonly version: string;
  /** Defaults: the lists of components.ts. */
  readonly components?: readonly ComponentFactory[];
  readonly httpPlugins?: readonly HttpPluginFactory[];
  readonly createActions?: ActionsFactory;
}

/** Where a running agent can be reached. */
export interface AgentAddresses {
  readonly socket: string;
  readonly readOnlySocket: string;
  /** `host:port` actually bound (port 0 resolved). */
  readonly http: string;
  readonly tcp?: string;
}

/** A started agent. */
export interface RunningAgent {
  readonly addresses: AgentAddresses;
  readonly context: AgentContext;
  /** Stops serving, stops collection and components, closes the connection; domains keep running. */
  stop(): Promise<void>;
}

/** Starts everything; on a failure, whatever already started is stopped again before the error is thrown. */
export async function startAgent(options: AgentOptions): Promise<RunningAgent> {
  const { config, logger } = options;
  const undo: { name: string; run: () => Promise<void> }[] = [];
  const stopAll = async (): Promise<void> => {
    for (const step of undo.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        logger.error({ err, step: step.name }, 'stop step failed');
      }
    }
  };
  try {
    await mkdir(options.runDir, { recursive: true, mode: 0o755 });
    const pidfile: Pidfile = await acquirePidfile(join(options.runDir, 'virtmon.pid'));
    undo.push({ name: 'pidfile', run: () => pidfile.release() });

    // The registry exists before the driver opens: the driver's QMP observer feeds it from the first command.
    const registry = new Registry();
    const conn: Connection = await openDriver(options, qmpMetricsObserver(registry));
    undo.push({ name: 'connection', run: () => conn.close() });
    logger.info({ uri: config.uri.raw, driver: conn.driverName }, 'connection open');
    await startAutostartDomains(conn, logger);

    const collection: Collection = createCollection({ config, source: connectionSource(conn), logger: logger.child({ room: 'collect' }) });
    const base = {
      config, configFile: options.configFile, logger, conn, collection, snapshot: collection.snapshot, version: options.version,
      registry, runDir: options.runDir, links: {},
      onDomainEvent: (l: Parameters<Connection['onDomainEvent']>[0]) => (conn.supports('onDomainEvent') ? conn.onDomainEvent(l) : () => undefined),
    };
    const context: AgentContext = { ...base, actions: (options.createActions ?? createActions)(base) };
    await collection.start();
    undo.push({ name: 'collection', run: () => collection.stop() });

    for (const factory of options.components ?? COMPONENTS) {
      const component: Component | undefined = factory(context);
      if (component === undefined) continue;
      await component.start();
      undo.push({ name: component.name, run: () => component.stop() });
      logger.info({ component: component.name }, 'component started');
    }

    const api = async (readOnly: boolean, security?: ApiSecurity): Promise<FastifyInstance> => {
      const app = await buildApiServer({
        conn, actions: context.actions, latest: () => collection.latest(), readOnly, version: options.version,
        plugins: apiPlugins(context),
        sampleNow: async () => sampleOnce(await conn.statsTargets(), STATS_GROUPS, Date.now(), { paths: config.paths }),
        ...(options.httpLogger === undefined ? {} : { logger: options.httpLogger }),
        ...(security === undefined ? {} : { security }),
      });
      undo.push({ name: readOnly ? 'api-ro' : 'api', run: () => app.close() });
      return app;
    };
    const socket = config.api.socket ?? join(options.runDir, SOCKET_NAME);
    const readOnlySocket = config.api.readOnlySocket ?? join(options.runDir, READ_ONLY_SOCKET_NAME);
    await listenUnix(await api(false), socket, 0o600);
    undo.push({ name: 'socket', run: () => rm(socket, { force: true }) });
    await listenUnix(await api(true), readOnlySocket, 0o666);
    undo.push({ name: 'socket-ro', run: () => rm(readOnlySocket, { force: true }) });
    let tcp: string | undefined;
    if (config.api.tcp !== undefined) {
      // TCP is guarded by the remote block: tokens and roles always; other hosts only with remote.allowRemote
      // (which the config check ties to remote.tls and at least one token).
      if (!isLoopback(parseListen(config.api.tcp).host) && !config.remote.allowRemote) {
        throw configProblemAt(options.configFile, ['api', 'tcp'], `${config.api.tcp} is not a loopback address; serving other hosts needs remote.allowRemote (with remote.tls and remote.tokens)`);
      }
      // One handle on the audit file: the Actions service's (its trail also feeds the status page).
      const shared = context.links.recentActions;
      const auditLog = shared ?? new FileAuditLog(config.alerts.auditLog);
      if (shared === undefined) undo.push({ name: 'api-audit', run: () => auditLog.close() });
      const app = await api(false, {
        remote: config.remote,
        audit: { record: (e) => auditLog.append(apiAuditLine(e)) },
        logger: logger.child({ room: 'api-tcp' }),
      });
      tcp = await listenTcp(app, config.api.tcp);
    }

    const http = await buildServer({
      readiness: {
        connection: () => (conn.supports('listAllDomains') ? undefined : 'no driver connection'),
        collection: () => (collection.snapshot.health().up ? undefined : 'no successful domain listing yet'),
      },
      plugins: (options.httpPlugins ?? HTTP_PLUGINS).flatMap((f) => f(context) ?? []),
      https: httpsOptions(config.http.tls),
      ...(options.httpLogger === undefined ? {} : { logger: options.httpLogger }),
    });
    undo.push({ name: 'http', run: () => http.close() });
    const httpAddress = await listenTcp(http, config.http.listen);

    const addresses: AgentAddresses = { socket, readOnlySocket, http: httpAddress, ...(tcp === undefined ? {} : { tcp }) };
    logger.info({ ...addresses }, 'agent ready');
    return { addresses, context, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Opens the configured URI; a refusal that is the config's fault names the file, line and key. */
async function openDriver(options: AgentOptions, qmpObserver: QmpObserver): Promise<Connection> {
  const { config } = options;
  try {
    return await openConnection(config.uri, options.drivers, {
      logger: options.logger.child({ room: 'driver' }),
      settings: config.agent.driver,
      qmpObserver,
    });
  } catch (err) {
    if (!(err instanceof VirtmonError)) throw err;
    if (err.code === 'VIR_ERR_INVALID_ARG' && err.key !== undefined) {
      throw configProblemAt(options.configFile, ['agent', 'driver', err.key], err.message, err);
    }
    if (err.code === 'VIR_ERR_NO_CONNECT' || err.code === 'VIR_ERR_INVALID_ARG' || /\bURI\b/.test(err.message)) {
      throw configProblemAt(options.configFile, ['uri'], `cannot open ${config.uri.raw}: ${err.message}`, err);
    }
    throw err;
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

async function listenTcp(app: FastifyInstance, address: string): Promise<string> {
  const { host, port } = parseListen(address);
  await app.listen({ host, port });
  const bound = app.server.address();
  return typeof bound === 'object' && bound !== null ? `${bound.address.includes(':') ? `[${bound.address}]` : bound.address}:${bound.port}` : address;
}
