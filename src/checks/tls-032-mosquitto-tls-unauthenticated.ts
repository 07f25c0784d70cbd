import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-032',
    name: 'mosquitto-tls-unauthenticated',
    title: 'Mosquitto TLS listener without client certificates or passwords',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'A network TLS listener with `require_certificate false` (the default) and no password_file or authenticating plugin (`plugin`, `global_plugin`, or `plugin_load` + `plugin_use` on the listener in 2.1): TLS encrypts the traffic but nothing authenticates the client, so anyone who can reach the port connects.',
    remediation: 'Either require client certificates (`require_certificate true`, `cafile`, and `use_identity_as_username true` if the certificate is the identity) or add `password_file`/a plugin with `allow_anonymous false`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      if (!l.tls || !mosquittoNetworkListener(l) || l.settings.psk_hint) continue;
      const d = l.settings.require_certificate;
      if (flag(d) === true || l.settings.password_file || l.plugins.some((p) => p.authenticates)) continue;
      fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)}: require_certificate ${d ? 'false' : 'unset (false)'} and no password_file or plugin`, location: listenerLoc(l, d) });
    }
    return failuresOr(fails, 'every network TLS listener authenticates clients');
  },
});
