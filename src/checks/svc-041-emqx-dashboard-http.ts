import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxVersionText } from '../config/emqx.js';
import { at, emqxBindText, emqxPublicBind, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-041',
    name: 'emqx-dashboard-http',
    title: 'EMQX dashboard and REST API served over plain HTTP on the network',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description: 'The dashboard listener `dashboard.listeners.http` (18083, on by default) carries the admin login and API keys in clear text; the HTTPS listener (18084) is off by default. A port-only bind listens on all interfaces, except under the hardened security profile of EMQX 6.3 (loopback) or where `node.default_listener_address` says otherwise. This is the config\'s view; what really answers on the dashboard ports, and with which version, is the audit\'s (SVC-001, SVC-080, SVC-081).',
    remediation: 'Bind the HTTP dashboard to 127.0.0.1 (`dashboard.listeners.http.bind = "127.0.0.1:18083"`) or disable it (`bind = 0`), and enable `dashboard.listeners.https` with a real certificate.',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html', 'https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        const http = cfg.dashboard.listeners.find((l) => l.name === 'http');
        if (!http?.enabled || !emqxPublicBind(http.bind.address)) return fails;
        const https = cfg.dashboard.listeners.find((l) => l.name === 'https' && l.enabled);
        fails.push({
          status: 'FAIL',
          message: `dashboard over HTTP on ${emqxBindText(http.bind)}${http.location ? '' : ` (EMQX default of ${emqxVersionText(cfg.version, false)})`}${https ? ` next to HTTPS on ${https.bind.port}` : ', and HTTPS is off'}`,
          location: at(http.location ?? cfg.anchor),
        });
        return fails;
      },
      'the HTTP dashboard is off or bound to loopback',
    );
  },
});
