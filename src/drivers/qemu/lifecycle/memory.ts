/**
 * virDomainSetMemoryFlags: the balloon target of a running domain (`balloon`, applied when QEMU's
 * BALLOON_CHANGE arrives) and/or `<currentMemory>` of the config; with MAXIMUM, `<memory>` of the config.
 */
import type { DomainRef } from '../../../domain/domain-ref.ts';
import { checkSetMemory } from '../../common/lifecycle-rules.ts';
import type { MemoryFlags } from '../../driver.ts';
import { updateConfig } from '../config-ops.ts';
import type { QemuHost } from '../host.ts';
import { requireMonitor } from './common.ts';

/** Sets the memory of a domain, in KiB. */
export async function setMemory(host: QemuHost, dom: DomainRef, kib: number, flags: MemoryFlags): Promise<void> {
  const obj = host.domains.resolve(dom);
  await host.job(obj, 'virDomainSetMemoryFlags', async () => {
    const targets = checkSetMemory(obj, kib, flags);
    if (flags.maximum === true) {
      await updateConfig(host, obj, (d) => ({ ...d, memoryKiB: kib, currentMemoryKiB: Math.min(d.currentMemoryKiB, kib) }));
      return;
    }
    if (targets.live) {
      const { qmp } = requireMonitor(obj);
      await qmp.execute('balloon', { value: kib * 1024 });
    }
    if (targets.config) await updateConfig(host, obj, (d) => ({ ...d, currentMemoryKiB: kib }));
  });
}
