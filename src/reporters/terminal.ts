/**
 * The terminal report: summary first, then per strategy only what needs attention.
 *
 * It has to stay readable for one endpoint and for a fleet of thousands:
 * - identical findings on several subjects are one entry (same check, status,
 *   severity and message once the subject is taken out of it), with a short
 *   list of the subjects;
 * - a check's fix is printed once, in full, wrapped at the terminal width;
 * - PASS, SKIP and suppressed results are counted, and only listed with -v.
 */
import { where } from './place.js';
import picocolors from 'picocolors';
import { SEVERITIES, STRATEGIES, severityRank } from '../core/types.js';
import type { CheckResult, Evidence, Report, Severity, Status, Suppression } from '../core/types.js';

export interface TerminalOptions {
  color: boolean;
  /** Every subject, PASS and SKIP, suppressed results, evidence and references. */
  verbose?: boolean;
  /** Only the summary and the FAIL/ERROR headers. Ignored with verbose. */
  quiet?: boolean;
  /** Wrap width in columns (default 100). */
  width?: number;
}

type Colors = ReturnType<typeof picocolors.createColors>;

const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 60;
const INDENT = '        ';
const SEVERITIES_DESC = [...SEVERITIES].reverse();
const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
const STATUS_ORDER: Record<Status, number> = { FAIL: 0, ERROR: 1, SKIP: 2, PASS: 3 };
const MAX_EVIDENCE_VALUE = 80;
/** Subjects listed under an entry without -v: up to this many, else the first few and "… and N more". */
const SUBJECTS_SHOWN = 4;
/**
 * Entries of one check with one status and severity but different messages, listed without -v:
 * up to this many; when there are more, the messages vary per subject and the largest entry
 * stands for the others.
 */
const VARIANTS_SHOWN = 3;
/** Wrapped lines of one message without -v (broker-supplied lists can be long). */
const MESSAGE_LINES = 3;
const TARGETS_SHOWN = 3;
const NOTES_SHOWN = 10;
/** Stands for the subject in a message shared by several subjects. */
const SUBJECT_MARK = '\u0000';

/**
 * Broker-supplied text (banners, versions, error messages) ends up in results:
 * make control characters visible instead of letting them drive the terminal.
 */
