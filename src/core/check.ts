import type { FactTypes } from './facts.js';
import type { CheckMeta, FactKey, Verdict } from './types.js';

/** What a judge may know besides the facts: nothing it could use to cause side effects. */
export interface JudgeContext {
  /** Endpoint URI (endpoint scope), host name (host scope) or the audited system's name (system scope). */
  subject: string;
  host: string;
  /** The subject is a loopback address: reachability says nothing about exposure to the network. */
  loopback: boolean;
}

export interface Check<K extends FactKey = FactKey, U extends FactKey = FactKey> {
  meta: CheckMeta & { needs: readonly K[]; uses?: readonly U[] };
  /**
   * Pure: the same facts give the same verdicts; no I/O, no clock, no randomness.
   * A judge may return several verdicts for one subject (e.g. one per offending
   * config line, each with its location); an empty list is an internal error.
   * The facts of `uses` are present only when they were collected.
   */
  judge(facts: Pick<FactTypes, K> & Partial<Pick<FactTypes, U>>, ctx: JudgeContext): Verdict | readonly Verdict[];
}

/** The verdicts of a judge as a list. */
export function verdictList(v: Verdict | readonly Verdict[]): readonly Verdict[] {
  return Array.isArray(v) ? v : [v as Verdict];
}

/** The verdict for a sub-probe that did not run: SKIP when it did not apply, ERROR when it broke. */
export function untested(t: { reason: string; error?: true }, prefix = ''): Verdict {
  return { status: t.error ? 'ERROR' : 'SKIP', message: `${prefix}${t.reason}` };
}

/** Identity helper that keeps the fact keys of `needs` (and `uses`) and the judge's parameter in step. */
export function defineCheck<K extends FactKey, U extends FactKey = never>(check: Check<K, U>): Check<K, U> {
  return check;
}
