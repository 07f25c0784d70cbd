import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, emqxHardened, judgeEmqx } from './config-util.js';

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
    description: '`dashboard.default_password` (default `public`, user `admin`) is the password of the admin account EMQX creates on first start; the dashboard and REST API can change any setting, including authentication. The config cannot tell whether the password was changed afterwards in the dashboard: the audit\'s one login attempt with `--intrusive` can (ACC-071). Under the hardened security profile (EMQX 6.3) accounts whose password is `public` cannot log in, so `public` is not reported there (`admin` and an empty password still are).',
    remediation:
      'Set `dashboard.default_password` (or `EMQX_DASHBOARD__DEFAULT_PASSWORD`) to a strong secret before the first start, or change the password right after (`emqx ctl admins passwd admin NEW`). `mqtt-warden passwd gen` prints a random one.',
    references: ['https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'dashboard.default_password');
        // Hardened: accounts whose password is `public` cannot log in (dashboard_unchanged_default_credentials = deny).
        if (v?.value === 'public' && emqxHardened(cfg)) return fails;
        if (v?.value === 'public' || v?.value === '' || v?.value === 'admin') fails.push({ status: 'FAIL', message: `dashboard.default_password is "${String(v.value)}" (${origin}): the first admin account gets a well-known password`, location: loc });
        return fails;
      },
      'dashboard.default_password is not a well-known value',
    );
  },
});
