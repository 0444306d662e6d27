/**
 * `test:///default`: the host every fresh test connection starts from, with the values of libvirt's
 * test driver (src/test/test_driver.c `defaultNodeInfo` and `defaultConnXML`; libvirt-semantics.md §11).
 * The domain is kept as the node XML libvirt embeds, so it goes through the same node-file loader as
 * `test:///PATH.xml` and comes out exactly as a user-supplied node file would.
 */
import type { NodeInfo } from '../driver.ts';

/** What `virConnectGetType` / `virConnectGetVersion` answer (`virsh version`: `Running hypervisor: TEST 0.0.2`). */
export const TEST_HYPERVISOR = { type: 'TEST', version: '0.0.2' } as const;

/** libvirt's test driver security driver (testNodeGetSecurityModel, testDomainGetSecurityLabel);
 * `virsh dominfo` prints them. */
export const TEST_SECURITY = { model: 'testSecurity', doi: '0', label: 'libvirt-test', enforcing: true } as const;


/** `virsh nodeinfo` of test:///default: i686, 16 CPUs at 1400 MHz, 2 cells × 2 sockets × 2 cores × 2 threads, 3 GiB. */
export const DEFAULT_NODE_INFO: NodeInfo = {
  model: 'i686',
  memoryKiB: 3145728,
  cpus: 16,
  mhz: 1400,
  nodes: 2,
  sockets: 2,
  cores: 2,
  threads: 2,
};

/** Architecture the test driver gives a definition without `<type arch>` (libvirt's defArch). */
export const TEST_DEFAULT_ARCH = 'i686';

/** OS type `virsh dominfo` shows for every test domain (testDomainGetOSType). */
export const TEST_OS_TYPE = 'linux';

/**
 * The default node: one running, persistent domain `test` (id 1, `running (unknown)`). The interface
 * gets its `testnet0` target from the driver's name generator, as in libvirt.
 */
export const DEFAULT_NODE_XML = `<node>
  <domain type='test'>
    <name>test</name>
    <uuid>6695eb01-f6a4-8304-79aa-97f2502e193f</uuid>
    <memory>8388608</memory>
    <currentMemory>2097152</currentMemory>
    <vcpu>2</vcpu>
    <os>
      <type>hvm</type>
    </os>
    <devices>
      <disk type='file' device='disk'>
        <source file='/guest/diskimage1'/>
        <target dev='vda' bus='virtio'/>
        <address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/>
      </disk>
      <interface type='network'>
        <mac address='aa:bb:cc:dd:ee:ff'/>
        <source network='default' bridge='virbr0'/>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x1' function='0x0'/>
      </interface>
      <memballoon model='virtio'>
        <address type='pci' domain='0x0000' bus='0x00' slot='0x2' function='0x0'/>
      </memballoon>
    </devices>
  </domain>
</node>
`;
