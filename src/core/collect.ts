/** Small helpers every collector phase uses: timing a fact, bounded concurrency. */
import type { Fact } from './types.js';

/** Run one collector: its value, or its error message; with the time it took. */
export async function collect<T>(fn: () => Promise<T>): Promise<Fact<T>> {
  const t0 = performance.now();
  try {
    const value = await fn();
    return { state: 'ok', value, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    const error = e instanceof Error ? e.message : String(e);
    return { state: 'error', error, ms: Math.round(performance.now() - t0) };
  }
}

/** Map with at most `limit` calls in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  });
  await Promise.all(workers);
  return out;
}

/**
 * Map with at most `limit` calls in flight, and at most `perGroup` of them for
 * items of one group (e.g. endpoints of one host: one broker's load); results
 * in input order. Items are started in input order within their group, the
 * groups taken in turn.
 */
export async function mapLimitGrouped<T, R>(
  items: readonly T[],
  limit: number,
  perGroup: number,
  group: (item: T) => string,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  const queues = new Map<string, { next: number; indices: number[]; running: number }>();
  items.forEach((item, i) => {
    const k = group(item);
    let q = queues.get(k);
    if (!q) queues.set(k, (q = { next: 0, indices: [], running: 0 }));
    q.indices.push(i);
  });
  const order = [...queues.values()];
  let turn = 0;
  let left = items.length;
  let wake: (() => void) | null = null;
  let wakeUp: Promise<void> = new Promise((r) => (wake = r));
  /** The next queue with an item left and room, in turn; null when every such queue is full. */
  const pick = () => {
    for (let n = 0; n < order.length; n++) {
      const q = order[(turn + n) % order.length]!;
      if (q.next < q.indices.length && q.running < perGroup) {
        turn = (turn + n + 1) % order.length;
        return q;
      }
    }
    return null;
  };
  const worker = async () => {
    // Bounded: every turn starts an item, or waits for one to finish (left shrinks).
    while (left > 0) {
      const q = pick();
      if (!q) {
        if (order.every((x) => x.next >= x.indices.length)) return;
        await wakeUp;
        continue;
      }
      const i = q.indices[q.next++]!;
      q.running++;
      try {
        out[i] = await fn(items[i]!);
      } finally {
        q.running--;
        left--;
        const w = wake!;
        wakeUp = new Promise((r) => (wake = r));
        w();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
