/** `virtmon version`, `-v` and `-V` (virsh's cmdVersion and virshShowVersion, with virtmon's names). */

/** What `version` reports. */
export interface VersionData {
  /** virtmon's own version (the library the CLI was built with and runs). */
  readonly library: string;
  /** virConnectGetType: `TEST`, `QEMU`. */
  readonly hvType: string;
  /** virConnectGetVersion as `major.minor.micro`; `0.0.0` when the driver cannot tell. */
  readonly hvVersion: string;
  /** Version of the agent on the other end (`--daemon`), when asked for. */
  readonly daemon?: string;
}

/** The three lines about the library and API, printed before the hypervisor is asked. */
export function formatLibraryVersion(library: string, hvType: string): string {
  return `Compiled against library: virtmon ${library}\nUsing library: virtmon ${library}\nUsing API: ${hvType} ${library}\n`;
}

/** The hypervisor line; a version of 0 reads as virsh words it. */
export function formatHypervisorVersion(hvType: string, hvVersion: string): string {
  return /^0+(\.0+)*$/.test(hvVersion)
    ? `Cannot extract running ${hvType} hypervisor version\n`
    : `Running hypervisor: ${hvType} ${hvVersion}\n`;
}

/** The four (or five) lines of `version`. */
export function formatVersion(v: VersionData): string {
  let out = formatLibraryVersion(v.library, v.hvType) + formatHypervisorVersion(v.hvType, v.hvVersion);
  if (v.daemon !== undefined) out += `Running against daemon: ${v.daemon}\n`;
  return out;
}

/** `-v`: the bare version. */
export function formatShortVersion(version: string): string {
  return `${version}\n`;
}

/** `-V`: the version and what this build can talk to. */
export function formatLongVersion(version: string, drivers: readonly string[]): string {
  return `Virtmon command line tool of virtmon ${version}\n\n` +
    'Compiled with support for:\n' +
    ` Hypervisors: ${drivers.length === 0 ? '(none)' : drivers.join(' ')}\n`;
}
