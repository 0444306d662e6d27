/** The agent daemon itself: where its pidfile and sockets live, and the settings its driver opens with. */
import { Type } from 'typebox';
import { Block, Duration } from './common.ts';

export const AgentBlock = Block({
  runDir: Type.Optional(Type.String({
    pattern: '^/',
    description: 'absolute directory of the pidfile and the control sockets; default /run/virtmon (root) or $XDG_RUNTIME_DIR/virtmon',
  })),
  driver: Type.Object({}, {
    additionalProperties: true,
    default: {},
    description: 'driver settings handed to open() (qemu: stateDir, runDir, logDir, emulator, cgroups, autostart …)',
  }),
  stopTimeout: Duration('how long a stop (SIGTERM) waits for each component before exiting anyway', '10s'),
}, 'the agent daemon');
