/**
 * The `drill.history` fact: which drills ran against which brokers, when, and whether the defences held, read
 * from the history database that `drill run --history` writes (read-only: never created here). The drill-cadence
 * check (CFG-110) judges it against the policy's `drills` values.
 */
import { existsSync } from 'node:fs';
import type { DrillHistory } from '../core/facts.js';
import type { Fact } from '../core/types.js';
import { History } from './db.js';
import { HistoryError } from './paths.js';

export function collectDrillHistory(path: string | undefined, root: string): Fact<DrillHistory> {
  const t0 = performance.now();
  if (path === undefined) {
    return { state: 'skipped', reason: `offline root ${root}: the drill history is the auditing machine's, not the image's`, notApplicable: true };
  }
  if (!existsSync(path)) return { state: 'skipped', reason: `no history database at ${path}: record drills with \`mqtt-warden drill run NAME --target URL --history\`` };
  let h: History | undefined;
  try {
    h = History.open(path, { create: false });
    const runs: DrillHistory['runs'] = [];
    for (const r of h.drillRuns()) {
      for (const t of r.targets) {
        const hash = t.uri.lastIndexOf('#');
        if (hash < 0) continue;
        runs.push({
          drill: t.uri.slice(hash + 1),
          target: t.uri.slice(0, hash),
          startedAt: r.startedAt,
          held: r.summary.FAIL === 0 && r.summary.ERROR === 0 && r.summary.PASS > 0,
          unverified: r.summary.SKIP,
        });
      }
    }
    return { state: 'ok', value: { db: path, readAt: new Date().toISOString(), runs }, ms: Math.round(performance.now() - t0) };
  } catch (e) {
    return { state: 'error', error: e instanceof HistoryError ? e.message : `cannot read history database ${path}: ${(e as Error).message}`, ms: Math.round(performance.now() - t0) };
  } finally {
    h?.close();
  }
}
