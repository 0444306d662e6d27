/** `domstate DOMAIN [--reason]` (cmdDomstate). */
import type { StateWithReason } from '../../domain/states.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { CommandDef } from '../command-def.ts';
import { formatDomstate } from '../format/domstate.ts';
import { lookupDomain } from '../lookup.ts';
import type { Session } from '../session.ts';
import type { DomainRef } from '../../domain/domain-ref.ts';
import { DOMAIN_OPT } from './common.ts';

/** virshDomainState: virDomainGetState, or virDomainGetInfo's state (reason unknown) when the driver
 * has no GetState. */
export async function domainState(session: Session, dom: DomainRef): Promise<StateWithReason> {
  try {
    return await session.conn.getState(dom);
  } catch (err) {
    if (!(err instanceof VirtmonError && err.code === 'VIR_ERR_NO_SUPPORT')) throw err;
    const info = await session.conn.getInfo(dom);
    return { state: info.state, reason: -1 };
  }
}

/** Prints the state, and with --reason why. */
export const domstate: CommandDef = {
  name: 'domstate',
  group: 'monitor',
  help: 'domain state',
  desc: 'Returns state about a domain.',
  options: [DOMAIN_OPT, { name: 'reason', type: 'bool', help: 'also print reason for the state' }],
  async run({ session }, opts) {
    const dom = await lookupDomain(session, opts.required('domain'));
    if (dom === undefined) return false;
    const st = await domainState(session, dom);
    session.out.print(formatDomstate(st.state, st.reason, opts.bool('reason')));
    return true;
  },
};
