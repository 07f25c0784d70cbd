import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxVersionText } from '../config/emqx.js';
import { emqx, judgeEmqx } from './config-util.js';

/** `10m`, `30s`, `1h`, `500ms`, a number of milliseconds → seconds; undefined when unreadable. */
function seconds(v: unknown): number | undefined {
  if (typeof v === 'number') return v / 1000;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  if (!m) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

export default defineCheck({
  meta: {
    id: 'CFG-053',
    name: 'emqx-dashboard-login-lockout',
    title: 'EMQX dashboard login lockout is off or weak',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'EMQX 6 locks a dashboard user after `dashboard.unsuccessful_login_max_attempts` failed logins (default 5) for `unsuccessful_login_lock_duration` (default 10m): the limit on guessing the admin password over the dashboard and REST API login. Reported when the lock is switched off (0 attempts or duration), allows more than 10 attempts, or lasts under a minute. EMQX 5 (open source) has no such lock: there the check says SKIP and the dashboard should stay on loopback or behind `mqtt-warden guard`. `password_expired_time` (password ageing) is shown, not judged.',
    remediation: 'Keep `dashboard { unsuccessful_login_max_attempts = 5, unsuccessful_login_lock_duration = 10m }` (the EMQX 6 defaults) or stricter.',
    references: ['https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html', 'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        if (cfg.version.major < 6) return [{ status: 'SKIP', message: `${emqxVersionText(cfg.version)} has no dashboard login lockout (EMQX 6 has): keep the dashboard on loopback or run mqtt-warden guard` }];
        const fails: Verdict[] = [];
        const attempts = emqx(cfg, 'dashboard.unsuccessful_login_max_attempts');
        const lock = emqx(cfg, 'dashboard.unsuccessful_login_lock_duration');
        const n = typeof attempts.v?.value === 'number' ? attempts.v.value : Number(attempts.v?.value);
        const secs = seconds(lock.v?.value);
        if (!Number.isFinite(n) || n <= 0) fails.push({ status: 'FAIL', message: `dashboard.unsuccessful_login_max_attempts = ${String(attempts.v?.value)} (${attempts.origin}): failed dashboard logins never lock the account`, location: attempts.loc });
        else if (n > 10) fails.push({ status: 'FAIL', severity: 'low', message: `dashboard.unsuccessful_login_max_attempts = ${n} (${attempts.origin}): more than 10 guesses before the account locks`, location: attempts.loc });
        if (secs !== undefined && secs <= 0) fails.push({ status: 'FAIL', message: `dashboard.unsuccessful_login_lock_duration = ${String(lock.v?.value)} (${lock.origin}): the lock ends at once`, location: lock.loc });
        else if (secs !== undefined && secs < 60) fails.push({ status: 'FAIL', severity: 'low', message: `dashboard.unsuccessful_login_lock_duration = ${String(lock.v?.value)} (${lock.origin}): under a minute, guessing goes on almost unslowed`, location: lock.loc });
        return fails;
      },
      'the dashboard locks accounts after a few failed logins',
    );
  },
});
