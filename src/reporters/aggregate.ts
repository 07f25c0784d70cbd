/**
 * Fleet aggregation: identical findings on many targets as one group. A 1,000-endpoint
 * audit that finds the same anonymous listener everywhere says so once, with the number
 * of targets and a few of them, in every format (the JSON `aggregate` section, the HTML
 * report's fleet table; the terminal report groups the same way when it lists entries).
 *
 * Two results are the same finding when they have the same check, status, effective
 * severity, suppression state and message once their own subject is taken out of it.
 */
import { severityRank, type CheckResult, type Severity, type Status, type StrategyId } from '../core/types.js';

/** Targets named in a group; the rest are counted. */
export const AGGREGATE_EXAMPLES = 10;

export interface FindingGroup {
  checkId: string;
  title: string;
  strategy: StrategyId;
  status: Extract<Status, 'FAIL' | 'ERROR'>;
  severity: Severity;
  /** All results of the group are suppressed (waiver or baseline). */
  suppressed: boolean;
  /** The shared message; `<subject>` stands where each result had its own subject. */
  message: string;
  /** Results in the group. */
  results: number;
  /** Distinct subjects (targets, hosts, systems) with the finding. */
  subjects: number;
  /** The first subjects in natural order (at most AGGREGATE_EXAMPLES). */
  examples: string[];
}

export interface FleetAggregate {
  /** Distinct subjects with at least one result. */
  subjects: number;
  /** Distinct subjects with at least one unsuppressed FAIL. */
  subjectsWithFindings: number;
  /** FAIL and ERROR results grouped, most important first: FAIL before ERROR, severity, most subjects. */
  groups: FindingGroup[];
}

export const SUBJECT_PLACEHOLDER = '<subject>';

const naturally = new Intl.Collator('en', { numeric: true }).compare;

/** The message with the result's own subject replaced, so the same finding on two endpoints compares equal. */
export function genericMessage(r: Pick<CheckResult, 'message' | 'subject'>): string {
  return r.subject === '' ? r.message : r.message.split(r.subject).join(SUBJECT_PLACEHOLDER);
}

export function aggregateResults(results: readonly CheckResult[]): FleetAggregate {
  const subjects = new Set<string>();
  const failing = new Set<string>();
  const groups = new Map<string, { g: FindingGroup; subjects: Set<string> }>();
  for (const r of results) {
    subjects.add(r.subject);
    if (r.status !== 'FAIL' && r.status !== 'ERROR') continue;
    if (r.status === 'FAIL' && !r.suppression) failing.add(r.subject);
    const message = genericMessage(r);
    const suppressed = Boolean(r.suppression);
    const key = [r.checkId, r.status, r.severity, suppressed ? 's' : '', message].join('\u0000');
    let entry = groups.get(key);
    if (!entry) {
      entry = {
        g: { checkId: r.checkId, title: r.title, strategy: r.strategy, status: r.status, severity: r.severity, suppressed, message, results: 0, subjects: 0, examples: [] },
        subjects: new Set(),
      };
      groups.set(key, entry);
    }
    entry.g.results++;
    entry.subjects.add(r.subject);
  }
  const out = [...groups.values()].map(({ g, subjects: s }) => {
    const sorted = [...s].sort(naturally);
    return { ...g, subjects: s.size, examples: sorted.slice(0, AGGREGATE_EXAMPLES) };
  });
  out.sort(
    (a, b) =>
      Number(a.suppressed) - Number(b.suppressed) ||
      (a.status === b.status ? 0 : a.status === 'FAIL' ? -1 : 1) ||
      severityRank(b.severity) - severityRank(a.severity) ||
      b.subjects - a.subjects ||
      (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
      (a.message < b.message ? -1 : a.message > b.message ? 1 : 0),
  );
  return { subjects: subjects.size, subjectsWithFindings: failing.size, groups: out };
}
