/**
 * Report emission: the one way every command writes what it produced (to -o or
 * standard output) and, for the commands that judge, the one exit-code rule.
 */
import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { exitCodeFor } from '../core/report.js';
import type { CheckMeta, Report } from '../core/types.js';
import { renderReport, type ReportFormat } from '../reporters/index.js';
import { renderJsonChunks } from '../reporters/json.js';
import { UsageError } from './common.js';
import { useColor, type JudgeFlags, type OutputFlags } from './options.js';
import { suppressFindings, type ProjectFlags } from './project.js';

/** Write a command's output: the file of -o (a line on stderr says so, unless -q), else standard output. */
export function writeOutput(text: string, flags: Pick<OutputFlags, 'output' | 'quiet'>, what: string, summary = ''): void {
  const body = text.endsWith('\n') || text === '' ? text : `${text}\n`;
  if (!flags.output) {
    process.stdout.write(body);
    return;
  }
  try {
    writeFileSync(flags.output, body);
  } catch (e) {
    throw new UsageError(`cannot write ${flags.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!flags.quiet) process.stderr.write(`mqtt-warden: wrote ${what} to ${flags.output}${summary}\n`);
}

/** Write text that comes in pieces (ending with a newline) to the file of -o, as writeOutput does. */
function writeChunks(chunks: Iterable<string>, file: string, quiet: boolean | undefined, what: string, summary: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(file, 'w');
    for (const c of chunks) writeSync(fd, c);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (!code) throw e;
    throw new UsageError(`cannot write ${file}: ${code}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (!quiet) process.stderr.write(`mqtt-warden: wrote ${what} to ${file}${summary}\n`);
}

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
