/**
 * `alerts --rules FILE`: loads and validates an alert rules file and lists its rules (the check to run
 * before pointing the agent at a file; errors name file, line and key). Current rule states come from
 * the agent's API once the CLI reaches it; the table is src/alerts/format.ts's statesTable.
 */
import { loadRulesFile } from '../../alerts/load-rules.ts';
import { rulesTable } from '../../alerts/format.ts';
import type { CommandDef } from '../command-def.ts';
import { formatTable } from '../format/table.ts';

/** The `alerts` command. */
export const alerts: CommandDef = {
  name: 'alerts',
  group: 'virsh',
  help: 'validate and list alert rules',
  desc: 'Loads an alert rules file, reports every problem with its file, line and key, and lists the rules.',
  options: [{ name: 'rules', type: 'string', required: true, help: 'alert rules file (YAML)' }],
  noConnect: true,
  async run({ session }, opts) {
    try {
      const set = await loadRulesFile(opts.required('rules'));
      session.out.print(formatTable(rulesTable(set), true));
      return true;
    } catch (err) {
      session.report(err);
      return false;
    }
  },
};
