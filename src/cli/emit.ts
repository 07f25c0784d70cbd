/**
 * Report emission: the one way every command writes what it produced (to -o or
 * standard output) and, for the commands that judge, the one exit-code rule.
 */
import { exitCodeFor } from '../core/report.js';
import type { CheckMeta, Report } from '../core/types.js';
import { renderReport, type ReportFormat } from '../reporters/index.js';
import { renderJsonChunks } from '../reporters/json.js';
import { useColor, type JudgeFlags } from './options.js';
import { suppressFindings, type ProjectFlags } from './project.js';
import { writeChunks, writeOutput } from './write.js';

export { writeOutput };

/** Render and write a report; returns the exit code (0 clean, 1 findings at/above --fail-on, 2 ERROR results). */
export function emitReport(judged: Report, flags: JudgeFlags & ProjectFlags, catalogue: readonly CheckMeta[]): 0 | 1 | 2 {
  const format = flags.format as ReportFormat;
  // What the operator accepted (waivers, the baseline) is reported as suppressed, and not counted.
  const { report, baseline } = suppressFindings(judged, flags);
  const s = report.summary;
  const summary = ` (${s.FAIL} failed, ${s.ERROR} errors, ${s.SKIP} skipped, ${s.PASS} passed${s.suppressed ? `, ${s.suppressed} suppressed` : ''})`;
  if (format === 'json' && flags.output) {
    // A JSON report goes to its file piece by piece: a fleet's report is never held twice.
    writeChunks(renderJsonChunks(report), flags.output, flags.quiet, `${format} report`, summary);
    return exitCodeFor(report, flags.failOn);
  }
  const text = renderReport(format, report, { color: useColor(flags), verbose: Boolean(flags.verbose), quiet: Boolean(flags.quiet), catalogue, ...(baseline && { baseline }) });
  writeOutput(text, flags, `${format} report`, summary);
  return exitCodeFor(report, flags.failOn);
}
