import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-051',
    name: 'emqx-audit-log',
    title: 'EMQX audit log is off',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: '`log.audit.enable` (Enterprise, default false) records every change made through the dashboard, REST API and CLI: without it, who weakened authentication and when cannot be traced.',
    remediation: 'Set `log.audit { enable = true }` (EMQX Enterprise 5.4+), and ship the audit file off the host.',
    references: ['https://docs.emqx.com/en/emqx/latest/dashboard/audit-log.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'log.audit.enable');
        if (v?.value !== true) fails.push({ status: 'FAIL', message: `log.audit.enable = ${String(v?.value)} (${origin}): configuration changes are not audited`, location: loc });
        return fails;
      },
      'the audit log is on',
    );
  },
});
