/** The command table, in the order help lists them within each group. */
import type { CommandDef } from '../command-def.ts';
import { agent } from './agent.ts';
import { alerts } from './alerts.ts';
import { autostart } from './autostart.ts';
import { create, define, undefine } from './define.ts';
import { dominfo } from './dominfo.ts';
import { domstate } from './domstate.ts';
import { domstats } from './domstats.ts';
import { exit, help, quit } from './help.ts';
import { hostname, nodeinfo, uri, version } from './host.ts';
import { domid, domname, domuuid, dumpxml } from './ids.ts';
import { destroy, reboot, reset, resume, shutdown, start, suspend } from './lifecycle.ts';
import { list } from './list.ts';
import { managedsave, managedsaveRemove, restore, save } from './save.ts';
import { setmem } from './setmem.ts';
import { tokenHash } from './token.ts';

/** Every command of the CLI. */
export const COMMANDS: readonly CommandDef[] = [
  autostart, create, define, destroy, domid, domname, domuuid, dumpxml, managedsave, managedsaveRemove,
  reboot, reset, restore, resume, save, setmem, shutdown, start, suspend, undefine,
  dominfo, domstate, domstats, list,
  hostname, nodeinfo, uri, version,
  agent, alerts, exit, help, quit, tokenHash,
];

/** Finds a command by name. */
export function findCommand(name: string): CommandDef | undefined {
  return COMMANDS.find((c) => c.name === name);
}
