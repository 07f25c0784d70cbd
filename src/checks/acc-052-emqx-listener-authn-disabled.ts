import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-052',
    name: 'emqx-listener-authn-disabled',
    title: 'EMQX listener with authentication switched off',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      '`enable_authn = false` on a listener skips the authentication chain for every client of that listener; `quick_deny_anonymous` only refuses clients without a username. Reported for enabled listeners.',
    remediation: 'Remove `enable_authn = false` (default true) from the listener, or bind the listener to 127.0.0.1 if it only serves trusted local clients.',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        for (const l of cfg.listeners) {
          if (!l.enabled || l.settings.enable_authn !== false) continue;
          const v = emqxGet(cfg, `${l.path}.enable_authn`);
          fails.push({ status: 'FAIL', message: `${l.path} (port ${l.bind.port}): enable_authn = false, clients skip authentication`, location: at(v?.location ?? l.location ?? cfg.anchor) });
        }
        return fails;
      },
      'no enabled listener switches authentication off',
    );
  },
});
