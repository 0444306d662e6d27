/**
 * The `test` hypervisor driver (libvirt's src/test/test_driver.c): an in-memory host for tests and demos.
 * `test:///default` opens the default host (one running domain `test`); `test:///ABS/PATH.xml` loads a
 * node file. Every open() builds a fresh host: connections never share state (libvirt shares the
 * default host between the connections of one process; virtmon has no module-level state, and the
 * agent and the CLI each hold a single connection, so nothing relies on sharing).
 */
import { RunningReason, DomainState } from '../../domain/states.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { DomainEvent } from '../../domain/events.ts';
import { silentLogger } from '../../domain/logger.ts';
import type { Logger } from '../../domain/logger.ts';
import type { HypervisorDriver, OpenOptions } from '../driver.ts';
import type { ParsedUri } from '../uri.ts';
import { buildTestConnection } from './connection.ts';
import { DEFAULT_NODE_XML } from './default-host.ts';
import { TestHost } from './host.ts';
import type { TestDomain } from './host.ts';
import { loadNodeFile, parseNodeXml } from './node-file.ts';
import type { NodeSpec } from './node-file.ts';

/** The test driver's row of the driver table. */
export const testDriver: HypervisorDriver = {
  name: 'test',
  uriSchemes: ['test'],
  localOnly: true,
  async open(uri: ParsedUri, options: OpenOptions) {
    // A transport (test+unix://, test+ssh://…) means a remote daemon: the remote driver's URI.
    if (uri.transport !== undefined) return 'declined';
    if (uri.path === '' || uri.path === '/') {
      throw new VirtmonError('VIR_ERR_INVALID_ARG', 'testOpen: supply a path or use test:///default');
    }
    const spec = uri.path === '/default' ? await parseNodeXml(DEFAULT_NODE_XML) : await loadNodeFile(uri.path);
    return buildTestConnection(buildHost(spec, options));
  },
};

/** A host populated from a node spec, as testParseDomains does: running domains get ids in file order. */
export function buildHost(spec: NodeSpec, options: OpenOptions = {}): TestHost {
  const host = new TestHost({
    nodeInfo: spec.nodeInfo,
    clock: options.clock ?? Date.now,
    onListenerError: listenerErrorLogger(options.logger ?? silentLogger()),
  });
  for (const nd of spec.domains) {
    let obj: TestDomain;
    try {
      obj = host.domains.add(nd.def).obj;
    } catch (e) {
      if (!(e instanceof VirtmonError)) throw e;
      throw new VirtmonError(e.code, `${spec.origin}: domain '${nd.def.name}': ${e.detail ?? e.message}`, { cause: e });
    }
    obj.persistent = !nd.transient;
    if (nd.runstate !== DomainState.SHUTOFF && nd.runstate !== DomainState.NOSTATE) {
      host.boot(obj, DomainState.RUNNING, RunningReason.BOOTED);
      host.setState(obj, nd.runstate, 0);
    } else {
      obj.setState(nd.runstate, 0);
    }
    if (nd.hasManagedSave) {
      host.managedImages.set(obj.uuid, { def: obj.def, wasRunning: true });
      obj.hasManagedSave = true;
    }
  }
  return host;
}

/** A listener that throws is the listener's bug: logged once per event, never thrown into the driver. */
function listenerErrorLogger(logger: Logger): (error: unknown, event: DomainEvent) => void {
  return (error, event) => {
    logger.warn({ err: error, domain: event.domain.name, event: event.kind }, 'domain event listener threw');
  };
}
