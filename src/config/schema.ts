/**
 * The agent's configuration file (virtmon.yaml) as one JSON schema built from per-block schemas.
 * Every object rejects unknown keys; defaults live in the schema so the resolved config is complete.
 */
import { Type, type Static } from 'typebox';
import { AlertsBlock } from './blocks/alerts.ts';
import { CollectionBlock, CollectorsBlock, DomainsBlock } from './blocks/collection.ts';
import { RemoteBlock } from './blocks/auth.ts';
import { Strict } from './blocks/common.ts';
import { LogBlock, PathsBlock } from './blocks/core.ts';
import { OtelBlock } from './blocks/otel.ts';
import { AgentBlock } from './blocks/agent.ts';
import { ApiBlock, HttpBlock, MetricsBlock } from './blocks/serving.ts';
import { SnmpBlock } from './blocks/snmp.ts';

export const ConfigSchema = Strict({
  uri: Type.String({ default: 'qemu:///system', description: 'connection the agent opens' }),
  log: LogBlock,
  paths: PathsBlock,
  collection: CollectionBlock,
  collectors: CollectorsBlock,
  domains: DomainsBlock,
  http: HttpBlock,
  api: ApiBlock,
  metrics: MetricsBlock,
  otel: OtelBlock,
  snmp: SnmpBlock,
  alerts: AlertsBlock,
  remote: RemoteBlock,
  agent: AgentBlock,
}, 'virtmon agent configuration');

/** The config as validated (defaults applied by the validator; durations still raw). */
export type RawConfig = Static<typeof ConfigSchema>;
