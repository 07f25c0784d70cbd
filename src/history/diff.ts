/**
 * Drift between two runs: which findings are new, fixed, still open or changed severity,
 * matched by their stable fingerprints (src/core/fingerprint.ts), and how the counts moved.
 *
 * A finding is a FAIL result that no waiver suppressed. A finding of the older run that
 * the newer one did not judge (its check ended in ERROR or SKIP on that subject, or did
 * not run there) is "not judged", not "fixed": a probe that broke is no fix.
 */
import { severityRank, SEVERITIES, type CheckResult, type Report, type Severity } from '../core/types.js';
import { where } from '../reporters/place.js';

export interface DiffFinding {
  fingerprint: string;
  checkId: string;
  title: string;
  severity: Severity;
  subject: string;
  /** file:line:column for config findings, else the subject. */
  place: string;
  message: string;
}

export interface ChangedFinding extends DiffFinding {
  before: { severity: Severity; message: string };
}

export interface RunRef {
  id: number;
  startedAt: string;
  summary: Report['summary'];
}

export interface HistoryDiff {
  from: RunRef;
  to: RunRef;
  scopeLabel: string;
  new: DiffFinding[];
  fixed: DiffFinding[];
  /** Findings of the older run the newer one could not judge. */
  unjudged: DiffFinding[];
  /** Still open, same severity. */
  open: DiffFinding[];
  /** Still open, another severity. */
  changed: ChangedFinding[];
  counts: { new: number; fixed: number; unjudged: number; open: number; changed: number };
  /** Findings (FAILs no waiver suppressed) per severity: before, after. */
  severities: Record<Severity, { before: number; after: number }>;
}

function findings(report: Report): Map<string, CheckResult> {
  const out = new Map<string, CheckResult>();
  for (const r of report.results) if (r.status === 'FAIL' && r.suppression?.kind !== 'waiver') out.set(r.fingerprint, r);
  return out;
}

function entry(r: CheckResult): DiffFinding {
  return { fingerprint: r.fingerprint, checkId: r.checkId, title: r.title, severity: r.severity, subject: r.subject, place: where(r), message: r.message };
}

const order = (a: DiffFinding, b: DiffFinding) => severityRank(b.severity) - severityRank(a.severity) || (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) || (a.place < b.place ? -1 : a.place > b.place ? 1 : 0);

export function diffRuns(from: { id: number; report: Report }, to: { id: number; report: Report }, scopeLabel: string): HistoryDiff {
  const a = findings(from.report);
  const b = findings(to.report);
  // Check × subject pairs the newer run judged (PASS or FAIL): a finding missing from them was not looked at.
  const judged = new Set(to.report.results.filter((r) => r.status === 'PASS' || r.status === 'FAIL').map((r) => `${r.checkId}\u0000${r.subject}`));
  const out: Omit<HistoryDiff, 'counts' | 'severities'> = { from: ref(from), to: ref(to), scopeLabel, new: [], fixed: [], unjudged: [], open: [], changed: [] };
  for (const [fp, r] of b) {
    const before = a.get(fp);
    if (!before) out.new.push(entry(r));
    else if (before.severity !== r.severity) out.changed.push({ ...entry(r), before: { severity: before.severity, message: before.message } });
    else out.open.push(entry(r));
  }
  for (const [fp, r] of a) {
    if (b.has(fp)) continue;
    (judged.has(`${r.checkId}\u0000${r.subject}`) ? out.fixed : out.unjudged).push(entry(r));
  }
  for (const list of [out.new, out.fixed, out.unjudged, out.open, out.changed]) list.sort(order);
  const bySeverity = (m: Map<string, CheckResult>, s: Severity) => [...m.values()].filter((r) => r.severity === s).length;
  const severities = Object.fromEntries(SEVERITIES.map((s) => [s, { before: bySeverity(a, s), after: bySeverity(b, s) }])) as HistoryDiff['severities'];
  return {
    ...out,
    counts: { new: out.new.length, fixed: out.fixed.length, unjudged: out.unjudged.length, open: out.open.length, changed: out.changed.length },
    severities,
  };
}

function ref(x: { id: number; report: Report }): RunRef {
  return { id: x.id, startedAt: x.report.startedAt, summary: x.report.summary };
}
