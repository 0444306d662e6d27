// A process that holds the qemu driver for the restart test: opens qemu:///system with the settings
// given as JSON in argv[2], defines and starts the domains whose XML follow (argv[3…], one JSON array),
// prints one JSON line with their refs and pids, then waits to be killed.
import { openConnection } from '../../src/drivers/dispatch.ts';
import { qemuDriver } from '../../src/drivers/qemu/driver.ts';
import { parseUri } from '../../src/drivers/uri.ts';

const settings = JSON.parse(process.argv[2] ?? '{}') as Record<string, unknown>;
const xmls = JSON.parse(process.argv[3] ?? '[]') as string[];

async function main(): Promise<void> {
  const conn = await openConnection(parseUri('qemu:///system'), [qemuDriver], { settings });
  const out = [];
  for (const xml of xmls) {
    const dom = await conn.create(await conn.defineXML(xml));
    const target = (await conn.statsTargets()).find((t) => t.ref.uuid === dom.uuid);
    out.push({ ...dom, pid: target?.pid });
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
  setInterval(() => undefined, 1 << 30);
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err)}\n`);
  process.exit(1);
});