function clean(text: string): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? '' : 's'}`;
}

/**
 * Greedy word wrap: every line fits in `width` unless a single word is longer
 * (a URL, a path), which then stands alone. Explicit newlines are kept.
 */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let current = '';
    for (const word of paragraph.split(/\s+/)) {
      if (word === '') continue;
      if (current === '') current = word;
      else if (current.length + 1 + word.length <= width) current += ` ${word}`;
      else {
        lines.push(current);
        current = word;
      }
    }
    lines.push(current);
  }
  return lines;
}

/** `text` wrapped after `label` (first line) with the other lines aligned under the text: a hanging indent. */
function hanging(text: string, width: number, label: string, styleLabel: (s: string) => string = (s) => s, indent = INDENT): string[] {
  const lines = wrap(text, Math.max(20, width - indent.length - label.length));
  return lines.map((line, i) => (i === 0 ? indent + styleLabel(label) + line : indent + ' '.repeat(label.length) + line));
}

/** Natural order, so that mqtt://10.0.0.2 comes before mqtt://10.0.0.10. */
const naturally = new Intl.Collator('en', { numeric: true }).compare;

function formatEvidence(evidence: Evidence): string {
  return Object.entries(evidence)
    .map(([key, value]) => {
      const text = typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : (JSON.stringify(value) ?? String(value));
      return `${key}=${truncate(text, MAX_EVIDENCE_VALUE)}`;
    })
    .join(' ');
}

function severityColor(c: Colors, severity: Severity): (text: string) => string {
  switch (severity) {
    case 'critical':
      return (text) => c.bold(c.red(text));
    case 'high':
      return c.red;
    case 'medium':
      return c.yellow;
    case 'low':
    case 'info':
      return c.cyan;
  }
}

function statusBadge(c: Colors, status: Status, severity: Severity): string {
  const badge = status.padEnd(5);
  switch (status) {
    case 'FAIL':
      return severityColor(c, severity)(badge);
    case 'ERROR':
      return c.magenta(badge);
    case 'SKIP':
      return c.dim(badge);
    case 'PASS':
      return c.green(badge);
  }
}

function suppressionNote(s: Suppression): string {
  if (s.kind === 'baseline') return '(in baseline)';
  return `(waived: ${s.reason}${s.expires !== undefined ? `, until ${s.expires}` : ''})`;
}

// ---------------------------------------------------------------- grouping

/** One entry of the report: results of one check that say the same thing about different subjects. */
interface Entry {
  checkId: string;
  title: string;
  status: Status;
  severity: Severity;
  results: CheckResult[];
  /** Distinct places (subject, or file:line:col), in natural order. */
  places: string[];
  /** The shared message; SUBJECT_MARK where each result had its own subject. */
  message: string;
  suppression?: Suppression;
}

/** The message with its own subject taken out, so that the same finding on two endpoints compares equal. */
function genericMessage(r: CheckResult): string {
  return r.subject === '' ? r.message : r.message.split(r.subject).join(SUBJECT_MARK);
}

function suppressionKey(s: Suppression | undefined): string {
  return s === undefined ? '' : `${s.kind}\u0001${s.reason}\u0001${s.expires ?? ''}`;
}

/**
 * Groups results into entries: same check, status, severity, suppression and
 * message (subject removed). With `byMessage` false (quiet), the message is
 * not compared.
 */
function groupResults(results: readonly CheckResult[], byMessage = true): Entry[] {
  const entries = new Map<string, Entry>();
  for (const r of results) {
    const message = genericMessage(r);
    const key = [r.checkId, r.status, r.severity, suppressionKey(r.suppression), byMessage ? message : ''].join('\u0002');
    let entry = entries.get(key);
    if (entry === undefined) {
      entry = { checkId: r.checkId, title: r.title, status: r.status, severity: r.severity, results: [], places: [], message, ...(r.suppression ? { suppression: r.suppression } : {}) };
      entries.set(key, entry);
    }
    entry.results.push(r);
  }
  for (const entry of entries.values()) {
    entry.places = [...new Set(entry.results.map(where))].sort(naturally);
  }
  return [...entries.values()].sort(compareEntries);
}

function compareEntries(a: Entry, b: Entry): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.status === 'FAIL' ? severityRank(b.severity) - severityRank(a.severity) : 0) ||
    (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
    Number(a.suppression !== undefined) - Number(b.suppression !== undefined) ||
    b.results.length - a.results.length ||
    naturally(a.places[0] ?? '', b.places[0] ?? '') ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/** What the places of an entry are: endpoints (URIs), file locations or hosts. */
function placeNoun(entry: Entry, n: number): string {
  const results = entry.results;
  const word = results.every((r) => r.location.kind === 'file') ? 'location' : results.every((r) => r.subject.includes('://')) ? 'endpoint' : 'host';
  return plural(n, word);
}

function subjectWord(entry: Entry): string {
  return entry.results.every((r) => r.subject.includes('://')) ? '<endpoint>' : '<host>';
}

// ---------------------------------------------------------------- rendering

interface Ctx {
  c: Colors;
  verbose: boolean;
  quiet: boolean;
  width: number;
}

function entryHeader(ctx: Ctx, entry: Entry): string {
  const { c } = ctx;
  const severity = entry.status === 'FAIL' ? severityColor(c, entry.severity)(entry.severity.padEnd(SEVERITY_WIDTH)) : ' '.repeat(SEVERITY_WIDTH);
  const n = entry.places.length;
  let place = n === 1 ? clean(entry.places[0]!) : placeNoun(entry, n);
  if (entry.results.length > n) place += `, ${plural(entry.results.length, 'result')}`;
  const note = entry.suppression ? ` ${c.dim(clean(suppressionNote(entry.suppression)))}` : '';
  return `  ${statusBadge(c, entry.status, entry.severity)} ${severity} ${c.bold(entry.checkId)} ${clean(entry.title)} ${c.dim(`[${place}]`)}${note}`;
}

function entryMessage(ctx: Ctx, entry: Entry): string[] {
  const first = entry.results[0]!;
  const text = entry.places.length === 1 || !entry.message.includes(SUBJECT_MARK) ? first.message : entry.message.split(SUBJECT_MARK).join(subjectWord(entry));
  const room = Math.max(20, ctx.width - INDENT.length);
  const lines = wrap(clean(text), room);
  if (!ctx.verbose && lines.length > MESSAGE_LINES) {
    const kept = lines.slice(0, MESSAGE_LINES);
    const more = ' … (-v shows all)';
    let last = kept[MESSAGE_LINES - 1]!;
    // Drop words from the end until the pointer to -v fits (a lone long word stays).
    while (last.length + more.length > room && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
    kept[MESSAGE_LINES - 1] = last + more;
    return kept.map((l) => INDENT + l);
  }
  return lines.map((l) => INDENT + l);
}

function entryPlaces(ctx: Ctx, entry: Entry): string[] {
  const { places } = entry;
  if (places.length <= 1) return [];
  const all = ctx.verbose || places.length <= SUBJECTS_SHOWN;
  const shown = all ? places : places.slice(0, SUBJECTS_SHOWN - 1);
  const more = all ? '' : ` … and ${count(places.length - shown.length)} more`;
  return hanging(clean(shown.join(', ')) + more, ctx.width, 'on ', ctx.c.dim);
}

function entryEvidence(ctx: Ctx, entry: Entry): string[] {
  const { c } = ctx;
  const withEvidence = entry.results.filter((r) => Object.keys(r.evidence).length > 0);
  if (withEvidence.length === 0) return [];
  const distinct = new Set(withEvidence.map((r) => JSON.stringify(r.evidence)));
  const block = (label: string, evidence: Evidence): string[] => hanging(clean(formatEvidence(evidence)), ctx.width, label).map((l) => c.dim(l));
  if (distinct.size === 1 && withEvidence.length === entry.results.length) return block('evidence: ', withEvidence[0]!.evidence);
  return [...withEvidence].sort((a, b) => naturally(where(a), where(b))).flatMap((r) => block(`evidence (${clean(where(r))}): `, r.evidence));
}

function fixLines(ctx: Ctx, result: CheckResult): string[] {
  const lines = hanging(clean(result.remediation.trim()), ctx.width, 'fix: ', ctx.c.bold);
  if (ctx.verbose && result.references.length > 0) {
    lines.push(...hanging(result.references.join(' '), ctx.width, 'refs: ').map((l) => ctx.c.dim(l)));
  }
  return lines;
}

function hiddenLine(ctx: Ctx, hidden: { PASS: number; SKIP: number; suppressed: number }): string[] {
  const parts = [
    hidden.PASS > 0 ? `${count(hidden.PASS)} passed` : '',
    hidden.SKIP > 0 ? `${count(hidden.SKIP)} skipped` : '',
    hidden.suppressed > 0 ? `${count(hidden.suppressed)} suppressed` : '',
  ].filter(Boolean);
  return parts.length > 0 ? [`  ${ctx.c.dim(`${parts.join(', ')} (-v lists them)`)}`] : [];
}

/** The lines of one strategy section, after its heading. */
function renderSection(ctx: Ctx, results: readonly CheckResult[], fixed: Set<string>): string[] {
  if (results.length === 0) return [`  ${ctx.c.dim('(no checks ran)')}`];
  const hidden = { PASS: 0, SKIP: 0, suppressed: 0 };
  const listed: CheckResult[] = [];
  for (const r of results) {
    if (ctx.verbose) listed.push(r);
    else if (r.suppression) hidden.suppressed++;
    else if (r.status === 'PASS' || r.status === 'SKIP') hidden[r.status]++;
    else listed.push(r);
  }
  const entries = groupResults(listed);
  const lines: string[] = [];
  for (let i = 0; i < entries.length; ) {
    // A run: the entries of one check with one status and severity (sorted together).
    const head = entries[i]!;
    let end = i + 1;
    while (end < entries.length && entries[end]!.checkId === head.checkId && entries[end]!.status === head.status && entries[end]!.severity === head.severity) end++;
    const run = entries.slice(i, end);
    const shown = ctx.verbose || run.length <= VARIANTS_SHOWN ? run : run.slice(0, 1);
    for (const entry of shown) {
      lines.push(entryHeader(ctx, entry), ...entryMessage(ctx, entry), ...entryPlaces(ctx, entry));
      if (ctx.verbose) lines.push(...entryEvidence(ctx, entry));
    }
    const rest = run.slice(shown.length);
    if (rest.length > 0) {
      const places = new Set(rest.flatMap((e) => e.places)).size;
      lines.push(`${INDENT}${ctx.c.dim(`… and ${count(rest.length)} other messages of ${head.checkId} on ${placeNoun(head, places)} (-v lists them)`)}`);
    }
    // The fix once per check, after its first (most severe) run of failures.
    if (head.status === 'FAIL' && !fixed.has(head.checkId)) {
      fixed.add(head.checkId);
      lines.push(...fixLines(ctx, head.results[0]!));
    }
    i = end;
  }
  if (!ctx.verbose) lines.push(...hiddenLine(ctx, hidden));
  return lines;
}

function summaryLines(report: Report): string[] {
  const { summary } = report;
  const total = summary.PASS + summary.FAIL + summary.SKIP + summary.ERROR;
  const findings = SEVERITIES.reduce((n, s) => n + summary.failuresBySeverity[s], 0);
  const bySeverity = SEVERITIES_DESC.filter((s) => summary.failuresBySeverity[s] > 0).map((s) => `${count(summary.failuresBySeverity[s])} ${s}`);
  const failed = `${count(findings)} failed${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  const seconds = (report.durationMs / 1000).toFixed(2);
  return [
    `${plural(total, 'check')}: ${failed}, ${plural(summary.ERROR, 'error')}, ${count(summary.SKIP)} skipped, ${count(summary.PASS)} passed in ${seconds}s`,
    `${plural(report.targets.length, 'target')}, ${count(summary.suppressed)} suppressed, ${count(summary.notApplicable)} not applicable`,
  ];
}

