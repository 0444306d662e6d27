/**
 * Writes docs/metrics.md from the metric catalog. `--check` only compares and exits 1 when the file is stale.
 *
 *   node --import tsx scripts/gen-metrics-doc.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../src/catalog/doc.ts';

const path = new URL(`../${METRICS_DOC_PATH}`, import.meta.url);
const text = renderMetricsDoc();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== text) {
    console.error(`${METRICS_DOC_PATH} is out of date: run node --import tsx scripts/gen-metrics-doc.ts`);
    process.exit(1);
  }
  console.log(`${METRICS_DOC_PATH} is up to date`);
} else {
  writeFileSync(path, text);
  console.log(`wrote ${METRICS_DOC_PATH}`);
}
