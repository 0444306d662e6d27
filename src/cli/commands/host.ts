/** uri, version, nodeinfo, hostname (tools/virsh-host.c). */
import { formatUri } from '../../drivers/uri.ts';
import type { CommandDef } from '../command-def.ts';
import { formatNodeinfo } from '../format/nodeinfo.ts';
import { formatHypervisorVersion, formatLibraryVersion } from '../format/version.ts';

/** `uri`: the connection's canonical URI (aliases expanded). */
export const uri: CommandDef = {
  name: 'uri',
  group: 'host',
  help: 'print the hypervisor canonical URI',
  desc: '',
  options: [],
  run({ session }) {
    session.out.print(`${formatUri(session.conn.uri)}\n`);
    return Promise.resolve(true);
  },
};

/** `hostname`. */
export const hostname: CommandDef = {
  name: 'hostname',
  group: 'host',
  help: 'print the hypervisor hostname',
  desc: '',
  options: [],
  async run({ session }) {
    try {
      session.out.print(`${await session.conn.getHostname()}\n`);
      return true;
    } catch (err) {
      session.out.error('failed to get hostname');
      session.report(err);
      return false;
    }
  },
};

/** `nodeinfo`. */
export const nodeinfo: CommandDef = {
  name: 'nodeinfo',
  group: 'host',
  help: 'node information',
  desc: 'Returns basic information about the node.',
  options: [],
  async run({ session }) {
    try {
      session.out.print(formatNodeinfo(await session.conn.nodeGetInfo()));
      return true;
    } catch (err) {
      session.out.error('failed to get node information');
      session.report(err);
      return false;
    }
  },
};

/** `version`: virtmon's version, the driver's API and the hypervisor's version. */
export const version: CommandDef = {
  name: 'version',
  group: 'host',
  help: 'show version',
  desc: 'Display the system version information.',
  options: [],
  async run({ session }) {
    let hvType: string;
    try {
      hvType = session.conn.getType();
    } catch (err) {
      session.out.error('failed to get hypervisor type');
      session.report(err);
      return false;
    }
    // virsh prints the library lines before it asks the hypervisor.
    session.out.print(formatLibraryVersion(session.deps.version, hvType));
    try {
      session.out.print(formatHypervisorVersion(hvType, await session.conn.getVersion()));
      return true;
    } catch (err) {
      session.out.error('failed to get the hypervisor version');
      session.report(err);
      return false;
    }
  },
};
