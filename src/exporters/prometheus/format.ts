/**
 * The two exposition formats /metrics speaks: Prometheus text 0.0.4 (default) and OpenMetrics 1.0.0
 * (when the scraper asks for it). Sample lines are the same in both for our names (counters already end
 * in `_total`); they differ in the family name of counter HELP/TYPE lines, HELP escaping, and the final
 * `# EOF`. Values are never NaN or ±Inf here: the catalog leaves such series out (D6).
 */

/** Exposition format of one response. */
export type ExpositionFormat = 'text' | 'openmetrics';

/** Content-Type of each format. */
export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  text: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

const NEEDS_LABEL_ESCAPE = /[\\"\n]/;

/** A label value escaped for both formats: backslash, double quote and newline. */
export function escapeLabelValue(v: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(v)) return v;
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escaped: backslash and newline (text 0.0.4), plus double quote for OpenMetrics. */
export function escapeHelp(help: string, format: ExpositionFormat): string {
  const s = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? s.replace(/"/g, '\\"') : s;
}

/** `name{a="x",b="y"}` plus the separating space, with values escaped; `name ` without labels. */
export function seriesPrefix(name: string, labelNames: readonly string[], labelValues: readonly string[]): string {
  if (labelNames.length === 0) return `${name} `;
  let s = `${name}{`;
  for (let i = 0; i < labelNames.length; i++) {
    if (i > 0) s += ',';
    s += `${labelNames[i] ?? ''}="${escapeLabelValue(labelValues[i] ?? '')}"`;
  }
  return `${s}} `;
}

/** A finite sample value as both formats accept it (integers without exponent up to 1e21, Go-parsable floats). */
export function formatValue(v: number): string {
  return String(v);
}

/**
 * The family name in HELP/TYPE lines: OpenMetrics names a counter family without its `_total` suffix
 * (the samples keep it); text 0.0.4 uses the sample name.
 */
export function familyName(name: string, type: string, format: ExpositionFormat): string {
  return format === 'openmetrics' && type === 'counter' && name.endsWith('_total') ? name.slice(0, -6) : name;
}

/** The `# HELP` and `# TYPE` lines of a family. */
export function familyHeader(name: string, type: string, help: string, format: ExpositionFormat): string {
  const fam = familyName(name, type, format);
  return `# HELP ${fam} ${escapeHelp(help, format)}\n# TYPE ${fam} ${type}\n`;
}

interface AcceptEntry {
  readonly type: string;
  readonly q: number;
}

function parseAccept(header: string): AcceptEntry[] {
  return header.split(',').map((part) => {
    const [type = '', ...params] = part.split(';').map((x) => x.trim().toLowerCase());
    let q = 1;
    for (const p of params) {
      if (p.startsWith('q=')) {
        const n = Number(p.slice(2));
        q = Number.isFinite(n) ? n : 0;
      }
    }
    return { type, q };
  });
}

/**
 * Content negotiation: OpenMetrics when the Accept header lists `application/openmetrics-text` with a
 * q-value above zero and not below text/plain's; text 0.0.4 otherwise (also for a missing header).
 */
export function negotiateFormat(accept: string | undefined): ExpositionFormat {
  if (accept === undefined || accept === '') return 'text';
  let om = -1;
  let text = -1;
  for (const e of parseAccept(accept)) {
    if (e.type === 'application/openmetrics-text') om = Math.max(om, e.q);
    else if (e.type === 'text/plain') text = Math.max(text, e.q);
  }
  return om > 0 && om >= text ? 'openmetrics' : 'text';
}

/** True when Accept-Encoding allows gzip (a q-value of 0 refuses it). */
export function acceptsGzip(acceptEncoding: string | undefined): boolean {
  if (acceptEncoding === undefined) return false;
  return parseAccept(acceptEncoding).some((e) => (e.type === 'gzip' || e.type === 'x-gzip' || e.type === '*') && e.q > 0);
}
