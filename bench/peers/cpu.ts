/**
 * CPU accounting for bench/peers (performance.md §8.1: count induced CPU). Per process the run time of
 * all its threads from `/proc/PID/task/TID/schedstat` (ns, not the 10 ms ticks of `stat`); for QEMU only
 * its non-vCPU threads (`CPU n/TCG|KVM` run the guest, whatever a monitor asks), since the stats
 * queries are served by QEMU's main loop and I/O threads.
 */
import { readFileSync, readdirSync } from 'node:fs';

const VCPU_COMM = /^CPU \d+\/(?:TCG|KVM)$/;

function threadNs(pid: number, tid: string): number {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return 0; // the thread exited meanwhile
  }
}

function tids(pid: number): string[] {
  try {
    return readdirSync(`/proc/${pid}/task`);
  } catch {
    return [];
  }
}

/** Run time in ns of every thread of `pid` (0 when it is gone). */
export function processNs(pid: number): number {
  let sum = 0;
  for (const tid of tids(pid)) sum += threadNs(pid, tid);
  return sum;
}

/** Run time in ns of QEMU's threads that are not vCPUs. */
export function qemuHostNs(pid: number): number {
  let sum = 0;
  for (const tid of tids(pid)) {
    let comm: string;
    try {
      comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    } catch {
      continue;
    }
    if (!VCPU_COMM.test(comm)) sum += threadNs(pid, tid);
  }
  return sum;
}

/** A point-in-time reading of the processes a turn is charged for. */
export interface CpuReading {
  readonly at: number;
  readonly libvirtdNs: number;
  readonly qemuNs: number;
}

/** Reads libvirtd's and the QEMUs' (non-vCPU) run time now. */
export function readHost(libvirtdPid: number, qemuPids: readonly number[]): CpuReading {
  return { at: performance.now(), libvirtdNs: processNs(libvirtdPid), qemuNs: qemuPids.reduce((s, p) => s + qemuHostNs(p), 0) };
}
