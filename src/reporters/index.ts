import type { CheckMeta, Report } from '../core/types.js';
import { renderHtml, type TrendPoint } from './html.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderTerminal } from './terminal.js';

import type { ReportFormat } from './formats.js';

export { REPORT_FORMATS, type ReportFormat } from './formats.js';

export interface RenderOptions {
  /** ANSI colours (terminal format only). */
  color: boolean;
  /** Every subject, PASS and SKIP results, suppressed results, evidence and references (terminal format only). */
  verbose?: boolean;
  /** Only the summary and the FAIL/ERROR headers (terminal format only; verbose wins). */
  quiet?: boolean;
  /** Wrap width in columns (terminal format only); default: the terminal's width when stdout is one, else 100. */
  width?: number;
  /** All known checks: SARIF describes each of them as a rule. */
  catalogue: readonly CheckMeta[];
  /** The baseline the results were compared with (SARIF: baselineState of every result). */
  baseline?: { fingerprints: ReadonlySet<string> };
  /** Earlier runs of the same scope from the history, this run last (HTML trend chart). */
  trend?: readonly TrendPoint[];
}

/** Renders the report in the given format; the text ends with a newline. */
export function renderReport(format: ReportFormat, report: Report, opts: RenderOptions): string {
  switch (format) {
    case 'terminal':
      return renderTerminal(report, {
        color: opts.color,
        verbose: opts.verbose,
        quiet: opts.quiet,
        width: opts.width ?? (process.stdout.isTTY ? process.stdout.columns : undefined),
      });
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, opts.catalogue, opts.baseline ? { baseline: opts.baseline } : {});
    case 'junit':
      return renderJunit(report);
    case 'html':
      return renderHtml(report, opts.trend ? { trend: opts.trend } : {});
  }
}
