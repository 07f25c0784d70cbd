import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-033',
    name: 'mosquitto-crl-missing',
    title: 'Client certificates required but no CRL configured',
    strategy: 'tls',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'With `require_certificate true` a lost or compromised device certificate stays valid until it expires unless the listener checks a certificate revocation list (`crlfile`).',
    remediation: 'Publish a CRL from your CA (`openssl ca -gencrl`), set `crlfile` on the listener and refresh it (Mosquitto reads it at start and on SIGHUP).',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    let mtls = 0;
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      const d = l.settings.require_certificate;
      if (!l.tls || flag(d) !== true) continue;
      mtls++;
      if (!l.settings.crlfile) fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)} requires client certificates but has no crlfile`, location: listenerLoc(l, d) });
    }
    return failuresOr(fails, mtls ? 'every listener that requires client certificates checks a CRL' : 'no listener requires client certificates');
  },
});
