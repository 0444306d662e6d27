/**
 * `alerts`: with `--rules FILE`, loads and validates an alert rules file and lists its rules (the check
 * to run before pointing the agent at a file; errors name file, line and key), without connecting.
 * Without it, the live state of every rule on every domain from the agent behind the connection
 * (GET /v1/alerts through the remote driver), as src/alerts/format.ts's statesTable.
 */
import { loadRulesFile } from '../../alerts/load-rules.ts';
import { rulesTable, statesTable } from '../../alerts/format.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { CommandDef } from '../command-def.ts';
import type { Session } from '../session.ts';
import { formatTable } from '../format/table.ts';

/** Prints the agent's rule states; a connection without an agent says so and suggests --rules. */
async function liveStates(session: Session): Promise<boolean> {
  if (!(await session.connect())) return false;
  try {
    const reply = await session.conn.getAlerts();
    session.out.print(formatTable(statesTable(reply.states, session.deps.clock()), true));
    if (reply.rules.length === 0) session.out.print('No alert rules are loaded on the agent.\n');
    return true;
  } catch (err) {
    if (err instanceof VirtmonError && err.code === 'VIR_ERR_NO_SUPPORT') {
      session.out.error(`${session.conn.uri.raw} is not an agent connection: live alert states come from a virtmon agent (check a file with --rules FILE)`);
      return false;
    }
    session.report(err);
    return false;
  }
}

/** The `alerts` command. */
export const alerts: CommandDef = {
  name: 'alerts',
  group: 'virsh',
  help: 'show the agent\'s alert states, or validate and list a rules file',
  desc: 'Without --rules: the current state of every alert rule on every domain, from the agent behind\n' +
    '    the connection (rule, domain, severity, since, value). With --rules: loads an alert rules file,\n' +
    '    reports every problem with its file, line and key, and lists the rules (no connection).',
  options: [{ name: 'rules', type: 'string', help: 'alert rules file (YAML) to validate and list' }],
  noConnect: true,
  async run({ session }, opts) {
    const file = opts.string('rules');
    if (file === undefined) return liveStates(session);
    try {
      const set = await loadRulesFile(file);
      session.out.print(formatTable(rulesTable(set), true));
      return true;
    } catch (err) {
      session.report(err);
      return false;
    }
  },
};
