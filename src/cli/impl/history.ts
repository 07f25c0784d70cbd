/**
 * `mqtt-warden history list|show|diff`: the implementation, loaded by ../history.ts when a command runs.
 */
import { findProjectFile, loadProjectFile, ProjectFileError } from '../../config/project.js';
import { SEVERITIES } from '../../core/types.js';
import { History, HistoryError, type RunInfo } from '../../history/db.js';
import { diffRuns, type DiffFinding, type HistoryDiff } from '../../history/diff.js';
import { CATALOGUE } from '../../checks/index.js';
import { renderReport, type ReportFormat } from '../../reporters/index.js';
import { UsageError } from '../common.js';
import { historyPath } from '../history-path.js';
import type { HistoryCommandFlags } from '../history.js';
import { useColor } from '../options.js';
import { writeOutput } from '../write.js';
import { TREND_RUNS } from '../../history/record.js';

/** The database: --history, else the project file's `history:` (unless --no-config-file), else the default. */
function open(flags: HistoryCommandFlags): History {
  let project;
  if (!flags.history && flags.configFile !== false) {
    try {
      const file = typeof flags.configFile === 'string' ? flags.configFile : findProjectFile(process.cwd());
      if (file) project = loadProjectFile(file);
    } catch (e) {
      if (e instanceof ProjectFileError) throw new UsageError(e.message, true);
      throw e;
    }
  }
  try {
    return History.open(historyPath({ ...(flags.history && { history: flags.history }), ...(project && { project }) }), { create: false });
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(e.message, true);
    throw e;
  }
}

function using<T>(flags: HistoryCommandFlags, fn: (h: History) => T): T {
  const h = open(flags);
  try {
    return fn(h);
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(e.message, true);
    throw e;
  } finally {
    h.close();
  }
}

function findingsText(s: RunInfo['summary']): string {
  const bySeverity = [...SEVERITIES].reverse().filter((x) => s.failuresBySeverity[x] > 0).map((x) => `${s.failuresBySeverity[x]} ${x}`);
  const n = SEVERITIES.reduce((a, x) => a + s.failuresBySeverity[x], 0);
  return `${n} finding${n === 1 ? '' : 's'}${bySeverity.length ? ` (${bySeverity.join(', ')})` : ''}, ${s.ERROR} error${s.ERROR === 1 ? '' : 's'}`;
}

export function historyList(flags: HistoryCommandFlags & { scope?: string; limit: number }): number {
  return using(flags, (h) => {
    const runs = h.list({ ...(flags.scope && { scope: flags.scope }), limit: flags.limit });
    if (flags.format === 'json') {
      writeOutput(`${JSON.stringify({ database: h.path, runs }, null, 2)}\n`, flags, 'json run list');
      return 0;
    }
    const lines = [`history ${h.path}: ${runs.length} run${runs.length === 1 ? '' : 's'}${flags.scope ? ` of scope ${flags.scope}` : ''}`];
    for (const r of runs) {
      lines.push(`#${String(r.id).padEnd(5)} ${r.startedAt}  ${r.scope}  ${r.scopeLabel}`);
      lines.push(`       ${findingsText(r.summary)}, ${r.summary.PASS} passed, ${r.summary.SKIP} skipped; ${r.targets} target${r.targets === 1 ? '' : 's'}, ${(r.durationMs / 1000).toFixed(2)} s, mqtt-warden ${r.toolVersion}`);
    }
    writeOutput(`${lines.join('\n')}\n`, flags, 'run list');
    return 0;
  });
}

export function historyShow(id: number, flags: HistoryCommandFlags): number {
  return using(flags, (h) => {
    const run = h.get(id);
    if (!run) throw new UsageError(`no run #${id} in ${h.path} (history list shows the runs)`, true);
    const trend = h
      .list({ scope: run.scope, limit: 1_000_000 })
      .filter((r) => r.id <= id)
      .slice(0, TREND_RUNS)
      .reverse()
      .map((r) => ({ run: r.id, startedAt: r.startedAt, failuresBySeverity: r.summary.failuresBySeverity, errors: r.summary.ERROR }));
    const text = renderReport(flags.format as ReportFormat, run.report, {
      color: useColor(flags),
      verbose: Boolean(flags.verbose),
      quiet: Boolean(flags.quiet),
      catalogue: CATALOGUE.map((c) => c.meta),
      trend,
    });
    writeOutput(text, flags, `${flags.format} report of run #${id}`);
    return 0;
  });
}

