/**
 * The `remote` driver: the CLI's way to every hypervisor an agent owns (libvirt's src/remote).
 * `qemu:///system` and `qemu:///session` go to the local agent's socket (`?socket=PATH` overrides it,
 * `-r` picks the read-only one); `DRIVER+unix:///PATH?socket=S` to any socket; `DRIVER+http://HOST:PORT/PATH`
 * (or `+https`, TLS) to an agent's TCP listener, with the token and TLS material `credentials` gives.
 * The agent must serve the driver the URI names.
 */
import { VirtmonError } from '../../domain/errors.ts';
import type { HypervisorDriver, OpenOptions } from '../driver.ts';
import type { ParsedUri } from '../uri.ts';
import { buildRemoteConnection, type AgentConnectionInfo } from './connection.ts';
import { localSocketPath } from './socket-path.ts';
import { call, type AgentCredentials, type AgentTarget } from './transport.ts';

/** Default TCP port of an agent's API (`api.tcp` in virtmon.yaml). */
export const DEFAULT_API_PORT = 9178;

/** Where the URI points; 'declined' for URIs another driver owns. */
export function targetOf(uri: ParsedUri, readOnly: boolean, env: NodeJS.ProcessEnv, credentials: () => AgentCredentials = () => ({})): AgentTarget | 'declined' {
  const socket = uri.params.socket;
  switch (uri.transport) {
    case undefined:
      if (uri.driver === 'test' || uri.host !== '') return 'declined';
      return { kind: 'unix', socketPath: socket ?? localSocketPath(uri.path, readOnly, env), local: socket === undefined };
    case 'unix':
      if (uri.host !== '') throw new VirtmonError('VIR_ERR_INVALID_ARG', `${uri.raw}: a unix transport takes no host`);
      return { kind: 'unix', socketPath: socket ?? localSocketPath(uri.path, readOnly, env), local: socket === undefined };
    case 'http':
    case 'tcp':
    case 'https':
      if (uri.host === '') throw new VirtmonError('VIR_ERR_INVALID_ARG', `${uri.raw}: the ${uri.transport} transport needs a host`);
      return {
        kind: 'tcp', host: uri.host, port: uri.port ?? DEFAULT_API_PORT, basePath: '',
        tls: uri.transport === 'https', credentials: credentials(),
      };
    default:
      throw new VirtmonError('VIR_ERR_INVALID_ARG', `transport '${uri.transport}' is not supported (use unix, http or https)`);
  }
}

/** The driver the agent serves must be the one the URI names (qemu:// never lands on a test agent). */
function checkDriver(uri: ParsedUri, info: AgentConnectionInfo): void {
  if (info.driver !== uri.driver) {
    throw new VirtmonError('VIR_ERR_NO_CONNECT', `${uri.raw} (the agent serves ${info.uri})`);
  }
}

/**
 * Builds the remote driver; `env` decides the local socket paths (XDG_RUNTIME_DIR for sessions);
 * `credentials` is asked for the token and TLS material when a URI names a TCP agent (the CLI reads
 * VIRTMON_TOKEN and its client config, src/cli/remote-credentials.ts).
 */
export function createRemoteDriver(env: NodeJS.ProcessEnv = process.env,
  credentials: () => AgentCredentials = () => (env.VIRTMON_TOKEN === undefined || env.VIRTMON_TOKEN === '' ? {} : { token: env.VIRTMON_TOKEN })): HypervisorDriver {
  return {
    name: 'remote',
    uriSchemes: ['qemu', 'test'],
    localOnly: false,
    async open(uri: ParsedUri, options: OpenOptions) {
      const target = targetOf(uri, options.readOnly === true, env, credentials);
      if (target === 'declined') return 'declined';
      const info = await call<AgentConnectionInfo>(target, 'GET', '/v1/connection');
      checkDriver(uri, info);
      return buildRemoteConnection(target, info);
    },
  };
}

/** The remote driver on this process's environment. */
export const remoteDriver: HypervisorDriver = createRemoteDriver();
