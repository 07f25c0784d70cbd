import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-031',
    name: 'mosquitto-plaintext-beside-tls',
    title: 'Plaintext Mosquitto listener next to a TLS listener',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'When a broker offers TLS, a plaintext network listener next to it is a downgrade path: clients (and attackers) can use it to send credentials and data in clear text. Loopback-only plaintext listeners (for local bridges or tools) are not reported.',
    remediation: 'Remove the plaintext listener, or bind it to 127.0.0.1 for local clients only.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const ls = mosquittoListeners([cfg]).map((x) => x.l);
      const tls = ls.filter((l) => l.tls);
      if (!tls.length) continue;
      for (const l of ls) {
        if (l.tls || !mosquittoNetworkListener(l)) continue;
        fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)} is plaintext next to TLS listener ${tls.map((t) => t.port).join(', ')}`, location: listenerLoc(l) });
      }
    }
    return failuresOr(fails, 'no plaintext network listener next to a TLS listener');
  },
});
