import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VirtmonError } from '../../../src/domain/errors.ts';
import { parseDeviceXml, parseDomainXml } from '../../../src/domain/xml-parse.ts';
import { corpusFiles, errorOf, fixture } from './xml-helpers.ts';

/** A minimal valid domain with `inner` replacing its body. */
const domain = (inner: string, attrs = "type='kvm'"): string => `<domain ${attrs}>${inner}</domain>`;
const BODY = '<name>vm</name><memory>1024</memory><os><type>hvm</type></os>';

/** Asserts the XML error text and, when given, the element path it names. */
function rejects(xml: string, message: string, key?: string): void {
  const err = errorOf(() => parseDomainXml(xml));
  assert.equal(err.message, `XML error: ${message}`);
  if (key !== undefined) assert.equal(err.key, key);
}

test('hostile documents are refused with a clear XML error', () => {
  rejects(`<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>${domain(BODY)}`,
    'line 1, column 1: DOCTYPE declarations are not allowed');
  rejects(`<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>${domain(BODY.replace('vm', '&xxe;'))}`,
    'line 1, column 1: DOCTYPE declarations are not allowed');
  rejects(domain(BODY.replace('vm', '&xxe;')),
    "line 1, column 26: entity reference '&xxe;' is not allowed: only &lt; &gt; &amp; &apos; &quot; and character references are accepted");
  rejects(domain(`${BODY}<description>${'x'.repeat(10_000_000)}</description>`),
    'document is too large (more than 1048576 bytes, the limit is 1048576 bytes)');
  rejects(domain(`${BODY}<metadata>${'<m>'.repeat(70)}${'</m>'.repeat(70)}</metadata>`),
    'line 1, column 277: elements are nested deeper than 64 levels');
  assert.match(errorOf(() => parseDomainXml(domain(BODY), { maxBytes: 50 })).message, /the limit is 50 bytes/);
});

test('malformed XML names line and column', () => {
  const err = errorOf(() => parseDomainXml("<domain type='kvm'>\n  <name>vm</name>\n  <memory>1</memory\n</domain>"));
  assert.match(err.message, /^XML error: line \d+, column \d+: /);
  assert.equal(typeof err.line, 'number');
  rejects("<domain type='kvm'>\n  <name>vm</name>\n  <os>\n</domain>",
    "line 4, column 1: Expected closing tag 'os' (opened in line 3, col 3) instead of closing tag 'domain'.");
});

test('the name: required, no slash (libvirt wording), no newline', () => {
  rejects(domain('<memory>1</memory><os><type>hvm</type></os>'), 'missing name information', 'domain/name');
  rejects(domain('<name></name><memory>1</memory><os><type>hvm</type></os>'), 'missing name information', 'domain/name');
  rejects(domain(BODY.replace('vm', 'test/1')), "name test/1 cannot contain '/'", 'domain/name');
  rejects(domain(BODY.replace('vm', 'a&#10;b')), 'name cannot contain a newline', 'domain/name');
});

test('domain type: required and one of kvm, qemu, test', () => {
  rejects(domain(BODY, ''), 'missing domain type attribute', 'domain');
  rejects(domain(BODY, "type='xen'"), 'invalid domain type xen (virtmon supports kvm, qemu, test)', 'domain');
  rejects(`<vm type='kvm'>${BODY}</vm>`, 'unexpected root element <vm>, expecting <domain>');
});

test('uuid must be 32 hex digits, dashed or not', () => {
  rejects(domain(`${BODY}<uuid>not-a-uuid</uuid>`), "malformed uuid element 'not-a-uuid'", 'domain/uuid');
  rejects(domain(`${BODY}<uuid>0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e1</uuid>`),
    "malformed uuid element '0f8c3a52-6a0e-4b7e-9d55-1c2b7c0a9e1'", 'domain/uuid');
});

test('memory: required, integer, known unit', () => {
  rejects(domain('<name>vm</name><os><type>hvm</type></os>'),
    'Memory size must be specified via <memory> or in the <numa> configuration', 'domain/memory');
  rejects(domain(BODY.replace('<memory>1024</memory>', "<memory unit='XB'>4</memory>")), "unknown memory unit 'XB' in <memory>", 'domain/memory');
  rejects(domain(BODY.replace('1024', 'lots')), "invalid value 'lots' in <memory>: expected a non-negative integer", 'domain/memory');
  rejects(domain(`${BODY}<currentMemory unit='GiB'>0.5</currentMemory>`),
    "invalid value '0.5' in <currentMemory>: expected a non-negative integer", 'domain/currentMemory');
  rejects(domain(`${BODY}<maxMemory unit='KiB'>4096</maxMemory>`),
    'both maximum memory size and memory slot count must be specified', 'domain/maxMemory');
});

test('vcpu: integers, current not above the maximum, known placement', () => {
  rejects(domain(`${BODY}<vcpu current='4'>2</vcpu>`), 'vcpu current 4 exceeds maximum 2', 'domain/vcpu');
  rejects(domain(`${BODY}<vcpu>two</vcpu>`), 'maximum vcpus count must be an integer', 'domain/vcpu');
  rejects(domain(`${BODY}<vcpu>0</vcpu>`), 'maximum vcpus count must be an integer', 'domain/vcpu');
  rejects(domain(`${BODY}<vcpu current='1.5'>2</vcpu>`), 'current vcpus count must be an integer', 'domain/vcpu');
  rejects(domain(`${BODY}<vcpu placement='dynamic'>2</vcpu>`),
    "Invalid value for attribute 'placement' in element 'vcpu': 'dynamic'.", 'domain/vcpu');
});

