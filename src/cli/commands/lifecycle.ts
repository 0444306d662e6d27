/** start, shutdown, destroy, suspend, resume, reboot, reset (tools/virsh-domain.c). */
import type { CommandDef } from '../command-def.ts';
import { lookupDomain } from '../lookup.ts';
import { DOMAIN_OPT, domainAction } from './common.ts';

/** `start DOMAIN [--paused] [--force-boot]`: checks the id first, as virsh does. */
export const start: CommandDef = {
  name: 'start',
  group: 'domain',
  help: 'start a (previously defined) inactive domain',
  desc: 'Start a domain, either from the last managedsave\n    state, or via a fresh boot if no managedsave state\n    is present.',
  options: [
    { name: 'domain', type: 'data', help: 'name of the inactive domain' },
    { name: 'paused', type: 'bool', help: 'leave the guest paused after creation' },
    { name: 'force-boot', type: 'bool', help: 'force fresh boot by discarding any managed save' },
  ],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'), { name: true, uuid: true });
    if (dom === undefined) return false;
    if (dom.id !== -1) {
      session.out.error('Domain is already active');
      return false;
    }
    try {
      await session.conn.create(dom, { paused: opts.bool('paused'), forceBoot: opts.bool('force-boot') });
    } catch (err) {
      session.out.error(`Failed to start domain '${dom.name}'`);
      session.report(err);
      return false;
    }
    session.out.extra(`Domain '${dom.name}' started\n`);
    return true;
  },
};

/** `shutdown DOMAIN`. */
export const shutdown: CommandDef = {
  name: 'shutdown',
  group: 'domain',
  help: 'gracefully shutdown a domain',
  desc: 'Run shutdown in the target domain.',
  options: [DOMAIN_OPT],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'shutdown',
    (dom) => session.conn.shutdown(dom), (n) => `Domain '${n}' is being shutdown\n`),
};

/** `destroy DOMAIN [--graceful]`. */
export const destroy: CommandDef = {
  name: 'destroy',
  group: 'domain',
  help: 'destroy (stop) a domain',
  desc: 'Forcefully stop a given domain, but leave its resources intact.',
  options: [DOMAIN_OPT, { name: 'graceful', type: 'bool', help: 'terminate gracefully' }],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'destroy',
    (dom) => session.conn.destroy(dom, opts.bool('graceful') ? { graceful: true } : {}),
    (n) => `Domain '${n}' destroyed\n`),
};

/** `suspend DOMAIN`. */
export const suspend: CommandDef = {
  name: 'suspend',
  group: 'domain',
  help: 'suspend a domain',
  desc: 'Suspend a running domain.',
  options: [DOMAIN_OPT],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'suspend',
    (dom) => session.conn.suspend(dom), (n) => `Domain '${n}' suspended\n`),
};

/** `resume DOMAIN`. */
export const resume: CommandDef = {
  name: 'resume',
  group: 'domain',
  help: 'resume a domain',
  desc: 'Resume a previously suspended domain.',
  options: [DOMAIN_OPT],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'resume',
    (dom) => session.conn.resume(dom), (n) => `Domain '${n}' resumed\n`),
};

/** `reboot DOMAIN`. */
export const reboot: CommandDef = {
  name: 'reboot',
  group: 'domain',
  help: 'reboot a domain',
  desc: 'Run a reboot command in the target domain.',
  options: [DOMAIN_OPT],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'reboot',
    (dom) => session.conn.reboot(dom), (n) => `Domain '${n}' is being rebooted\n`),
};

/** `reset DOMAIN`. */
export const reset: CommandDef = {
  name: 'reset',
  group: 'domain',
  help: 'reset a domain',
  desc: 'Reset the target domain as if by power button',
  options: [DOMAIN_OPT],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'reset',
    (dom) => session.conn.reset(dom), (n) => `Domain '${n}' was reset\n`),
};
