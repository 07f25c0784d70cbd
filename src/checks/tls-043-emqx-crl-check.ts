import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-043',
    name: 'emqx-crl-check',
    title: 'EMQX verifies client certificates without revocation checks',
    strategy: 'tls',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'On ssl listeners with `verify = verify_peer`, `enable_crl_check` (default false) makes EMQX check the CRL distribution points of client certificates; without it a revoked device certificate keeps working until it expires. (wss listeners have no CRL option.)',
    remediation: 'Set `ssl_options.enable_crl_check = true` (and `crl_cache` settings if needed), or keep certificate lifetimes short.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/crl.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        for (const l of cfg.listeners) {
          if (!l.enabled || l.type !== 'ssl') continue;
          if (emqxGet(cfg, `${l.path}.ssl_options.verify`)?.value !== 'verify_peer') continue;
          const c = emqxGet(cfg, `${l.path}.ssl_options.enable_crl_check`);
          if (c?.value !== true) fails.push({ status: 'FAIL', message: `${l.path}: verify_peer without enable_crl_check${c?.default ? ' (default false)' : ''}`, location: at(c?.location ?? l.location ?? cfg.anchor) });
        }
        return fails;
      },
      'listeners that verify client certificates check revocation',
    );
  },
});
