import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, emqxHardened, emqxProfileText, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-051',
    name: 'emqx-no-authentication',
    title: 'EMQX has no authentication configured: every client may connect',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'The `authentication` chain is empty by default, and with an empty chain (or only disabled authenticators) EMQX lets every client connect, with any username and password. Under the hardened security profile (EMQX 6.3, `EMQX_SECURITY_PROFILE=hardened`) such a node denies every client instead, so nothing is reported there; listeners with `enable_authn = false` stay open under either profile (ACC-052).',
    remediation: 'Add an authenticator, e.g. `authentication = [{ mechanism = password_based, backend = built_in_database, password_hash_algorithm { name = pbkdf2, mac_fun = sha256, iterations = 600000 } }]`, or enable it in the dashboard (Access Control → Authentication).',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authn/authn.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'authentication');
        const list = Array.isArray(v?.value) ? (v.value as Record<string, unknown>[]) : v?.value && typeof v.value === 'object' ? [v.value as Record<string, unknown>] : [];
        const enabled = list.filter((a) => a && a.enable !== false);
        if (enabled.length) return fails;
        // Hardened: an empty or all-disabled chain denies every client (emqx_security_profile: authn_not_configured = deny).
        if (emqxHardened(cfg)) return [{ status: 'PASS', message: `no enabled authenticator, and ${emqxProfileText(cfg)} denies every client without one (listeners with enable_authn = false excepted: ACC-052)` }];
        fails.push({ status: 'FAIL', message: `no enabled authenticator (authentication ${list.length ? 'has only disabled entries' : `is empty, ${origin}`}): every client may connect`, location: loc });
        return fails;
      },
      'an authenticator is configured',
    );
  },
});
