import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqx, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-054',
    name: 'emqx-authz-deny-action-ignore',
    title: 'EMQX ignores denied publish/subscribe requests (`deny_action = ignore`)',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'With `authorization.deny_action = ignore` (default) a client that tries a forbidden topic stays connected and may keep probing; `disconnect` ends the session, which makes probing slow and visible.',
    remediation: 'Set `authorization.deny_action = disconnect` (MQTT 5 clients get reason code 0x87 first).',
    references: ['https://docs.emqx.com/en/emqx/latest/access-control/authz/authz.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const { v, loc, origin } = emqx(cfg, 'authorization.deny_action');
        if (v?.value !== 'disconnect') fails.push({ status: 'FAIL', message: `authorization.deny_action = ${String(v?.value)} (${origin}): denied clients stay connected`, location: loc });
        return fails;
      },
      'authorization.deny_action = disconnect',
    );
  },
});
