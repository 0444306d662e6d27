/**
 * A reference to a domain as the driver table passes it around (libvirt's virDomainPtr): name, UUID and
 * the runtime id (-1 when inactive). Drivers resolve a ref by UUID; the name and id are for display.
 */
export interface DomainRef {
  readonly name: string;
  /** Canonical lowercase 8-4-4-4-12 form. */
  readonly uuid: string;
  /** Runtime id while active, -1 when inactive (virsh prints `-`). */
  readonly id: number;
}

const UUID_DASHED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const UUID_PLAIN = /^[0-9a-f]{32}$/;

/**
 * Normalizes a UUID the way libvirt's virUUIDParse accepts it (with or without dashes, any case)
 * into the canonical dashed lowercase form; undefined when it is not a UUID.
 */
export function normalizeUuid(text: string): string | undefined {
  const lower = text.trim().toLowerCase();
  if (UUID_DASHED.test(lower)) return lower;
  if (UUID_PLAIN.test(lower)) {
    return `${lower.slice(0, 8)}-${lower.slice(8, 12)}-${lower.slice(12, 16)}-${lower.slice(16, 20)}-${lower.slice(20)}`;
  }
  return undefined;
}

/** The 16 raw bytes of a canonical UUID (for SNMP indexes). */
export function uuidToBytes(uuid: string): Uint8Array {
  const hex = uuid.replaceAll('-', '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** The canonical form of 16 raw UUID bytes. */
export function uuidFromBytes(bytes: ArrayLike<number>): string {
  let hex = '';
  for (let i = 0; i < 16; i++) hex += (bytes[i] ?? 0).toString(16).padStart(2, '0');
  return normalizeUuid(hex) ?? hex;
}
