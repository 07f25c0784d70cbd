/**
 * Hardening tools (Lynis, OpenSCAP) and the Lynis report
 * (/var/log/lynis-report.dat: key=value lines, repeated keys end in [],
 * `warning[]=ID|text|details|solution|`).
 */
import { readTextFileAsync } from '../../io/read.js';
import { findProgram, readSys, type SysRoot } from './sysroot.js';
import type { HardeningTools, LynisReport } from './types.js';

export function parseLynisReport(text: string, file: string): LynisReport {
  // eslint-disable-next-line no-control-regex
  if (/\x00/.test(text.slice(0, 4096))) throw new Error(`${file}: binary data, not a Lynis report`);
  const report: LynisReport = { file, warnings: [], suggestions: [] };
  let keys = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = /^([a-z_0-9]+)(\[\])?=(.*)$/.exec(lines[i]!.trim());
    if (!m) continue;
    keys++;
    const [, key, , value] = m as unknown as [string, string, string | undefined, string];
    if (key === 'hardening_index' && /^\d+$/.test(value)) report.hardeningIndex = Number(value);
    else if (key === 'lynis_version') report.version = value;
    else if (key === 'report_datetime_end' || (key === 'report_datetime_start' && !report.date)) report.date = value;
    else if (key === 'warning' || key === 'suggestion') {
      const [id = '', text2 = '', details = '', solution = ''] = value.split('|');
      const entry = { id, text: text2, details: details === '-' ? '' : details, solution: solution === '-' ? '' : solution, line: i + 1 };
      (key === 'warning' ? report.warnings : report.suggestions).push(entry);
    }
  }
  if (!keys) throw new Error(`${file}: no key=value lines, not a Lynis report`);
  return report;
}

export async function collectHardening(r: SysRoot, reportFile?: string): Promise<HardeningTools> {
  const looked: string[] = [];
  const lynis = await findProgram(r, 'lynis', ['/usr/local/lynis']);
  looked.push('lynis in /usr/local/sbin, /usr/local/bin, /usr/sbin, /usr/bin, /sbin, /bin');
  const oscap = await findProgram(r, 'oscap');
  looked.push('oscap (OpenSCAP)');
  const out: HardeningTools = {
    lynis: { installed: Boolean(lynis), ...(lynis && { where: lynis }) },
    openscap: { installed: Boolean(oscap), ...(oscap && { where: oscap }) },
    looked,
  };
  if (reportFile) {
    looked.push(reportFile);
    try {
      out.report = parseLynisReport(await readTextFileAsync(reportFile, 'report', { label: 'Lynis report' }), reportFile);
    } catch (e) {
      out.reportError = (e as NodeJS.ErrnoException).code ? `${reportFile}: ${(e as NodeJS.ErrnoException).code}` : (e as Error).message;
    }
    return out;
  }
  looked.push('/var/log/lynis-report.dat');
  const res = await readSys(r, '/var/log/lynis-report.dat', 16 * 1024 * 1024);
  if (res.ok) {
    try {
      out.report = parseLynisReport(res.text, '/var/log/lynis-report.dat');
    } catch (e) {
      out.reportError = (e as Error).message;
    }
  } else if (!res.missing) out.reportError = res.error;
  return out;
}
