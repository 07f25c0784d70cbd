/**
 * What the project file and a baseline do to judged results, as pure functions: severity
 * overrides, waivers and baselines. The date is always a parameter (YYYY-MM-DD), never
 * the clock, so that the same inputs give the same report.
 *
 * Suppressed results stay in the report with `suppression` set: they are shown and
 * counted (summary.suppressed), but are not findings (failuresBySeverity, exit code).
 *
 * Only FAIL results can be suppressed. PASS and SKIP have nothing to suppress; an ERROR
 * says the check could not judge (a probe broke), which is not a known and accepted
 * risk: waiving it would hide that the check no longer runs. A check that cannot run
 * in some environment is turned off openly with `checks.disable` instead.
 *
 * Suggested order: applySeverityOverrides, applyWaivers, applyBaseline. A result
 * already suppressed is left as it is by the later steps.
 */
import { z } from 'zod';
import { readBoundedFile } from '../config/io.js';
import type { Waiver } from '../config/project.js';
import { STATUSES, type CheckResult, type Report, type Severity } from './types.js';

// ---------------------------------------------------------------- dates and globs

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The local calendar date of `d` as YYYY-MM-DD (what "today" means for waiver expiry). */
export function localDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/**
 * Glob match of a whole string: `*` is any run of characters, `/` and `:` included, and
 * `?` exactly one character; everything else is literal. Not picomatch/minimatch (only
 * development dependencies here): their `*` stops at `/`, so `ws://*` would not match
 * `ws://h:8083/mqtt`, and `[…]` is a character class, so the IPv6 subject
 * `mqtt://[::1]:1883` could not be written literally.
 */
export function globMatch(pattern: string, text: string): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\*?]/g, (c) => (c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`));
  return new RegExp(`^${source}$`, 's').test(text);
}

// ---------------------------------------------------------------- severity overrides

/** FAIL severities replaced per check ID; `evidence.originalSeverity` keeps the judged one. */
export function applySeverityOverrides(results: readonly CheckResult[], overrides: Readonly<Record<string, Severity>>): CheckResult[] {
  return results.map((r) => {
    const s = overrides[r.checkId];
    if (r.status !== 'FAIL' || s === undefined || s === r.severity) return r;
    return { ...r, severity: s, evidence: { ...r.evidence, originalSeverity: r.severity } };
  });
}

// ---------------------------------------------------------------- waivers

/**
 * Does the waiver name this result? Same check; the subject glob (if any) matches the
 * subject; the location glob (if any) matches the result's file or `file:line`, and a
 * result without a file never matches a waiver with a location.
 */
export function waiverMatches(w: Pick<Waiver, 'check' | 'subject' | 'location'>, r: CheckResult): boolean {
  if (w.check !== r.checkId) return false;
  if (w.subject !== undefined && !globMatch(w.subject, r.subject)) return false;
  if (w.location !== undefined) {
    if (r.location.kind !== 'file') return false;
    const file = r.location.uri;
    if (!globMatch(w.location, file) && !(r.location.line !== undefined && globMatch(w.location, `${file}:${r.location.line}`))) return false;
  }
  return true;
}

/** A waiver suppresses while `today` is before its `expires` date; on that date it has expired. */
export function waiverLive(w: Pick<Waiver, 'expires'>, today: string): boolean {
  return today < w.expires;
}

export interface WaiverOutcome {
  results: CheckResult[];
  /** Waivers that matched no FAIL result: the finding is gone, or the patterns are wrong. */
  stale: Waiver[];
  /** Expired waivers that matched a FAIL result (which therefore stays a finding). */
  expired: Waiver[];
}

/**
 * Suppress FAIL results a live waiver matches (the first live one in file order). A FAIL
 * matched only by expired waivers stays a finding and says so in its message and in
 * `evidence.expiredWaiver` (the most recently expired one).
 */
export function applyWaivers(results: readonly CheckResult[], waivers: readonly Waiver[], today: string): WaiverOutcome {
  if (!ISO_DATE.test(today)) throw new Error(`applyWaivers: today must be YYYY-MM-DD, not ${JSON.stringify(today)}`);
  const used = new Set<Waiver>();
  const expired = new Set<Waiver>();
  const out = results.map((r) => {
    if (r.status !== 'FAIL') return r;
    const matching = waivers.filter((w) => waiverMatches(w, r));
    for (const w of matching) used.add(w);
    if (r.suppression || !matching.length) return r;
    const live = matching.find((w) => waiverLive(w, today));
    if (live) {
      return { ...r, suppression: { kind: 'waiver' as const, reason: live.reason, expires: live.expires, source: live.source } };
    }
    const last = matching.reduce((a, b) => (b.expires > a.expires ? b : a));
    for (const w of matching) expired.add(w);
    return {
      ...r,
      message: `${r.message}; ${expiredText(last)}`,
      evidence: {
        ...r.evidence,
        expiredWaiver: { source: last.source, expires: last.expires, reason: last.reason, ...(last.owner !== undefined && { owner: last.owner }) },
      },
    };
  });
  return {
    results: out,
    stale: waivers.filter((w) => !used.has(w)),
    expired: waivers.filter((w) => expired.has(w)),
  };
}

function expiredText(w: Waiver): string {
  return `waiver from ${w.source} expired on ${w.expires} (${w.reason})`;
}

function waiverName(w: Waiver): string {
  return [w.check, w.subject !== undefined && `subject ${w.subject}`, w.location !== undefined && `location ${w.location}`].filter(Boolean).join(', ');
}

/** A report note for a stale waiver. */
export function staleWaiverNote(w: Waiver): string {
  return `waiver from ${w.source} (${waiverName(w)}) matched no failing result: the finding is gone or the waiver's patterns are wrong; remove or correct it`;
}

