import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatDominfo } from '../../../src/cli/format/dominfo.ts';
import { formatDomstate } from '../../../src/cli/format/domstate.ts';
import { formatDomstats, formatStatsValue } from '../../../src/cli/format/domstats.ts';
import { formatNodeinfo } from '../../../src/cli/format/nodeinfo.ts';
import { formatLongVersion, formatShortVersion, formatVersion } from '../../../src/cli/format/version.ts';
import { DomainState } from '../../../src/domain/states.ts';

const running = {
  id: 1,
  name: 'test',
  uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f',
  osType: 'linux',
  info: { state: DomainState.RUNNING, maxMemKiB: 8388608, memoryKiB: 2097152, nrVirtCpu: 2, cpuTimeNs: 1_234_567_890_123n },
  persistent: true,
  autostart: false,
  managedSave: false,
  security: { model: 'testSecurity', doi: '0', label: { label: 'libvirt-test', enforcing: true } },
} as const;

test('dominfo of a running domain, with CPU time and a security label', () => {
  assert.equal(formatDominfo(running),
    'Id:             1\n' +
    'Name:           test\n' +
    'UUID:           6695eb01-f6a4-8304-79aa-97f2502e193f\n' +
    'OS Type:        linux\n' +
    'State:          running\n' +
    'CPU(s):         2\n' +
    'CPU time:       1234.6s\n' +
    'Max memory:     8388608 KiB\n' +
    'Used memory:    2097152 KiB\n' +
    'Persistent:     yes\n' +
    'Autostart:      disable\n' +
    'Managed save:   no\n' +
    'Security model: testSecurity\n' +
    'Security DOI:   0\n' +
    'Security label: libvirt-test (enforcing)\n');
});

test('dominfo of an inactive domain: `-` id, no CPU time line, no label, unknowns', () => {
  const out = formatDominfo({
    id: -1, name: 'vm1', uuid: '0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11',
    info: { state: DomainState.SHUTOFF, maxMemKiB: 262144, memoryKiB: 196608, nrVirtCpu: 1, cpuTimeNs: 0n },
    persistent: undefined, managedSave: true, autostart: true,
    security: { model: 'none', doi: '0', label: { label: '', enforcing: false } },
  });
  assert.equal(out,
    'Id:             -\n' +
    'Name:           vm1\n' +
    'UUID:           0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e11\n' +
    'State:          shut off\n' +
    'CPU(s):         1\n' +
    'Max memory:     262144 KiB\n' +
    'Used memory:    196608 KiB\n' +
    'Persistent:     unknown\n' +
    'Autostart:      enable\n' +
    'Managed save:   yes\n' +
    'Security model: none\n' +
    'Security DOI:   0\n');
});

test('dominfo without getInfo, autostart and a security driver skips those lines', () => {
  const out = formatDominfo({ id: 3, name: 'x', uuid: 'u', persistent: false, managedSave: false, messages: ['tainted: a', 'tainted: b'] });
  assert.equal(out,
    'Id:             3\nName:           x\nUUID:           u\nPersistent:     no\nManaged save:   no\n' +
    'Messages:       tainted: a\n                tainted: b\n');
});

test('domstate with and without the reason', () => {
  assert.equal(formatDomstate(DomainState.PAUSED, 1, true), 'paused (user)\n');
  assert.equal(formatDomstate(DomainState.SHUTOFF, 2, true), 'shut off (destroyed)\n');
  assert.equal(formatDomstate(DomainState.RUNNING, 0, false), 'running\n');
  assert.equal(formatDomstate(DomainState.RUNNING, -1, true), 'running (unknown)\n');
});

test('domstats layout: header, two-space key=value lines, blank line between records; bigint exact', () => {
  const a = new Map<string, bigint | number | string | boolean>([
    ['state.state', 1], ['state.reason', 1], ['cpu.time', 18446744073709551615n], ['block.0.name', 'vda'],
    ['dirtyrate.calc_period', 0.5], ['vm.flag', true],
  ]);
  const b = new Map([['state.state', 5]]);
  assert.equal(formatDomstats([{ name: 'web1', fields: a }, { name: 'vm2', fields: b }]),
    "Domain: 'web1'\n" +
    '  state.state=1\n' +
    '  state.reason=1\n' +
    '  cpu.time=18446744073709551615\n' +
    '  block.0.name=vda\n' +
    '  dirtyrate.calc_period=0.500000\n' +
    '  vm.flag=yes\n' +
    '\n' +
    "Domain: 'vm2'\n" +
    '  state.state=5\n');
  assert.equal(formatDomstats([]), '');
  assert.equal(formatStatsValue(false), 'no');
  assert.equal(formatStatsValue(-3), '-3');
});

test('version lines, and what -v and -V print', () => {
  assert.equal(formatVersion({ library: '0.1.0', hvType: 'TEST', hvVersion: '0.0.2' }),
    'Compiled against library: virtmon 0.1.0\nUsing library: virtmon 0.1.0\nUsing API: TEST 0.1.0\n' +
    'Running hypervisor: TEST 0.0.2\n');
  assert.match(formatVersion({ library: '0.1.0', hvType: 'QEMU', hvVersion: '0.0.0' }),
    /Cannot extract running QEMU hypervisor version\n$/);
  assert.equal(formatShortVersion('0.1.0'), '0.1.0\n');
  assert.match(formatLongVersion('0.1.0', ['test', 'qemu']), /^Virtmon command line tool of virtmon 0\.1\.0\n[^]* Hypervisors: test qemu\n$/);
});

test('nodeinfo lines (%-20s), frequency left out at 0 MHz', () => {
  const node = { model: 'i686', cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2, memoryKiB: 3145728 };
  assert.equal(formatNodeinfo(node),
    'CPU model:           i686\n' +
    'CPU(s):              16\n' +
    'CPU frequency:       1400 MHz\n' +
    'CPU socket(s):       2\n' +
    'Core(s) per socket:  2\n' +
    'Thread(s) per core:  2\n' +
    'NUMA cell(s):        2\n' +
    'Memory size:         3145728 KiB\n');
  assert.doesNotMatch(formatNodeinfo({ ...node, mhz: 0 }), /frequency/);
});
