/**
 * Marks a fastify plugin as shared with its parent (what the fastify-plugin package does), so hooks
 * it adds apply to the routes the agent registers next to it instead of being encapsulated away.
 */
import type { FastifyPluginAsync } from 'fastify';

/** Returns `plugin` marked skip-override and named for fastify's plugin tree and errors. */
export function sharedPlugin<O extends Record<string, unknown>>(name: string, plugin: FastifyPluginAsync<O>): FastifyPluginAsync<O> {
  return Object.assign(plugin, {
    [Symbol.for('skip-override')]: true,
    [Symbol.for('fastify.display-name')]: name,
  });
}
