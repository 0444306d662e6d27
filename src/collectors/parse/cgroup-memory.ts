/**
 * Memory files of a cgroup: v1 `memory.usage_in_bytes`, v2 `memory.current` (one number, bytes) and
 * `memory.stat` of either version (`key value` lines; v1 has `cache rss … total_*`, v2 `anon file …`).
 */
import { parseKeyedU64, parseSingleU64 } from './numbers.ts';

/** v1 `memory.usage_in_bytes` or v2 `memory.current`, bytes. */
export function parseMemoryUsage(text: string): bigint | undefined {
  return parseSingleU64(text);
}

/** `memory.stat` of either version as key → value (bytes or event counts). */
export function parseMemoryStat(text: string): Map<string, bigint> {
  return parseKeyedU64(text);
}
