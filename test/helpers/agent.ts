/** An in-process agent on a short temp run directory, for API and remote-driver tests. */
import { writeFile } from 'node:fs/promises';
import { startAgent, type RunningAgent } from '../../src/agent/agent.ts';
import type { ComponentFactory, HttpPluginFactory } from '../../src/agent/components.ts';
import { parseConfigText } from '../../src/config/load.ts';
import { silentLogger, type Logger } from '../../src/domain/logger.ts';
import { AGENT_DRIVERS } from '../../src/drivers/index.ts';
import { shortTempDir, type ShortTempDir } from './tmp-socket.ts';

/** A started agent and its temp dir; `stop()` stops it and removes the dir. */
export interface TestAgent {
  readonly agent: RunningAgent;
  readonly tmp: ShortTempDir;
  /** `test+unix:///default?socket=…` (or the read-only socket). */
  uri(readOnly?: boolean): string;
  stop(): Promise<void>;
}

/** Starts an agent on `uri` (default test:///default) with extra YAML lines appended to the config. */
export async function startTestAgent(options: {
  readonly uri?: string;
  readonly extraYaml?: string;
  readonly logger?: Logger;
  readonly components?: readonly ComponentFactory[];
  readonly httpPlugins?: readonly HttpPluginFactory[];
} = {}): Promise<TestAgent> {
  const tmp = await shortTempDir('ag');
  const file = tmp.path('virtmon.yaml');
  const text = [
    `uri: ${options.uri ?? 'test:///default'}`,
    'http: { listen: "127.0.0.1:0" }',
    `agent: { runDir: ${tmp.path('run')} }`,
    'collection: { interval: 1s }',
    // The audit log goes to the temp dir unless the test configures the alerts block itself.
    /^alerts:/m.test(options.extraYaml ?? '') ? '' : `alerts: { auditLog: ${tmp.path('audit.log')} }`,
    options.extraYaml ?? '',
  ].join('\n');
  await writeFile(file, text);
  const config = parseConfigText(text, file);
  let agent: RunningAgent;
  try {
    agent = await startAgent({
      config, configFile: file, drivers: AGENT_DRIVERS, runDir: tmp.path('run'), logger: options.logger ?? silentLogger(),
      version: '0.1.0',
      ...(options.components === undefined ? {} : { components: options.components }),
      ...(options.httpPlugins === undefined ? {} : { httpPlugins: options.httpPlugins }),
    });
  } catch (err) {
    await tmp.remove();
    throw err;
  }
  const scheme = (options.uri ?? 'test:///default').split(':')[0] ?? 'test';
  return {
    agent,
    tmp,
    uri: (readOnly = false) =>
      `${scheme}+unix:///${scheme === 'test' ? 'default' : 'system'}?socket=${readOnly ? agent.addresses.readOnlySocket : agent.addresses.socket}`,
    async stop() {
      await agent.stop();
      await tmp.remove();
    },
  };
}