function colorSummary(c: Colors, report: Report, text: string): string {
  const bold = c.bold(text);
  const worst = SEVERITIES_DESC.find((s) => report.summary.failuresBySeverity[s] > 0);
  if (worst !== undefined) return severityColor(c, worst)(bold);
  return report.summary.ERROR > 0 ? c.magenta(bold) : c.green(bold);
}

export function renderTerminal(report: Report, opts: TerminalOptions): string {
  const c = picocolors.createColors(opts.color);
  const verbose = opts.verbose ?? false;
  const ctx: Ctx = { c, verbose, quiet: !verbose && (opts.quiet ?? false), width: Math.max(MIN_WIDTH, opts.width ?? DEFAULT_WIDTH) };
  const summary = summaryLines(report);

  if (ctx.quiet) {
    // Summary, then one header per check, status and severity that needs attention.
    const attention = report.results.filter((r) => !r.suppression && (r.status === 'FAIL' || r.status === 'ERROR'));
    const headers = groupResults(attention, false).map((e) => entryHeader(ctx, e));
    return [colorSummary(c, report, summary[0]!), summary[1]!, ...headers].join('\n') + '\n';
  }

  const uris = report.targets.map((t) => clean(t.uri));
  const shownTargets = verbose || uris.length <= TARGETS_SHOWN + 1 ? uris : [...uris.slice(0, TARGETS_SHOWN), `… and ${count(uris.length - TARGETS_SHOWN)} more`];
  const lines = [
    c.bold(`${report.tool.name} ${report.tool.version}`) + ` ${report.command} of ${shownTargets.join(', ') || '(none)'}`,
    c.dim(`identity: ${clean(report.options.identity)}, intrusive: ${report.options.intrusive ? 'yes' : 'no'}, fail on: ${report.options.failOn}`),
    colorSummary(c, report, summary[0]!),
    summary[1]!,
  ];

  const fixed = new Set<string>();
  for (const strategy of STRATEGIES) {
    const results = report.results.filter((r) => r.strategy === strategy.id);
    // The audit is the five-strategy view, where an empty strategy says something (--no-host, no TLS listener);
    // the other commands judge one subject (configs, password files, a port plan, a drill): only their strategies.
    if (!results.length && report.command !== 'audit') continue;
    lines.push('', c.bold(`${strategy.number}. ${strategy.title}`));
    lines.push(...renderSection(ctx, results, fixed));
  }

  if (report.notes.length > 0) {
    const notes = verbose ? report.notes : report.notes.slice(0, NOTES_SHOWN);
    lines.push('', c.bold('Notes'), ...notes.flatMap((note) => hanging(clean(note), ctx.width, '- ', undefined, '  ')));
    if (notes.length < report.notes.length) lines.push(`  ${c.dim(`… and ${count(report.notes.length - notes.length)} more notes (-v lists them)`)}`);
  }

  lines.push('', colorSummary(c, report, summary[0]!));
  return lines.join('\n') + '\n';
}
