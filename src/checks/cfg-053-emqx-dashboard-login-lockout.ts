import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxVersionText } from '../config/emqx.js';
import { durationText, emqx, emqxSeconds as seconds, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-053',
    name: 'emqx-dashboard-login-lockout',
    title: 'EMQX dashboard login lockout is off or weak',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description:
      'EMQX 6 locks a dashboard user after `dashboard.unsuccessful_login_max_attempts` failed logins (default 5) for `unsuccessful_login_lock_duration` (default 10m): the limit on guessing the admin password over the dashboard and REST API login. Reported when the lock is switched off (0 attempts or duration), allows more failed logins than the security policy (`loginAttempts.maxFailures`, default 5), or lasts less than the policy\'s `loginAttempts.banFor` (default 5 minutes). EMQX 5 (open source) has no such lock: there the check says SKIP and the dashboard should stay on loopback or behind `mqtt-warden guard`. `password_expired_time` (password ageing) is shown, not judged.',
    remediation: 'Keep `dashboard { unsuccessful_login_max_attempts = 5, unsuccessful_login_lock_duration = 10m }` (the EMQX 6 defaults) or stricter: at most the policy\'s `loginAttempts.maxFailures` attempts, a lock of at least its `loginAttempts.banFor`.',
    references: ['https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html', 'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    const { maxFailures, banFor } = policy.loginAttempts;
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
        else if (n > maxFailures) fails.push({ status: 'FAIL', severity: 'low', message: `dashboard.unsuccessful_login_max_attempts = ${n} (${attempts.origin}): more guesses before the account locks than the policy's ${maxFailures} (loginAttempts.maxFailures)`, location: attempts.loc });
        if (secs !== undefined && secs <= 0) fails.push({ status: 'FAIL', message: `dashboard.unsuccessful_login_lock_duration = ${String(lock.v?.value)} (${lock.origin}): the lock ends at once`, location: lock.loc });
        else if (secs !== undefined && secs < banFor) fails.push({ status: 'FAIL', severity: 'low', message: `dashboard.unsuccessful_login_lock_duration = ${String(lock.v?.value)} (${lock.origin}): shorter than the policy's ${durationText(banFor)} (loginAttempts.banFor)`, location: lock.loc });
        return fails;
      },
      'the dashboard locks accounts after a few failed logins',
    );
  },
});
