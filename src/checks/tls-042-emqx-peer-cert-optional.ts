import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-042',
    name: 'emqx-peer-cert-optional',
    title: 'EMQX verifies client certificates but does not require them',
    strategy: 'tls',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'With `verify = verify_peer` and `fail_if_no_peer_cert = false` (default), a client that sends no certificate at all still connects: certificate authentication is optional.',
    remediation: 'Set `ssl_options.fail_if_no_peer_cert = true` next to `verify = verify_peer`.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        for (const l of cfg.listeners) {
          if (!l.enabled || (l.type !== 'ssl' && l.type !== 'wss')) continue;
          if (emqxGet(cfg, `${l.path}.ssl_options.verify`)?.value !== 'verify_peer') continue;
          const f = emqxGet(cfg, `${l.path}.ssl_options.fail_if_no_peer_cert`);
          if (f?.value !== true) fails.push({ status: 'FAIL', message: `${l.path}: verify_peer but fail_if_no_peer_cert = ${String(f?.value)}${f?.default ? ' (default)' : ''}: clients without a certificate connect`, location: at(f?.location ?? l.location ?? cfg.anchor) });
        }
        return fails;
      },
      'listeners that verify client certificates also require them',
    );
  },
});
