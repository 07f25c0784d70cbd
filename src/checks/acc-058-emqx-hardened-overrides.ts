import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { hoconGet } from '../config/hocon.js';
import { at, emqx, emqxHardened, emqxProfileText, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-058',
    name: 'emqx-hardened-overrides',
    title: 'EMQX setting undoes a protection of the hardened security profile',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'Under `EMQX_SECURITY_PROFILE=hardened` (EMQX 6.3) a failing authentication or authorization backend denies the client, and a JWT authenticator denies clients that send no token. Explicit settings switch that back: `authentication_settings.ignore_backend_failures = true` and `authorization.ignore_backend_failures = true` let a client through to the next authenticator, source or `no_match` when a database is down or answers garbage, and `on_missing_jwt = ignore` passes token-less clients on to the rest of the chain. (A listener with `enable_authn = false` is ACC-052.) Only judged under the hardened profile: under `legacy` these are the defaults.',
    remediation:
      'Remove `ignore_backend_failures = true` from `authentication_settings` and `authorization`, and `on_missing_jwt = ignore` from JWT authenticators; where a token-less client must reach a later authenticator, give the JWT authenticator a `precondition` instead.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/security-profile.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        if (!emqxHardened(cfg)) return [{ status: 'SKIP', message: `${emqxProfileText(cfg)} is in force: backend failures and missing JWTs are let through by default, nothing to undo (ACC-051 and ACC-053 judge the defaults)` }];
        const fails: Verdict[] = [];
        for (const path of ['authentication_settings.ignore_backend_failures', 'authorization.ignore_backend_failures']) {
          const { v, loc, origin } = emqx(cfg, path);
          if (v?.value === true) fails.push({ status: 'FAIL', message: `${path} = true (${origin}): a failing ${path.startsWith('authn') || path.startsWith('authentication') ? 'authentication' : 'authorization'} backend no longer denies under the hardened profile`, location: loc });
        }
        const list = hoconGet(cfg.root, 'authentication');
        for (const a of list?.t === 'arr' ? list.items : list?.t === 'obj' ? [list] : []) {
          if (a.t !== 'obj') continue;
          const mech = a.fields.get('mechanism');
          const missing = a.fields.get('on_missing_jwt');
          if (mech?.t === 'val' && mech.value === 'jwt' && missing?.t === 'val' && missing.value === 'ignore') {
            fails.push({ status: 'FAIL', message: 'JWT authenticator with on_missing_jwt = ignore: clients without a token go on to the rest of the chain', location: at(missing.loc) });
          }
        }
        return fails;
      },
      'no setting undoes the hardened profile',
    );
  },
});
