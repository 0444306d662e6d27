/**
 * Durations in config files: a number of seconds (`10`, `0.5`) or a string with a unit
 * (`500ms`, `10s`, `5m`, `1h`, `1h30m`), as Prometheus and systemd write them.
 */
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/gy;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Parses a duration to milliseconds; undefined when the text is not a duration. */
export function parseDuration(value: number | string): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? value * 1000 : undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  if (text === '') return undefined;
  let total = 0;
  PART.lastIndex = 0;
  let consumed = 0;
  for (let m = PART.exec(text); m !== null; m = PART.exec(text)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
    consumed = PART.lastIndex;
  }
  return consumed === text.length && Number.isFinite(total) ? total : undefined;
}

/** Pattern used in the JSON schema so validation already names a malformed duration. */
export const DURATION_PATTERN = '^(\\d+(\\.\\d+)?|(\\d+(\\.\\d+)?(ms|s|m|h|d))+)$';
