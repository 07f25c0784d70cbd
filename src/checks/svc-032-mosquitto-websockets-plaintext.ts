import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-032',
    name: 'mosquitto-websockets-plaintext',
    title: 'Mosquitto websockets listener without TLS',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'A `protocol websockets` listener without `certfile` serves MQTT over plain HTTP: browsers send credentials in clear text, and any web page a user visits can try to connect to it. Reported for network listeners.',
    remediation: 'Add `certfile`/`keyfile` to the websockets listener (wss://), or put it behind a TLS-terminating reverse proxy and bind it to 127.0.0.1.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoListeners(m.configs)) {
      if (l.protocol !== 'websockets' || l.tls || !mosquittoNetworkListener(l)) continue;
      fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)} serves websockets without TLS`, location: listenerLoc(l, l.settings.protocol) });
    }
    return failuresOr(fails, 'no plaintext websockets listener on the network');
  },
});
