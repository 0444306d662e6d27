#!/usr/bin/env node
// `npm start` for now: the CLI on the demo host (examples/demo-node.xml), from any working directory.
// Extra arguments replace the default command line: `npm start -- 'dominfo web-01'`.
import { spawn } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const node = pathToFileURL(`${root}examples/demo-node.xml`).pathname;
const commands = process.argv.slice(2);
const args = [`${root}bin/virtmon.js`, '-c', `test://${node}`, ...(commands.length > 0 ? commands : ['list --all; domstats'])];
const child = spawn(process.execPath, args, { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(signal === null ? (code ?? 1) : 1));
