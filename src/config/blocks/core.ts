/** Top-level blocks: connection, logging, file-system roots. */
import { Type } from 'typebox';
import { Block } from './common.ts';

export const LogBlock = Block({
  level: Type.Enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], {
    default: 'info', description: 'minimum level written',
  }),
  format: Type.Enum(['json', 'pretty', 'auto'], {
    default: 'auto', description: 'json lines, pretty, or pretty when stdout is a terminal',
  }),
}, 'logging (pino)');

export const PathsBlock = Block({
  proc: Type.String({ default: '/proc', description: 'procfs root' }),
  sys: Type.String({ default: '/sys', description: 'sysfs root' }),
  cgroup: Type.String({ default: '/sys/fs/cgroup', description: 'cgroup mount root (v2, or v1 controllers + unified)' }),
}, 'file-system roots the collectors read (fixture trees in tests)');
