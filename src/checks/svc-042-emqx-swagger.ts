import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-042',
    name: 'emqx-swagger',
    title: 'EMQX serves the Swagger API documentation',
    strategy: 'services',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: '`dashboard.swagger_support = true` (default) publishes the full REST API description at /api-docs on the dashboard port: a map of every management endpoint for whoever reaches it.',
    remediation: 'Set `dashboard.swagger_support = false` on production nodes.',
    references: ['https://docs.emqx.com/en/emqx/latest/admin/api.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'dashboard.swagger_support');
        if (v?.value !== false) fails.push({ status: 'FAIL', message: `dashboard.swagger_support = ${String(v?.value)} (${origin}): /api-docs is served`, location: loc });
        return fails;
      },
      'dashboard.swagger_support = false',
    );
  },
});