test('os type and boot devices, lifecycle actions', () => {
  rejects(domain('<name>vm</name><memory>1</memory>'), 'an os <type> must be specified', 'domain/os/type');
  rejects(domain('<name>vm</name><memory>1</memory><os><type>hvm</type><boot dev="usb"/></os>'),
    "unknown boot device 'usb'", 'domain/os/boot[1]');
  rejects(domain(`${BODY}<on_poweroff>explode</on_poweroff>`), 'unknown on_poweroff action: explode', 'domain/on_poweroff');
  rejects(domain(`${BODY}<on_reboot>coredump-destroy</on_reboot>`), 'unknown on_reboot action: coredump-destroy', 'domain/on_reboot');
  rejects(domain(`${BODY}<title>a&#10;b</title>`), "title can't contain newlines", 'domain/title');
  rejects(domain(`${BODY}<name>x<b/></name>`.replace('<name>vm</name>', '')), 'unexpected element <b> in <name>', 'domain/name');
});

test('device errors name the device and its path', () => {
  rejects(domain(`${BODY}<devices><disk type='file'><source file='/a'/><target dev='vda'/></disk><disk type='file'><source file='/b'/><target bus='virtio'/></disk></devices>`),
    'missing <target dev> in disk 2', 'domain/devices/disk[2]/target');
  rejects(domain(`${BODY}<devices><disk type='tape'><target dev='vda'/></disk></devices>`),
    "Invalid value for attribute 'type' in element 'disk': 'tape'.", 'domain/devices/disk[1]');
  rejects(domain(`${BODY}<devices><disk device='tape'><target dev='vda'/></disk></devices>`),
    "Invalid value for attribute 'device' in element 'disk': 'tape'.", 'domain/devices/disk[1]');
  rejects(domain(`${BODY}<devices><interface type='user'><mac address='zz:00:00:00:00:00'/></interface></devices>`),
    "unable to parse mac address 'zz:00:00:00:00:00'", 'domain/devices/interface[1]/mac');
  rejects(domain(`${BODY}<devices><interface type='user'><mac address='01:00:5e:00:00:01'/></interface></devices>`),
    "expected unicast mac address, found multicast '01:00:5e:00:00:01'", 'domain/devices/interface[1]/mac');
  rejects(domain(`${BODY}<devices><interface type='wifi'/></devices>`),
    "Invalid value for attribute 'type' in element 'interface': 'wifi'.", 'domain/devices/interface[1]');
  rejects(domain(`${BODY}<devices><interface/></devices>`), "missing 'type' attribute in <interface>", 'domain/devices/interface[1]');
  rejects(domain(`${BODY}<devices><interface type='user'><mtu size='big'/></interface></devices>`),
    "malformed mtu size 'big'", 'domain/devices/interface[1]/mtu');
  rejects(domain(`${BODY}<devices><memballoon/></devices>`), 'memballoon must contain model name', 'domain/devices/memballoon');
  rejects(domain(`${BODY}<devices><memballoon model='virtio'><stats period='-5'/></memballoon></devices>`),
    "invalid statistics collection period '-5'", 'domain/devices/memballoon/stats');
  rejects(domain(`${BODY}<devices><graphics type='vnc' port='59o0'/></devices>`), 'cannot parse vnc port 59o0', 'domain/devices/graphics[1]');
  rejects(domain(`${BODY}<devices><graphics type='x11'/></devices>`),
    "Invalid value for attribute 'type' in element 'graphics': 'x11'.", 'domain/devices/graphics[1]');
  rejects(domain(`${BODY}<devices><serial type='pty'><target port='a'/></serial></devices>`),
    "Invalid target port 'a' in <serial>", 'domain/devices/serial[1]/target');
  rejects(domain(`${BODY}<devices>stray text</devices>`), "unexpected text 'stray text' in <devices>", 'domain/devices');
});

test('parseDeviceXml refuses other device kinds', () => {
  const err = errorOf(() => parseDeviceXml("<controller type='usb'/>"), 'VIR_ERR_CONFIG_UNSUPPORTED');
  assert.equal(err.message, 'unsupported configuration: device <controller> cannot be attached or detached (virtmon supports <disk> and <interface>)');
  assert.equal(errorOf(() => parseDeviceXml("<disk type='file'><source file='/x'/></disk>")).message, 'XML error: missing <target dev> in disk 1');
});

/** A tiny deterministic PRNG (mulberry32) so the mutation test is reproducible. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('truncated and mutated corpus documents fail only with VirtmonError', () => {
  const random = prng(20240318);
  const pieces = ['<', '>', '&', "'", '"', '/', '<!--', ']]>', '<![CDATA[', '&#0;', '&amp;', 'x', '\u0000', '</a>', '<b>'];
  let outcomes = 0;
  for (const file of corpusFiles()) {
    const xml = fixture(file);
    const variants: string[] = [];
    for (let cut = 0; cut < xml.length; cut += 89) variants.push(xml.slice(0, cut));
    for (let i = 0; i < 40; i++) {
      const at = Math.floor(random() * xml.length);
      const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
      variants.push(random() < 0.5 ? xml.slice(0, at) + piece + xml.slice(at) : xml.slice(0, at) + piece + xml.slice(at + 1 + Math.floor(random() * 20)));
    }
    for (const variant of variants) {
      try {
        parseDomainXml(variant);
      } catch (err) {
        assert.ok(err instanceof VirtmonError, `${file}: ${String(err)}`);
      }
      outcomes++;
    }
  }
  assert.ok(outcomes > 1000);
});
