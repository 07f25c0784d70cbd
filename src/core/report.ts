/** Building a Report: the envelope every command (audit, lint, passwd audit) shares. */
import { SEVERITIES, severityRank, type CheckResult, type Report, type ReportSummary, type Severity } from './types.js';
import { VERSION } from '../version.js';

export function summarize(results: readonly CheckResult[], notApplicable = 0): ReportSummary {
  const s: ReportSummary = {
    PASS: 0,
    FAIL: 0,
    SKIP: 0,
    ERROR: 0,
    failuresBySeverity: Object.fromEntries(SEVERITIES.map((x) => [x, 0])) as Record<Severity, number>,
    suppressed: 0,
    notApplicable,
  };
  for (const r of results) {
    s[r.status]++;
    if (r.suppression) s.suppressed++;
    else if (r.status === 'FAIL') s.failuresBySeverity[r.severity]++;
  }
  return s;
}

/**
 * Start the clock of a report; the returned function closes it with the
 * command's own options, targets, notes and results.
 */
export function reportClock(command: Report['command']): (body: Pick<Report, 'options' | 'targets' | 'notes' | 'results'>, notApplicable?: number) => Report {
  const startedAt = new Date();
  const t0 = performance.now();
  return (body, notApplicable = 0) => ({
    schemaVersion: 1,
    tool: { name: 'mqtt-warden', version: VERSION },
    command,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Math.round(performance.now() - t0),
    ...body,
    summary: summarize(body.results, notApplicable),
  });
}

/**
 * The exit rule of every command that judges: 1 when an unsuppressed FAIL at or
 * above `failOn` exists; otherwise 2 when a check ended in ERROR (the run could not
 * judge everything it was asked to: never reported as clean); otherwise 0.
 * `failOn: none` turns findings off as a reason, not errors.
 */
export function exitCodeFor(report: Pick<Report, 'results'>, failOn: Severity | 'none'): 0 | 1 | 2 {
  const open = report.results.filter((r) => !r.suppression);
  if (failOn !== 'none' && open.some((r) => r.status === 'FAIL' && severityRank(r.severity) >= severityRank(failOn))) return 1;
  return open.some((r) => r.status === 'ERROR') ? 2 : 0;
}
