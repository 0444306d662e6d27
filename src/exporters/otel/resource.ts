/**
 * The OTLP resource: service.name=virtmon, service.version, host.name, host.id (the systemd machine id
 * when /etc/machine-id is readable), service.instance.id (host.id, else host.name: one agent per host,
 * and a value that survives restarts keeps backends from starting new series), then the environment's
 * and the config's extra attributes (settings.ts merged those; they may override ours on purpose).
 */
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { resourceFromAttributes, type Resource } from '@opentelemetry/resources';
import {
  RES_HOST_ID, RES_HOST_NAME, RES_SERVICE_INSTANCE_ID, RES_SERVICE_NAME, RES_SERVICE_VERSION,
} from './semconv.ts';

/** Where host facts come from (injected in tests). */
export interface HostFacts {
  readonly hostname?: string;
  /** Path of the machine id file; default /etc/machine-id. */
  readonly machineIdPath?: string;
}

/** The machine id, or undefined when the file is missing, unreadable or not 32 hex digits. */
export function readMachineId(path: string): string | undefined {
  try {
    const id = readFileSync(path, 'utf8').trim();
    return /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
  } catch {
    // No machine id is normal in containers; host.id is then left out.
    return undefined;
  }
}

/** The resource attributes as a plain map (tests compare against it). */
export function resourceAttributes(version: string, extra: Readonly<Record<string, string>>, facts: HostFacts = {}): Record<string, string> {
  const host = facts.hostname ?? hostname();
  const id = readMachineId(facts.machineIdPath ?? '/etc/machine-id');
  return {
    [RES_SERVICE_NAME]: 'virtmon',
    [RES_SERVICE_VERSION]: version,
    [RES_SERVICE_INSTANCE_ID]: id ?? host,
    [RES_HOST_NAME]: host,
    ...(id === undefined ? {} : { [RES_HOST_ID]: id }),
    ...extra,
  };
}

/** The SDK resource (no detectors: nothing asynchronous, nothing read from the environment twice). */
export function buildResource(version: string, extra: Readonly<Record<string, string>>, facts: HostFacts = {}): Resource {
  return resourceFromAttributes(resourceAttributes(version, extra, facts));
}
