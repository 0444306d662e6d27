/**
 * Number helpers shared by the kernel-file parsers. Kernel counters are u64, so they are parsed to
 * bigint from their decimal text and never pass through a double (a double is exact only to 2^53).
 */

const U64 = /^\d{1,20}$/;
const MAX_U64 = (1n << 64n) - 1n;

/** Parses an unsigned decimal u64; undefined for anything else (empty, signed, `max`, overflow). */
export function parseU64(text: string): bigint | undefined {
  if (!U64.test(text)) return undefined;
  const value = BigInt(text);
  return value <= MAX_U64 ? value : undefined;
}

/** Parses a file that holds one u64 (`cpuacct.usage`, `memory.current`), ignoring surrounding space. */
export function parseSingleU64(text: string): bigint | undefined {
  return parseU64(text.trim());
}

/**
 * Parses `key value` lines (`cpu.stat`, `memory.stat`, `cpuacct.stat`) into a map of u64 values.
 * Lines whose value is not a u64 are left out rather than guessed.
 */
export function parseKeyedU64(text: string): Map<string, bigint> {
  const out = new Map<string, bigint>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const value = parseU64(line.slice(space + 1).trim());
    if (value !== undefined) out.set(line.slice(0, space), value);
  }
  return out;
}

/**
 * Converts a QMP JSON number to a u64 bigint. JSON.parse turns integers above 2^53 into doubles, so a
 * QMP client that keeps big integers may hand over a bigint or a decimal string instead; all three work.
 * Negative, fractional and non-finite values give undefined.
 */
export function jsonU64(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value >= 0n && value <= MAX_U64 ? value : undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? BigInt(value) : bigFromDouble(value);
  if (typeof value === 'string') return parseU64(value);
  return undefined;
}

/** A double that is an integer beyond 2^53 (already rounded by JSON.parse): kept as the nearest u64. */
function bigFromDouble(value: number): bigint | undefined {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** 64) return undefined;
  return BigInt(value);
}
