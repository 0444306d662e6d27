/** save, restore, managedsave, managedsave-remove (tools/virsh-domain.c). */
import type { SaveFlags } from '../../drivers/driver.ts';
import type { CommandDef, ParsedOptions } from '../command-def.ts';
import { lookupDomain } from '../lookup.ts';
import { DOMAIN_OPT, exclusive } from './common.ts';

function saveFlags(opts: ParsedOptions): SaveFlags {
  return { ...(opts.bool('running') ? { running: true } : {}), ...(opts.bool('paused') ? { paused: true } : {}) };
}

/** `save DOMAIN FILE [--running|--paused]`. virsh's message starts with a newline (it ends a
 * progress line). */
export const save: CommandDef = {
  name: 'save',
  group: 'domain',
  help: 'save a domain state to a file',
  desc: 'Save the RAM state of a running domain.',
  options: [
    DOMAIN_OPT,
    { name: 'file', type: 'data', help: 'where to save the data' },
    { name: 'running', type: 'bool', help: 'set domain to be running on restore' },
    { name: 'paused', type: 'bool', help: 'set domain to be paused on restore' },
  ],
  async run({ session }, opts) {
    if (!exclusive(session, opts, 'running', 'paused')) return false;
    const file = opts.required('file');
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    try {
      await session.conn.save(dom, file, saveFlags(opts));
    } catch (err) {
      session.out.error(`Failed to save domain '${dom.name}' to ${file}`);
      session.report(err);
      return false;
    }
    session.out.extra(`\nDomain '${dom.name}' saved to ${file}\n`);
    return true;
  },
};

/** `restore FILE [--running|--paused]`. */
export const restore: CommandDef = {
  name: 'restore',
  group: 'domain',
  help: 'restore a domain from a saved state in a file',
  desc: 'Restore a domain.',
  options: [
    { name: 'file', type: 'data', help: 'the state to restore' },
    { name: 'running', type: 'bool', help: 'restore domain into running state' },
    { name: 'paused', type: 'bool', help: 'restore domain into paused state' },
  ],
  async run({ session }, opts) {
    if (!exclusive(session, opts, 'running', 'paused')) return false;
    const file = opts.required('file');
    try {
      await session.conn.restore(file, saveFlags(opts));
    } catch (err) {
      session.out.error(`Failed to restore domain from ${file}`);
      session.report(err);
      return false;
    }
    session.out.extra(`Domain restored from ${file}\n`);
    return true;
  },
};

/** `managedsave DOMAIN [--running|--paused]`. */
export const managedsave: CommandDef = {
  name: 'managedsave',
  group: 'domain',
  help: 'managed save of a domain state',
  desc: "Save and destroy a running domain, so it can be restarted from\n    the same state at a later time.  When the virsh 'start'\n    command is next run for the domain, it will automatically\n    be started from this saved state.",
  options: [
    DOMAIN_OPT,
    { name: 'running', type: 'bool', help: 'set domain to be running on next start' },
    { name: 'paused', type: 'bool', help: 'set domain to be paused on next start' },
  ],
  async run({ session }, opts) {
    if (!exclusive(session, opts, 'running', 'paused')) return false;
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    try {
      await session.conn.managedSave(dom, saveFlags(opts));
    } catch (err) {
      session.out.error(`Failed to save domain '${dom.name}' state`);
      session.report(err);
      return false;
    }
    session.out.extra(`\nDomain '${dom.name}' state saved by libvirt\n`);
    return true;
  },
};

/** `managedsave-remove DOMAIN`. */
export const managedsaveRemove: CommandDef = {
  name: 'managedsave-remove',
  group: 'domain',
  help: 'Remove managed save of a domain',
  desc: 'Remove an existing managed save state file from a domain',
  options: [DOMAIN_OPT],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    let has: boolean;
    try {
      has = await session.conn.hasManagedSaveImage(dom);
    } catch (err) {
      session.out.error('Failed to check for domain managed save image');
      session.report(err);
      return false;
    }
    if (!has) {
      // virsh prints this one without a newline; the blank line after the command ends it.
      session.out.extra(`Domain '${dom.name}' has no manage save image; removal skipped`);
      return true;
    }
    try {
      await session.conn.managedSaveRemove(dom);
    } catch (err) {
      session.out.error(`Failed to remove managed save image for domain '${dom.name}'`);
      session.report(err);
      return false;
    }
    session.out.extra(`Removed managedsave image for domain '${dom.name}'\n`);
    return true;
  },
};
