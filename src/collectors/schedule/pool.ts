/** A bounded worker pool: runs `work` for every item with at most `limit` in flight. */
import type { Turns } from './turns.ts';

/**
 * Runs `work` over `items`, at most `limit` at a time; resolves when all are done. `work` must not
 * reject. With `turns`, a worker whose items complete synchronously (no I/O wait) gives the event loop
 * a turn whenever the current slice is used up, so a big pool never stalls timers and sockets.
 */
export async function runPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>, turns?: Turns): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
      const turn = turns?.due();
      if (turn !== undefined) await turn;
    }
  };
  const workers: Promise<void>[] = [];
  for (let i = 0; i < Math.min(Math.max(1, limit), items.length); i++) workers.push(worker());
  await Promise.all(workers);
}
