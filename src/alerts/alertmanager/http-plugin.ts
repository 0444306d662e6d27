/**
 * The receiver as the agent's HTTP listener registers it: off unless `alerts.alertmanager.enabled`; the
 * bearer token read from `alerts.alertmanager.tokenFile` at start-up (a missing or empty file is a config
 * error naming the key). Returns the `{name, plugin, options}` triple of src/http/app.ts's HttpPlugin.
 */
import { readFileSync } from 'node:fs';
import type { ResolvedAlerts } from '../../config/blocks/alerts.ts';
import type { Actions } from '../../actions/types.ts';
import { VirtmonError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/logger.ts';
import { alertmanagerReceiver, type AlertmanagerReceiverOptions } from './plugin.ts';

/** Reads the receiver's token; VIRTMON_ERR_CONFIG naming `alerts.alertmanager.tokenFile` when unusable. */
export function readReceiverToken(file: string, configFile = 'virtmon.yaml'): string {
  const key = 'alerts.alertmanager.tokenFile';
  let token: string;
  try {
    token = readFileSync(file, 'utf8').trim();
  } catch (err) {
    throw new VirtmonError('VIRTMON_ERR_CONFIG', `${configFile}: ${key}: cannot read ${file}: ${(err as Error).message}`, { file: configFile, key, cause: err });
  }
  if (token === '') throw new VirtmonError('VIRTMON_ERR_CONFIG', `${configFile}: ${key}: ${file} is empty`, { file: configFile, key });
  return token;
}

/** The plugin triple for the HTTP listener, or undefined when the receiver is off. */
export function alertmanagerHttpPlugin(settings: ResolvedAlerts, actions: Actions, logger: Logger, configFile?: string): {
  readonly name: string; readonly plugin: typeof alertmanagerReceiver; readonly options: AlertmanagerReceiverOptions & Record<string, unknown>;
} | undefined {
  const am = settings.alertmanager;
  if (!am.enabled || am.tokenFile === undefined) return undefined;
  return { name: 'alertmanager-receiver', plugin: alertmanagerReceiver, options: { actions, token: readReceiverToken(am.tokenFile, configFile), logger } };
}
