import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-034',
    name: 'mosquitto-http-api-listener',
    title: 'Mosquitto 2.1 HTTP API listener (`protocol http_api`) without authentication',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'A `protocol http_api` listener (new in Mosquitto 2.1) serves the broker\'s HTTP API and the files of `http_dir`. Upstream documents that authentication is not possible on it, and recommends binding it to loopback behind a reverse proxy that encrypts and authenticates. Whoever reaches the port uses the API. High on a network address; low on loopback (every local user and process can use it).',
    remediation:
      'Bind it to loopback (`listener 8080 127.0.0.1` + `protocol http_api`) and publish it only through a reverse proxy with TLS and authentication (nginx `auth_basic` or client certificates); remove the listener if nobody uses the API.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoListeners(m.configs)) {
      if (l.protocol !== 'http_api') continue;
      const network = mosquittoNetworkListener(l);
      fails.push({
        status: 'FAIL',
        ...(network ? {} : { severity: 'low' as const }),
        message: `${mosquittoListenerName(l)} serves the HTTP API, which has no authentication${network ? ', on a network address' : ': every local user can use it'}`,
        location: listenerLoc(l, l.settings.protocol),
        evidence: { port: l.port, network, tls: l.tls },
      });
    }
    return failuresOr(fails, 'no HTTP API listener');
  },
});