/** The two runs to compare: given, or the last two of a scope. */
function pick(h: History, a: number | undefined, b: number | undefined): { from: number; to: number } {
  if (a !== undefined && b !== undefined) return { from: a, to: b };
  const newer = a ?? h.list({ limit: 1 })[0]?.id;
  if (newer === undefined) throw new UsageError(`${h.path} holds no runs yet`, true);
  const run = h.get(newer);
  if (!run) throw new UsageError(`no run #${newer} in ${h.path} (history list shows the runs)`, true);
  const before = h.previous(run.scope, newer);
  if (!before) throw new UsageError(`run #${newer} is the first run of its scope (${run.scopeLabel}): nothing to compare it with`, true);
  return { from: before.id, to: newer };
}

/** Findings listed per section without -v; the JSON diff has them all. */
const LISTED = 20;

function findingLines(title: string, list: readonly DiffFinding[], show: (f: DiffFinding) => string, all: boolean): string[] {
  if (!list.length) return [];
  const shown = all ? list : list.slice(0, LISTED);
  const more = list.length > shown.length ? [`  … and ${list.length - shown.length} more (-v lists them all)`] : [];
  return ['', `${title} (${list.length})`, ...shown.map((f) => `  ${f.severity.padEnd(8)} ${f.checkId} ${f.title} [${f.place}]\n           ${show(f)}`), ...more];
}

export function renderDiff(d: HistoryDiff, verbose = false): string {
  const sev = [...SEVERITIES]
    .reverse()
    .filter((s) => d.severities[s].before || d.severities[s].after)
    .map((s) => `${s} ${d.severities[s].before} → ${d.severities[s].after}`);
  const lines = [
    `run #${d.from.id} (${d.from.startedAt}) → run #${d.to.id} (${d.to.startedAt}): ${d.scopeLabel}`,
    `${d.counts.new} new, ${d.counts.fixed} fixed, ${d.counts.open + d.counts.changed} still open (${d.counts.changed} changed severity), ${d.counts.unjudged} not judged this time`,
    `findings: ${sev.join(', ') || 'none in either run'}; errors ${d.from.summary.ERROR} → ${d.to.summary.ERROR}`,
    ...findingLines('New', d.new, (f) => f.message, verbose),
    ...findingLines('Fixed', d.fixed, (f) => f.message, verbose),
    ...findingLines('Changed severity', d.changed, (f) => `was ${(f as HistoryDiff['changed'][number]).before.severity}: ${f.message}`, verbose),
    ...findingLines('Not judged in the newer run (its check ended in ERROR or SKIP, or did not run)', d.unjudged, (f) => f.message, verbose),
    ...findingLines('Still open', d.open, (f) => f.message, verbose),
  ];
  return `${lines.join('\n')}\n`;
}

export function historyDiff(a: number | undefined, b: number | undefined, flags: HistoryCommandFlags & { failOnNew?: boolean }): number {
  return using(flags, (h) => {
    const { from, to } = pick(h, a, b);
    const older = h.get(from);
    const newer = h.get(to);
    if (!older) throw new UsageError(`no run #${from} in ${h.path}`, true);
    if (!newer) throw new UsageError(`no run #${to} in ${h.path}`, true);
    if (older.scope !== newer.scope) {
      throw new UsageError(`runs #${from} (${older.scopeLabel}) and #${to} (${newer.scopeLabel}) are of different scopes: their findings cannot be compared`, true);
    }
    const d = diffRuns(older, newer, newer.scopeLabel);
    writeOutput(flags.format === 'json' ? `${JSON.stringify(d, null, 2)}\n` : renderDiff(d, Boolean(flags.verbose)), flags, `${flags.format} diff`);
    return flags.failOnNew && d.counts.new > 0 ? 1 : 0;
  });
}
