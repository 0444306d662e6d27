/** `autostart DOMAIN [--disable]` (tools/virsh-domain.c cmdAutostart). */
import type { CommandDef } from '../command-def.ts';
import { lookupDomain } from '../lookup.ts';
import { DOMAIN_OPT } from './common.ts';

/** Marks or unmarks a persistent domain for start with the agent. */
export const autostart: CommandDef = {
  name: 'autostart',
  group: 'domain',
  help: 'autostart a domain',
  desc: 'Configure a domain to be automatically started at boot.',
  options: [DOMAIN_OPT, { name: 'disable', type: 'bool', help: 'disable autostarting' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    const enable = !opts.bool('disable');
    try {
      await session.conn.setAutostart(dom, enable);
    } catch (err) {
      session.out.error(enable
        ? `Failed to mark domain '${dom.name}' as autostarted`
        : `Failed to unmark domain '${dom.name}' as autostarted`);
      session.report(err);
      return false;
    }
    session.out.extra(enable ? `Domain '${dom.name}' marked as autostarted\n` : `Domain '${dom.name}' unmarked as autostarted\n`);
    return true;
  },
};
