import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, failuresOr, NO_EMQX_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-057',
    name: 'emqx-dashboard-default-password',
    title: 'EMQX dashboard keeps the default admin password',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: '`dashboard.default_password` (default `public`, user `admin`) is the password of the admin account EMQX creates on first start; the dashboard and REST API can change any setting, including authentication. The config cannot tell whether the password was changed afterwards in the dashboard: the audit\'s one login attempt with `--intrusive` can (ACC-071).',
    remediation:
      'Set `dashboard.default_password` (or `EMQX_DASHBOARD__DEFAULT_PASSWORD`) to a strong secret before the first start, or change the password right after (`emqx ctl admins passwd admin NEW`). `mqtt-warden passwd gen` prints a random one.',
    references: ['https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.configs.length) return NO_EMQX_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of e.configs) {
      const { v, loc, origin } = emqx(cfg, 'dashboard.default_password');
      if (v?.value === 'public' || v?.value === '' || v?.value === 'admin') fails.push({ status: 'FAIL', message: `dashboard.default_password is "${String(v.value)}" (${origin}): the first admin account gets a well-known password`, location: loc });
    }
    return failuresOr(fails, 'dashboard.default_password is not a well-known value');
  },
});
