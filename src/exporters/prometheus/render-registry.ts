/**
 * Renders a prom-client Registry (self metrics, process and Node.js metrics) in either format from
 * `getMetricsAsJSON()`, so one escaping and one `_total` rule cover the whole response. prom-client's own
 * `metrics()` fixes the format at Registry construction, and /metrics negotiates it per request.
 * Non-finite values are left out (D6).
 */
import type { Registry } from 'prom-client';
import { familyHeader, familyName, formatValue } from './format.ts';
import type { ExpositionFormat } from './format.ts';

interface JsonValue {
  readonly value: number;
  readonly labels?: Readonly<Record<string, string | number>>;
  readonly metricName?: string;
}

interface JsonMetric {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values?: readonly JsonValue[];
}

function labelString(labels: Readonly<Record<string, string | number>> | undefined): string {
  if (labels === undefined) return '';
  const keys = Object.keys(labels);
  if (keys.length === 0) return '';
  const parts = keys.map((k) => {
    const v = String(labels[k]);
    return `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  });
  return `{${parts.join(',')}}`;
}

interface GettableMetric {
  readonly name: string;
  get(): Promise<JsonMetric>;
}

/** The sample name: OpenMetrics counters always end in `_total`; other names as prom-client gives them. */
function sampleName(m: JsonMetric, v: JsonValue, format: ExpositionFormat): string {
  const name = v.metricName ?? m.name;
  if (format === 'openmetrics' && m.type === 'counter') return `${familyName(name, 'counter', format)}_total`;
  return name;
}

/** Renders the metrics of `getMetricsAsJSON()` output; families without a finite value are left out. */
export function renderMetricsJson(metrics: readonly JsonMetric[], format: ExpositionFormat): string {
  const parts: string[] = [];
  for (const m of metrics) {
    let body = '';
    for (const v of m.values ?? []) {
      if (typeof v.value !== 'number' || !Number.isFinite(v.value)) continue;
      body += `${sampleName(m, v, format)}${labelString(v.labels)} ${formatValue(v.value)}\n`;
    }
    if (body === '') continue;
    parts.push(familyHeader(m.name, m.type, m.help, format), body);
  }
  return parts.join('');
}

/**
 * Renders a registry in `format`. A failing collect() of one metric must not fail the scrape, so the
 * registry's metrics are read one by one and a metric whose `get()` throws is left out and reported.
 */
export async function renderRegistry(
  registry: Registry, format: ExpositionFormat, onError: (name: string, err: unknown) => void,
): Promise<string> {
  const out: JsonMetric[] = [];
  // Every prom-client metric has get() (it runs collect()); the typings' MetricObject omits it.
  for (const metric of registry.getMetricsAsArray() as unknown as readonly GettableMetric[]) {
    try {
      out.push(await metric.get());
    } catch (err) {
      onError(metric.name, err);
    }
  }
  return renderMetricsJson(out, format);
}
