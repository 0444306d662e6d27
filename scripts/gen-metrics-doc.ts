/**
 * Writes docs/metrics.md and the README's metric list from the metric catalog. `--check` only compares and exits 1 when the file is stale.
 *
 *   node --import tsx scripts/gen-metrics-doc.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { METRICS_DOC_PATH, renderMetricsDoc } from '../src/catalog/doc.ts';
import { updateReadme } from '../src/catalog/doc-readme.ts';

const path = new URL(`../${METRICS_DOC_PATH}`, import.meta.url);
const text = renderMetricsDoc();
const readmePath = new URL('../README.md', import.meta.url);
const readme = readFileSync(readmePath, 'utf8');
const readmeText = updateReadme(readme);
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    // a missing file is stale too
  }
  if (current !== text || readme !== readmeText) {
    console.error(`${METRICS_DOC_PATH} or the README metric list is out of date: run node --import tsx scripts/gen-metrics-doc.ts`);
    process.exit(1);
  }
  console.log(`${METRICS_DOC_PATH} and the README metric list are up to date`);
} else {
  writeFileSync(path, text);
  writeFileSync(readmePath, readmeText);
  console.log(`wrote ${METRICS_DOC_PATH} and the README metric list`);
}
