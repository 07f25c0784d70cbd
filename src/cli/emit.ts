/**
 * Report emission: the one way every command writes what it produced (to -o or
 * standard output) and, for the commands that judge, the one exit-code rule.
 */
import { exitCodeFor } from '../core/report.js';
import type { CheckMeta, Report } from '../core/types.js';
import { HistoryError } from '../history/paths.js';
import { renderReport, type ReportFormat } from '../reporters/index.js';
import { renderJsonChunks } from '../reporters/json.js';
import { historyPath } from './history-path.js';
import { useColor, type JudgeFlags } from './options.js';
import { suppressFindings, type ProjectFlags } from './project.js';
import { writeChunks, writeOutput } from './write.js';

export { writeOutput };

/** Render and write a report; returns the exit code (0 clean, 1 findings at/above --fail-on, 2 ERROR results or the history could not be written). */
export async function emitReport(judged: Report, flags: JudgeFlags & ProjectFlags, catalogue: readonly CheckMeta[]): Promise<0 | 1 | 2> {
  const format = flags.format as ReportFormat;
  // What the operator accepted (waivers, the baseline) is reported as suppressed, and not counted.
  const suppressed = suppressFindings(judged, flags);
  let { report } = suppressed;
  let baseline = suppressed.baseline;
  let trend;
  let historyFailed = false;
  if (flags.history) {
    // The run goes into the history; with --fail-on-new the previous run of its scope is the baseline.
    const path = historyPath(flags);
    const { recordRun } = await import('../history/record.js');
    try {
      const rec = recordRun(report, path, { failOnNew: Boolean(flags.failOnNew) });
      report = rec.report;
      baseline = rec.baseline ?? baseline;
      trend = rec.trend;
      if (!flags.quiet) process.stderr.write(`mqtt-warden: stored as run #${rec.runId} in ${path} (${rec.scopeLabel}${rec.previous ? `; previous run #${rec.previous}` : ''})\n`);
    } catch (e) {
      if (!(e instanceof HistoryError)) throw e;
      // The database was checked before the run; damage found only now must not cost the report: it is
      // written without the history, and the run ends with exit 2.
      process.stderr.write(`mqtt-warden: ${e.message}\n`);
      historyFailed = true;
    }
  }
  const s = report.summary;
  const summary = ` (${s.FAIL} failed, ${s.ERROR} errors, ${s.SKIP} skipped, ${s.PASS} passed${s.suppressed ? `, ${s.suppressed} suppressed` : ''})`;
  if (format === 'json' && flags.output) {
    // A JSON report goes to its file piece by piece: a fleet's report is never held twice.
    writeChunks(renderJsonChunks(report), flags.output, flags.quiet, `${format} report`, summary);
    return historyFailed ? 2 : exitCodeFor(report, flags.failOn);
  }
  const text = renderReport(format, report, { color: useColor(flags), verbose: Boolean(flags.verbose), quiet: Boolean(flags.quiet), catalogue, ...(baseline && { baseline }), ...(trend && { trend }) });
  writeOutput(text, flags, `${format} report`, summary);
  return historyFailed ? 2 : exitCodeFor(report, flags.failOn);
}
