/** `virsh nodeinfo` output (tools/virsh-host.c cmdNodeinfo): `%-20s` labels. */
import type { NodeInfo } from '../../drivers/driver.ts';
import { padRight } from './printf.ts';

const line = (key: string, value: string): string => `${padRight(key, 20)} ${value}\n`;

/** Renders virNodeInfo; the frequency line is left out when the driver reports 0 MHz. */
export function formatNodeinfo(n: NodeInfo): string {
  let out = line('CPU model:', n.model);
  out += line('CPU(s):', String(n.cpus));
  if (n.mhz !== 0) out += line('CPU frequency:', `${n.mhz} MHz`);
  out += line('CPU socket(s):', String(n.sockets));
  out += line('Core(s) per socket:', String(n.cores));
  out += line('Thread(s) per core:', String(n.threads));
  out += line('NUMA cell(s):', String(n.nodes));
  out += line('Memory size:', `${n.memoryKiB} KiB`);
  return out;
}
