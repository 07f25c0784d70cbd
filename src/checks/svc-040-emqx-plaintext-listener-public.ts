import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { listenerAllowed } from '../config/policy.js';
import { emqxVersionText } from '../config/emqx.js';
import { at, emqxBindText, emqxPublicBind, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-040',
    name: 'emqx-plaintext-listener-public',
    title: 'EMQX plaintext tcp/ws listener on all interfaces next to ssl/wss',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx', 'policy'],
    description: 'EMQX enables tcp (1883) and ws (8083) on 0.0.0.0 by default, next to ssl (8883) and wss (8084). Where TLS is offered, a plaintext listener on a public address is a downgrade path for credentials and data. With `listeners.allowed` in the policy, any listener not listed is reported too.',
    remediation: 'Disable the plaintext listeners (`listeners.tcp.default.enable = false`, `listeners.ws.default.enable = false`) or bind them to 127.0.0.1 (`bind = "127.0.0.1:1883"`).',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html'],
  },
  judge({ 'config.emqx': e, policy }) {
    const allowed = policy.listeners.allowed;
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const enabled = cfg.listeners.filter((l) => l.enabled);
        const tls = enabled.filter((l) => l.type === 'ssl' || l.type === 'wss' || l.type === 'quic');
        for (const l of enabled) {
          const loc = at(l.location ?? cfg.anchor);
          const where = `${l.path} (${emqxBindText(l.bind)}${l.location ? '' : `, EMQX default of ${emqxVersionText(cfg.version, false)}`})`;
          if (allowed && !listenerAllowed(allowed, l.bind.port, l.bind.address)) fails.push({ status: 'FAIL', message: `${where} is not among the policy's allowed listeners (${allowed.join(', ')})`, location: loc });
          else if ((l.type === 'tcp' || l.type === 'ws') && tls.length && emqxPublicBind(l.bind.address)) {
            fails.push({ status: 'FAIL', message: `${where} is plaintext on a public address next to ${tls.map((t) => t.path).join(', ')}`, location: loc });
          }
        }
        return fails;
      },
      'no plaintext listener on a public address next to TLS listeners',
    );
  },
});
