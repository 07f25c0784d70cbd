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
