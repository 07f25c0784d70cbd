import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-012',
    name: 'lynis-suggestions',
    title: 'Lynis made hardening suggestions',
    strategy: 'awareness',
    severity: 'info',
    scope: 'system',
    intrusive: false,
    needs: ['sys.hardening'],
    description: 'Imports the suggestions of the last Lynis run (`suggestion[]=` lines of the report), one result each at severity info, pointing at the report line. A hardening index below 60 is reported as a low finding of its own.',
    remediation: 'Work through the suggestions that apply to a broker host (`lynis show details TEST-ID`), raise the hardening index, and re-run Lynis.',
    references: ['https://cisofy.com/lynis/controls/', 'https://github.com/CISOfy/lynis'],
  },
  judge({ 'sys.hardening': h }) {
    if (h.reportError) return { status: 'ERROR', message: `Lynis report unreadable: ${h.reportError}` };
    const r = h.report;
    if (!r) return { status: 'SKIP', message: 'no Lynis report (/var/log/lynis-report.dat, or give --lynis-report FILE)' };
    const out: Verdict[] = r.suggestions.map((s) => ({
      status: 'FAIL',
      message: `Lynis ${s.id}: ${s.text}${s.details ? ` (${s.details})` : ''}`,
      evidence: { source: 'lynis', ...s },
      location: { file: r.file, line: s.line, column: 1 },
    }));
    if (r.hardeningIndex !== undefined && r.hardeningIndex < 60) out.unshift({ status: 'FAIL', severity: 'low', message: `Lynis hardening index ${r.hardeningIndex} (below 60)`, evidence: { hardeningIndex: r.hardeningIndex }, location: { file: r.file } });
    if (out.length) return out;
    return { status: 'PASS', message: `Lynis made no suggestions${r.hardeningIndex !== undefined ? ` (hardening index ${r.hardeningIndex})` : ''}`, location: { file: r.file } };
  },
});
