/** `setmem DOMAIN SIZE [--live|--config|--current]` (tools/virsh-domain.c cmdSetmem). */
import type { MemoryFlags } from '../../drivers/driver.ts';
import type { CommandDef } from '../command-def.ts';
import { lookupDomain } from '../lookup.ts';
import { parseScaledInt, ULLONG_MAX } from '../scaled-int.ts';
import { DOMAIN_OPT, exclusive } from './common.ts';

/** Sets the balloon target. Without a flag it is virDomainSetMemory, i.e. the live domain. */
export const setmem: CommandDef = {
  name: 'setmem',
  group: 'domain',
  help: 'change memory allocation',
  desc: 'Change the current memory allocation in the guest domain.',
  options: [
    DOMAIN_OPT,
    { name: 'size', type: 'int', required: true, help: 'new memory size, as scaled integer (default KiB)' },
    { name: 'config', type: 'bool', help: 'affect next boot' },
    { name: 'live', type: 'bool', help: 'affect running domain' },
    { name: 'current', type: 'bool', help: 'affect current domain' },
  ],
  async run({ session }, opts) {
    if (!exclusive(session, opts, 'current', 'live') || !exclusive(session, opts, 'current', 'config')) return false;
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    const text = opts.required('size');
    const parsed = parseScaledInt(text, 1024n, ULLONG_MAX);
    if (!parsed.ok) {
      session.out.error(`Scaled numeric value '${text}' for <size> option is malformed or out of range`);
      if (parsed.error !== undefined) session.report(parsed.error);
      return false;
    }
    const kib = (parsed.bytes + 1023n) / 1024n;
    const config = opts.bool('config');
    const live = opts.bool('live');
    const flags: MemoryFlags = !config && !live && !opts.bool('current')
      ? { live: true }
      : { ...(live ? { live: true } : {}), ...(config ? { config: true } : {}) };
    await session.conn.setMemory(dom, Number(kib), flags);
    return true;
  },
};
