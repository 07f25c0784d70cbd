/**
 * A judging command's run into the history (--history), and --fail-on-new: the findings
 * of the previous run of the same scope are suppressed as a baseline (src/core/suppress.ts),
 * so that the shared exit rule counts only the new ones.
 */
import { applyBaseline, type Baseline } from '../core/suppress.js';
import { summarize } from '../core/report.js';
import type { Report } from '../core/types.js';
import type { TrendPoint } from '../reporters/html.js';
import { History, scopeOf } from './db.js';

/** Runs shown in the HTML report's trend chart. */
export const TREND_RUNS = 30;

export interface Recorded {
  report: Report;
  runId: number;
  scopeLabel: string;
  previous?: number;
  baseline?: Baseline;
  trend: TrendPoint[];
}

export function recordRun(report: Report, path: string, opts: { failOnNew: boolean }): Recorded {
  const history = History.open(path, { create: true });
  try {
    const scope = scopeOf(report);
    const prev = history.previous(scope.key);
    let out = report;
    let baseline: Baseline | undefined;
    if (opts.failOnNew) {
      const notes = [...report.notes];
      if (prev) {
        baseline = { file: `history run #${prev.id}`, command: prev.command, fingerprints: history.findingFingerprints(prev.id) };
        const b = applyBaseline(report.results, baseline, `history run #${prev.id} (${prev.startedAt})`);
        const known = b.results.filter((r, i) => r.suppression && !report.results[i]!.suppression).length;
        notes.push(`--fail-on-new: ${known} finding(s) of run #${prev.id} of this scope suppressed${b.absent ? `, ${b.absent} of its findings no longer present` : ''}.`);
        out = { ...report, notes, results: b.results, summary: summarize(b.results, report.summary.notApplicable) };
      } else {
        notes.push('--fail-on-new: no earlier run of this scope in the history: every finding is new.');
        out = { ...report, notes };
      }
    }
    // The run is stored with its own findings: what --fail-on-new suppressed is still a finding of this run.
    const runId = history.record(report, scope);
    const trend = history
      .list({ scope: scope.key, limit: TREND_RUNS })
      .reverse()
      .map((r) => ({ run: r.id, startedAt: r.startedAt, failuresBySeverity: r.summary.failuresBySeverity, errors: r.summary.ERROR }));
    return { report: out, runId, scopeLabel: scope.label, ...(prev && { previous: prev.id }), ...(baseline && { baseline }), trend };
  } finally {
    history.close();
  }
}
