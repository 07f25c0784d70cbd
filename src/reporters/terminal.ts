import { where } from './place.js';
import picocolors from 'picocolors';
import { SEVERITIES, STRATEGIES, severityRank } from '../core/types.js';
import type { CheckResult, Evidence, Report, Severity, Status } from '../core/types.js';

export interface TerminalOptions {
  color: boolean;
  /** Full remediation, references and evidence. */
  verbose?: boolean;
}

type Colors = ReturnType<typeof picocolors.createColors>;

const INDENT = '        ';
const SEVERITIES_DESC = [...SEVERITIES].reverse();
const SEVERITY_WIDTH = Math.max(...SEVERITIES.map((s) => s.length));
const STATUS_ORDER: Record<Status, number> = { FAIL: 0, ERROR: 1, SKIP: 2, PASS: 3 };
const MAX_EVIDENCE_VALUE = 80;

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

/** Indents every line of `text`; a label goes before the first line and the others align after it. */
function indentBlock(text: string, label = '', labelWidth = 0): string {
  const [first, ...rest] = text.split('\n');
  return [INDENT + label + first, ...rest.map((line) => INDENT + ' '.repeat(labelWidth) + line)].join('\n');
}

/** First sentence of a remediation text (a full stop followed by a capitalised word ends it). */
function firstSentence(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const match = /^.*?[.!?](?=\s+[A-Z`(]|$)/.exec(oneLine);
  return truncate(match ? match[0] : oneLine, 200);
}

function compareResults(a: CheckResult, b: CheckResult): number {
  return (
    STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
    (a.status === 'FAIL' ? severityRank(b.severity) - severityRank(a.severity) : 0) ||
    (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0) ||
    (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0) ||
    (a.location.uri < b.location.uri ? -1 : a.location.uri > b.location.uri ? 1 : 0) ||
    (a.location.line ?? 0) - (b.location.line ?? 0)
  );
}


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

function statusBadge(c: Colors, result: CheckResult): string {
  const badge = result.status.padEnd(5);
  switch (result.status) {
    case 'FAIL':
      return severityColor(c, result.severity)(badge);
    case 'ERROR':
      return c.magenta(badge);
    case 'SKIP':
      return c.dim(badge);
    case 'PASS':
      return c.green(badge);
  }
}

function renderResult(c: Colors, result: CheckResult, verbose: boolean): string[] {
  const severity = result.status === 'FAIL' ? severityColor(c, result.severity)(result.severity.padEnd(SEVERITY_WIDTH)) : ' '.repeat(SEVERITY_WIDTH);
  const lines = [
    `  ${statusBadge(c, result)} ${severity} ${c.bold(result.checkId)} ${clean(result.title)} ${c.dim(`[${clean(where(result))}]`)}`,
    indentBlock(clean(result.message)),
  ];
  if (result.status === 'FAIL') {
    const fix = verbose ? result.remediation.trim() : firstSentence(result.remediation);
    lines.push(indentBlock(clean(fix), `${c.bold('fix:')} `, 'fix: '.length));
    if (verbose && result.references.length > 0) {
      lines.push(`${INDENT}${c.dim(`refs: ${result.references.join(' ')}`)}`);
    }
  }
  if (verbose && Object.keys(result.evidence).length > 0) {
    lines.push(`${INDENT}${c.dim(`evidence: ${clean(formatEvidence(result.evidence))}`)}`);
  }
  return lines;
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

function summaryLine(report: Report): string {
  const { summary } = report;
  const total = summary.PASS + summary.FAIL + summary.SKIP + summary.ERROR;
  const bySeverity = SEVERITIES_DESC.filter((s) => summary.failuresBySeverity[s] > 0)
    .map((s) => `${summary.failuresBySeverity[s]} ${s}`);
  const failed = `${summary.FAIL} failed${bySeverity.length > 0 ? ` (${bySeverity.join(', ')})` : ''}`;
  const seconds = (report.durationMs / 1000).toFixed(2);
  return `${plural(total, 'check')}: ${failed}, ${plural(summary.ERROR, 'error')}, ${summary.SKIP} skipped, ${summary.PASS} passed in ${seconds}s`;
}

export function renderTerminal(report: Report, opts: TerminalOptions): string {
  const c = picocolors.createColors(opts.color);
  const verbose = opts.verbose ?? false;
  const targets = report.targets.map((t) => clean(t.uri)).join(', ') || '(none)';
  const lines = [
    c.bold(`${report.tool.name} ${report.tool.version}`) + ` ${report.command} of ${targets}`,
    c.dim(`identity: ${clean(report.options.identity)}, intrusive: ${report.options.intrusive ? 'yes' : 'no'}, fail on: ${report.options.failOn}`),
  ];

  for (const strategy of STRATEGIES) {
    lines.push('', c.bold(`${strategy.number}. ${strategy.title}`));
    const results = report.results.filter((r) => r.strategy === strategy.id).sort(compareResults);
    if (results.length === 0) {
      lines.push(`  ${c.dim('(no checks ran)')}`);
    }
    for (const result of results) {
      lines.push(...renderResult(c, result, verbose));
    }
  }

  if (report.notes.length > 0) {
    lines.push('', c.bold('Notes'), ...report.notes.map((note) => `  - ${clean(note)}`));
  }

  const summary = c.bold(summaryLine(report));
  const worst = SEVERITIES_DESC.find((s) => report.summary.failuresBySeverity[s] > 0);
  if (worst !== undefined) {
    lines.push('', severityColor(c, worst)(summary));
  } else {
    lines.push('', report.summary.ERROR > 0 ? c.magenta(summary) : c.green(summary));
  }
  return lines.join('\n') + '\n';
}
