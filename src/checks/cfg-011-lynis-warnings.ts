import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-011',
    name: 'lynis-warnings',
    title: 'Lynis reported warnings',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.hardening'],
    description: 'Imports the warnings of the last Lynis run from /var/log/lynis-report.dat (or `--lynis-report FILE`): one result per `warning[]=ID|text|details|solution|` line, pointing at that line of the report, with the hardening index in the message. These are Lynis\'s findings, reported under their Lynis test ID.',
    remediation: 'Follow the Lynis solution of each warning (`lynis show details TEST-ID`), then re-run `lynis audit system` so the report is current.',
    references: ['https://cisofy.com/lynis/controls/', 'https://github.com/CISOfy/lynis'],
  },
  judge({ 'sys.hardening': h }) {
    if (h.reportError) return { status: 'ERROR', message: `Lynis report unreadable: ${h.reportError}` };
    const r = h.report;
    if (!r) return { status: 'SKIP', message: 'no Lynis report (/var/log/lynis-report.dat, or give --lynis-report FILE)' };
    const idx = r.hardeningIndex !== undefined ? `hardening index ${r.hardeningIndex}` : 'no hardening index';
    if (!r.warnings.length) return { status: 'PASS', message: `Lynis ${r.version ?? ''} report ${r.date ?? ''}: no warnings (${idx})`.replace(/\s+/g, ' '), evidence: { file: r.file, hardeningIndex: r.hardeningIndex }, location: { file: r.file } };
    return r.warnings.map((w): Verdict => ({
      status: 'FAIL',
      message: `Lynis ${w.id}: ${w.text}${w.details ? ` (${w.details})` : ''}${w.solution ? ` — ${w.solution}` : ''} [${idx}]`,
      evidence: { source: 'lynis', ...w, hardeningIndex: r.hardeningIndex, reportDate: r.date },
      location: { file: r.file, line: w.line, column: 1 },
    }));
  },
});
