import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-034',
    name: 'mosquitto-client-cert-dates-ignored',
    title: 'Mosquitto 2.1 accepts expired client certificates (`disable_client_cert_date_checks true`)',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Mosquitto 2.1 `disable_client_cert_date_checks true` makes a listener with `require_certificate true` accept client certificates that have expired or are not valid yet. Expiry is how certificates of retired devices, leaked keys and departed staff stop working when no CRL is published: with the check off, every certificate the CA ever signed opens the broker for good. High on a listener that requires certificates; low where it has no effect (no `require_certificate true`).',
    remediation:
      'Remove `disable_client_cert_date_checks true` (the default is false) and renew the certificates of devices whose clocks or certificates made you set it; devices without a real-time clock can get a long-lived certificate from a dedicated CA, combined with a `crlfile`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://www.rfc-editor.org/rfc/rfc5280#section-6.1.3'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      const d = l.settings.disable_client_cert_date_checks;
      if (flag(d) !== true) continue;
      const required = flag(l.settings.require_certificate) === true;
      fails.push({
        status: 'FAIL',
        ...(required ? {} : { severity: 'low' as const }),
        message: required
          ? `${mosquittoListenerName(l)} accepts expired and not-yet-valid client certificates (disable_client_cert_date_checks true)`
          : `${mosquittoListenerName(l)}: disable_client_cert_date_checks true (no effect today: require_certificate is not true, but it takes effect once certificates are required)`,
        location: listenerLoc(l, d),
      });
    }
    return failuresOr(fails, 'no listener ignores client certificate dates');
  },
});
