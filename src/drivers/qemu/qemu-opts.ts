/**
 * QEMU's `key=value,key=value` option syntax (QemuOpts): a comma inside a value is written `,,`. Every
 * value that comes from a domain definition (names, paths, serials) goes through {@link optValue}, so a
 * name such as `a,b` cannot inject an extra option.
 */

/** Escapes a value for QemuOpts. */
export function optValue(value: string | number): string {
  return String(value).replaceAll(',', ',,');
}

/** Builds `head,k1=v1,k2=v2`, skipping undefined values; booleans become on/off. */
export function opts(head: string, pairs: Readonly<Record<string, string | number | boolean | undefined>>): string {
  let out = head;
  for (const [key, value] of Object.entries(pairs)) {
    if (value === undefined) continue;
    const text = typeof value === 'boolean' ? (value ? 'on' : 'off') : optValue(value);
    out += out === '' ? `${key}=${text}` : `,${key}=${text}`;
  }
  return out;
}

/** libvirt's virDiskNameToIndex: `vda` → 0, `sdb` → 1, `hdaa` → 26; undefined when not a disk name. */
export function diskNameToIndex(dev: string): number | undefined {
  const m = /^(?:vd|sd|hd|xvd|ubd)([a-z]+)$/.exec(dev);
  if (m === null) return undefined;
  let idx = 0;
  for (const ch of m[1] ?? '') idx = idx * 26 + (ch.charCodeAt(0) - 96);
  return idx - 1;
}
