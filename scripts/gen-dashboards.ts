/**
 * Writes the Grafana dashboards under dashboards/ from scripts/dashboards/*.ts. Refuses to write a dashboard
 * whose queries name a metric the catalog does not export. `--check` only compares and exits 1 when stale.
 *
 *   node --import tsx scripts/gen-dashboards.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { DASHBOARDS, renderDashboard } from './dashboards/index.ts';

let stale = 0;
for (const { file, spec } of DASHBOARDS) {
  const path = new URL(`../${file}`, import.meta.url);
  const text = renderDashboard(spec);
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      // a missing file is stale too
    }
    if (current !== text) {
      console.error(`${file} is out of date: run node --import tsx scripts/gen-dashboards.ts`);
      stale++;
    }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${file}`);
  }
}
process.exit(stale > 0 ? 1 : 0);
