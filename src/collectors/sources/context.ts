/**
 * What every source function receives: the injected roots, the cgroup layout detected once, the host
 * constants and the kept-fd reader. Built once by the agent (or a test) and shared by all collectors;
 * nothing here is per cycle except what the caller adds (the shared /proc/net/dev read).
 */
import type { HostConstants } from './host.ts';
import { DEFAULT_HOST_CONSTANTS } from './host.ts';
import { KeptFdReader } from './kept-fd.ts';
import type { CgroupRoots, SourcePaths } from './roots.ts';
import { detectCgroupRoots } from './roots.ts';

/** Dependencies of the source functions. */
export interface SourceContext {
  readonly paths: SourcePaths;
  readonly cgroups: CgroupRoots;
  readonly host: HostConstants;
  readonly files: KeptFdReader;
}

/** Overrides for {@link createSourceContext}. */
export interface SourceContextOptions {
  /** Default: {@link DEFAULT_HOST_CONSTANTS} (the agent passes detectHostConstants()). */
  readonly host?: HostConstants;
  /** Default: a new reader with default options. */
  readonly files?: KeptFdReader;
  /** Default: detected under `paths.cgroup`. */
  readonly cgroups?: CgroupRoots;
}

/** Builds a context; detects the cgroup layout unless given. */
export function createSourceContext(paths: SourcePaths, options: SourceContextOptions = {}): SourceContext {
  return {
    paths,
    cgroups: options.cgroups ?? detectCgroupRoots(paths.cgroup),
    host: options.host ?? DEFAULT_HOST_CONSTANTS,
    files: options.files ?? new KeptFdReader(),
  };
}