/** A report note for an expired waiver that still matches a finding. */
export function expiredWaiverNote(w: Waiver): string {
  return `${expiredText(w)}: ${waiverName(w)} counts as a finding again; fix it or renew the waiver`;
}

// ---------------------------------------------------------------- baselines

/** Largest baseline report read. */
export const MAX_BASELINE_BYTES = 128 * 1024 * 1024;

export interface Baseline {
  /** The report file the baseline was read from. */
  file: string;
  /** The command that wrote it (a lint baseline does not know audit findings). */
  command: Report['command'];
  /** Fingerprints of its FAIL results, waived ones excepted. */
  fingerprints: ReadonlySet<string>;
}

export class BaselineError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
    this.name = 'BaselineError';
  }
}

const BaselineSchema = z.looseObject({
  schemaVersion: z.literal(1, { error: 'schemaVersion: expected 1 (this mqtt-warden reads JSON reports of schema version 1)' }),
  command: z.enum(['audit', 'lint', 'passwd', 'ports', 'drill']),
  results: z.array(
    z.looseObject({
      checkId: z.string(),
      status: z.enum(STATUSES),
      fingerprint: z.string({ error: 'no fingerprint: the report is from an mqtt-warden without fingerprints; write a new baseline' }).regex(/^[0-9a-f]{64}$/, 'not a fingerprint (64 hex digits)'),
      suppression: z.looseObject({ kind: z.enum(['waiver', 'baseline']) }).optional(),
    }),
  ),
});

/** "at position N" of a JSON.parse message → line:column, when the message has it. */
function jsonPlace(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m) return '';
  const before = text.slice(0, Number(m[1]));
  const line = before.split('\n').length;
  return `${line}:${before.length - before.lastIndexOf('\n')}: `;
}

/**
 * Read a baseline: an mqtt-warden JSON report (`--format json`) of an earlier run.
 * Waived FAIL results of that report are left out of it, so that a waiver's expiry is
 * not undone by a baseline taken while it was live.
 */
export function loadBaseline(path: string): Baseline {
  let text: string;
  try {
    text = readBoundedFile(path, MAX_BASELINE_BYTES, 'baseline');
  } catch (e) {
    throw new BaselineError(path, (e as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    const msg = (e as Error).message;
    throw new BaselineError(path, `${jsonPlace(text, msg)}not JSON (${msg}); a baseline is a JSON report written with --format json`);
  }
  const top = data as { tool?: { name?: unknown } } | null;
  if (!top || typeof top !== 'object' || Array.isArray(top) || top.tool?.name !== 'mqtt-warden') {
    throw new BaselineError(path, 'not an mqtt-warden JSON report (no tool.name "mqtt-warden"); write the baseline with --format json');
  }
  const r = BaselineSchema.safeParse(data);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const where = i.path.length ? `${i.path.join('.')}: ` : '';
    const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : '';
    throw new BaselineError(path, `not a usable mqtt-warden JSON report: ${where}${i.message}${more}`);
  }
  const fingerprints = new Set(r.data.results.filter((x) => x.status === 'FAIL' && x.suppression?.kind !== 'waiver').map((x) => x.fingerprint));
  return { file: path, command: r.data.command, fingerprints };
}

export interface BaselineOutcome {
  results: CheckResult[];
  /** Baseline findings this run did not produce (fixed, or not looked at this time). */
  absent: number;
}

/**
 * FAIL results whose fingerprint the baseline holds are suppressed with the reason
 * `in baseline LABEL` (LABEL: how to name the baseline in reports, default its file).
 */
export function applyBaseline(results: readonly CheckResult[], baseline: Baseline, label: string = baseline.file): BaselineOutcome {
  const seen = new Set<string>();
  const out = results.map((r) => {
    if (r.status !== 'FAIL' || !baseline.fingerprints.has(r.fingerprint)) return r;
    seen.add(r.fingerprint);
    if (r.suppression) return r;
    return { ...r, suppression: { kind: 'baseline' as const, reason: `in baseline ${label}` } };
  });
  return { results: out, absent: [...baseline.fingerprints].filter((f) => !seen.has(f)).length };
}
