/** define, create, undefine (tools/virsh-domain.c). The XML file is read on the client side. */
import type { CommandDef } from '../command-def.ts';
import { domainAction, readXmlFile } from './common.ts';

const FILE_OPT = { name: 'file', type: 'data', help: 'file containing an XML domain description' } as const;

/** `define FILE`. */
export const define: CommandDef = {
  name: 'define',
  group: 'domain',
  help: "define (but don't start) a domain from an XML file",
  desc: 'Define a domain.',
  options: [FILE_OPT],
  async run({ session }, opts) {
    const file = opts.required('file');
    const xml = await readXmlFile(session, file);
    let name: string;
    try {
      name = (await session.conn.defineXML(xml)).name;
    } catch (err) {
      session.out.error(`Failed to define domain from ${file}`);
      session.report(err);
      return false;
    }
    session.out.extra(`Domain '${name}' defined from ${file}\n`);
    return true;
  },
};

/** `create FILE [--paused]`: a transient domain. */
export const create: CommandDef = {
  name: 'create',
  group: 'domain',
  help: 'create a domain from an XML file',
  desc: 'Create a domain.',
  options: [FILE_OPT, { name: 'paused', type: 'bool', help: 'leave the guest paused after creation' }],
  async run({ session }, opts) {
    const file = opts.required('file');
    const xml = await readXmlFile(session, file);
    let name: string;
    try {
      name = (await session.conn.createXML(xml, { paused: opts.bool('paused') })).name;
    } catch (err) {
      session.out.error(`Failed to create domain from ${file}`);
      session.report(err);
      return false;
    }
    session.out.extra(`Domain '${name}' created from ${file}\n`);
    return true;
  },
};

/** `undefine DOMAIN [--managed-save]`. */
export const undefine: CommandDef = {
  name: 'undefine',
  group: 'domain',
  help: 'undefine a domain',
  desc: 'Undefine an inactive domain, or convert persistent to transient.',
  options: [
    { name: 'domain', type: 'data', help: 'domain name or uuid' },
    { name: 'managed-save', type: 'bool', help: 'remove domain managed state file' },
  ],
  run: ({ session }, opts) => domainAction(session, opts.required('domain'), 'undefine',
    (dom) => session.conn.undefine(dom, opts.bool('managed-save') ? { managedSave: true } : {}),
    (n) => `Domain '${n}' has been undefined\n`),
};
