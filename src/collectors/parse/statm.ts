/**
 * `/proc/PID/statm` (proc(5)): sizes in pages, `size resident shared text lib data dt`. `resident` is
 * the same mm counter sum as field 24 of `/proc/PID/stat` (get_mm_rss), but the kernel builds statm
 * without walking the process's threads, so it is the cheaper file for `balloon.rss`.
 */
import { parseU64 } from './numbers.ts';

/** The resident set size in pages (2nd field); undefined when the text is not in the kernel's format. */
export function parseStatmResidentPages(text: string): bigint | undefined {
  const first = text.indexOf(' ');
  if (first <= 0) return undefined;
  const second = text.indexOf(' ', first + 1);
  return parseU64(text.slice(first + 1, second < 0 ? text.trimEnd().length : second));
}
