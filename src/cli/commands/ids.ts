/** domid, domname, domuuid, dumpxml (tools/virsh-domain.c): one value about a domain. */
import type { CommandDef } from '../command-def.ts';
import { lookupDomain } from '../lookup.ts';
import { DOMAIN_OPT } from './common.ts';

/** `domid DOMAIN`: `-` for an inactive domain. */
export const domid: CommandDef = {
  name: 'domid',
  group: 'domain',
  help: 'convert a domain name or UUID to domain id',
  desc: '',
  options: [{ name: 'domain', type: 'data', help: 'domain name or uuid' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'), { name: true, uuid: true });
    if (dom === undefined) return false;
    session.out.print(`${dom.id < 0 ? '-' : dom.id}\n`);
    return true;
  },
};

/** `domname DOMAIN`. */
export const domname: CommandDef = {
  name: 'domname',
  group: 'domain',
  help: 'convert a domain id or UUID to domain name',
  desc: '',
  options: [{ name: 'domain', type: 'data', help: 'domain id or uuid' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'), { id: true, uuid: true });
    if (dom === undefined) return false;
    session.out.print(`${dom.name}\n`);
    return true;
  },
};

/** `domuuid DOMAIN`. */
export const domuuid: CommandDef = {
  name: 'domuuid',
  group: 'domain',
  help: 'convert a domain name or id to domain UUID',
  desc: '',
  options: [{ name: 'domain', type: 'data', help: 'domain id or name' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'), { id: true, name: true });
    if (dom === undefined) return false;
    session.out.print(`${dom.uuid}\n`);
    return true;
  },
};

/** `dumpxml DOMAIN [--inactive]`. */
export const dumpxml: CommandDef = {
  name: 'dumpxml',
  group: 'domain',
  help: 'domain information in XML',
  desc: 'Output the domain information as an XML dump to stdout.',
  options: [DOMAIN_OPT, { name: 'inactive', type: 'bool', help: 'show inactive defined XML' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    const xml = await session.conn.getXMLDesc(dom, opts.bool('inactive') ? { inactive: true } : {});
    session.out.print(xml.endsWith('\n') ? xml : `${xml}\n`);
    return true;
  },
};
