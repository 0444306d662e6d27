#!/usr/bin/env node
// `npm start`: the agent on the demo host (examples/virtmon-demo.yaml with @REPO@ replaced by this
// checkout's path, written to .virtmon/virtmon-demo.yaml), in the foreground; Ctrl-C stops it.
// Extra arguments go to `virtmon agent` (`npm start -- --help`).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const template = readFileSync(`${root}/examples/virtmon-demo.yaml`, 'utf8');
mkdirSync(`${root}/.virtmon`, { recursive: true });
const config = `${root}/.virtmon/virtmon-demo.yaml`;
writeFileSync(config, template.replaceAll('@REPO@', root));
const child = spawn(process.execPath, [`${root}/bin/virtmon.js`, 'agent', '--config', config, ...process.argv.slice(2)], { stdio: 'inherit' });
// The agent handles Ctrl-C itself; the launcher only waits for it.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => child.kill('SIGTERM'));
child.on('exit', (code, signal) => process.exit(signal === null ? (code ?? 1) : 1));
