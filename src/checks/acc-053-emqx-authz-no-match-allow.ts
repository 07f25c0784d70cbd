import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-053',
    name: 'emqx-authz-no-match-allow',
    title: 'EMQX authorization allows what no rule matches (`no_match = allow`)',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: '`authorization.no_match` decides publish/subscribe requests that no authorization rule matched; the default is `allow`, so any topic not explicitly denied is open to every client. The shipped acl.conf itself says to set `no_match = deny` in production.',
    remediation: 'Set `authorization.no_match = deny` and grant what clients need explicitly in the authorization sources.',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/authz.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'authorization.no_match');
        if (v?.value !== 'deny') fails.push({ status: 'FAIL', message: `authorization.no_match = ${String(v?.value)} (${origin}): requests no rule matches are allowed`, location: loc });
        return fails;
      },
      'authorization.no_match = deny',
    );
  },
});
