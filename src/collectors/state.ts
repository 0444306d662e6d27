/**
 * The `state` group: `state.state` and `state.reason` from the driver's domain object (no I/O), for
 * active and inactive domains alike.
 */
import type { Collector } from './types.ts';

/** state.state, state.reason. */
export const stateCollector = {
  name: 'state',
  group: 'state',
  defaultEnabled: true,
  usesQmp: false,
  collect(target, ctx) {
    if (target.synthetic !== undefined) {
      target.synthetic.fill('state', ctx.sample);
      return;
    }
    const { state, reason } = target.state();
    ctx.sample.set('state.state', state);
    ctx.sample.set('state.reason', reason);
  },
} as const satisfies Collector;
