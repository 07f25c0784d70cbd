import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, emqxPublicBind, failuresOr, NO_EMQX_CONFIG } from './config-util.js';

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
    description: 'The dashboard listener `dashboard.listeners.http` (18083, on by default, all interfaces) carries the admin login and API keys in clear text; the HTTPS listener (18084) is off by default. This is the config\'s view; what really answers on the dashboard ports, and with which version, is the audit\'s (SVC-001, SVC-080, SVC-081).',
    remediation: 'Bind the HTTP dashboard to 127.0.0.1 (`dashboard.listeners.http.bind = "127.0.0.1:18083"`) or disable it (`bind = 0`), and enable `dashboard.listeners.https` with a real certificate.',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html', 'https://docs.emqx.com/en/emqx/latest/dashboard/introduction.html'],
  },
  judge({ 'config.emqx': e }) {
    if (!e.configs.length) return NO_EMQX_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of e.configs) {
      const http = cfg.dashboard.listeners.find((l) => l.name === 'http');
      if (!http?.enabled || !emqxPublicBind(http.bind.address)) continue;
      const https = cfg.dashboard.listeners.find((l) => l.name === 'https' && l.enabled);
      fails.push({
        status: 'FAIL',
        message: `dashboard over HTTP on ${http.bind.address ?? 'all interfaces'}:${http.bind.port}${http.location ? '' : ' (EMQX default)'}${https ? ` next to HTTPS on ${https.bind.port}` : ', and HTTPS is off'}`,
        location: at(http.location ?? cfg.anchor),
      });
    }
    return failuresOr(fails, 'the HTTP dashboard is off or bound to loopback');
  },
});
