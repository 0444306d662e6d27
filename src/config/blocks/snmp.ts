/** The SNMP bridge (LIBVIRT-MIB agent or AgentX subagent): off by default, loopback by default. */
import { Type } from 'typebox';
import { Block, ListenAddress, Strict } from './common.ts';

const Secret = (description: string) => Type.String({ minLength: 8, description });

/** One SNMPv3 USM user. */
export const SnmpUser = Strict({
  name: Type.String({ minLength: 1, maxLength: 32, description: 'USM user name' }),
  access: Type.Enum(['ro', 'rw'], { default: 'ro', description: 'rw allows SET (state changes through Actions)' }),
  authProtocol: Type.Enum(['md5', 'sha', 'sha256'], { default: 'sha', description: 'HMAC-MD5-96, HMAC-SHA-96 or HMAC-SHA-256-192' }),
  authPassword: Secret('authentication passphrase (at least 8 characters)'),
  privProtocol: Type.Enum(['none', 'aes'], { default: 'aes', description: 'aes = AES-128-CFB (RFC 3826)' }),
  privPassword: Type.Optional(Secret('privacy passphrase; default: the authentication passphrase')),
}, 'an SNMPv3 user');

/** One notification target. */
export const SnmpSink = Strict({
  target: Type.String({ pattern: '^(udp:)?[A-Za-z0-9.-]+:\\d{1,5}$', description: 'udp:HOST:PORT of a trap receiver' }),
  version: Type.Enum(['v2c', 'v3'], { default: 'v2c', description: 'SNMPv2-Trap with a community, or an SNMPv3 trap as a user' }),
  kind: Type.Enum(['trap', 'inform'], { default: 'trap', description: 'inform: resent until acknowledged (v2c only)' }),
  community: Type.String({ default: 'public', description: 'v2c community' }),
  user: Type.Optional(Type.String({ description: 'v3: the name of a user in snmp.users' })),
}, 'a trap sink');

/** The `snmp` block of virtmon.yaml. */
export const SnmpBlock = Block({
  enabled: Type.Boolean({ default: false, description: 'serve LIBVIRT-MIB over SNMP' }),
  mode: Type.Enum(['agent', 'agentx'], { default: 'agent', description: 'standalone UDP agent, or AgentX subagent of the host snmpd' }),
  listen: ListenAddress('UDP address of the standalone agent', '127.0.0.1:1161'),
  agentx: Type.String({ pattern: '^tcp:[A-Za-z0-9.-]+:\\d{1,5}$', default: 'tcp:127.0.0.1:705', description: 'the master agent\'s AgentX socket (TCP only)' }),
  communities: Block({
    ro: Type.Array(Type.String({ minLength: 1 }), { default: ['public'], description: 'read-only v2c communities' }),
    rw: Type.Array(Type.String({ minLength: 1 }), { default: [], description: 'read-write v2c communities (SET)' }),
  }, 'v2c communities'),
  users: Type.Array(SnmpUser, { default: [], description: 'SNMPv3 USM users' }),
  engineId: Type.Optional(Type.String({ pattern: '^(0x)?([0-9a-fA-F]{2}){5,32}$', description: 'snmpEngineID in hex; default derived from the host name' })),
  listInactive: Type.Boolean({ default: false, description: 'list inactive domains as shutoff(5) rows, as libvirt-snmp does' }),
  trapInstance: Type.Enum(['zero', 'index'], { default: 'zero', description: 'trap varbind suffix: .0 (libvirt-snmp) or the row index' }),
  sinks: Type.Array(SnmpSink, { default: [], description: 'where libvirtGuestNotif traps go (standalone mode; AgentX uses the master\'s sinks)' }),
  maxMessageSize: Type.Integer({ minimum: 484, maximum: 65507, default: 8192, description: 'largest response we send' }),
  system: Block({
    contact: Type.String({ default: '', description: 'sysContact' }),
    name: Type.Optional(Type.String({ description: 'sysName; default: the host name' })),
    location: Type.String({ default: '', description: 'sysLocation' }),
    objectId: Type.String({ pattern: '^\\d+(\\.\\d+)+$', default: '0.0', description: 'sysObjectID (zeroDotZero until we have a PEN)' }),
  }, 'SNMPv2-MIB system group'),
}, 'the SNMP bridge');
