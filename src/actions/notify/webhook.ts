/**
 * The webhook action: the notification as a JSON POST, a deadline per attempt, retries with
 * exponential backoff on network errors, timeouts, 429 and 5xx (a 4xx other than 429 is final). Each
 * call is independent, so a hanging target delays only its own delivery, never another action.
 */
import { VirtmonError } from '../../domain/errors.ts';
import type { WebhookTarget } from './types.ts';

/** How a delivery went. */
export interface WebhookResult {
  readonly status: number;
  readonly attempts: number;
}

/** Sleep used between retries (injectable so tests do not wait). */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms).unref(); });

/** Backoff before retry `n` (1-based): 250 ms doubling, capped at 5 s. */
export function backoffMs(n: number): number {
  return Math.min(5000, 250 * 2 ** (n - 1));
}

/** POSTs `body` to the target; resolves on a 2xx, rejects with VIR_ERR_OPERATION_FAILED after the last attempt. */
export async function postWebhook(target: WebhookTarget, body: unknown, sleep: Sleep = realSleep): Promise<WebhookResult> {
  const payload = JSON.stringify(body);
  let last = '';
  for (let attempt = 1; attempt <= target.retries + 1; attempt++) {
    if (attempt > 1) await sleep(backoffMs(attempt - 1));
    try {
      const res = await fetch(target.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'virtmon', ...target.headers },
        body: payload,
        signal: AbortSignal.timeout(target.timeoutMs),
        redirect: 'error',
      });
      // Drain the body so the connection is released.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { status: res.status, attempts: attempt };
      last = `HTTP ${res.status}`;
      if (res.status < 500 && res.status !== 429) break;
    } catch (err) {
      const e = err as Error;
      last = e.name === 'TimeoutError' ? `timed out after ${target.timeoutMs} ms` : `${e.message}${e.cause instanceof Error ? `: ${e.cause.message}` : ''}`;
    }
  }
  throw new VirtmonError('VIR_ERR_OPERATION_FAILED', `webhook '${target.name}': ${last}`);
}
