import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { mosquittoSeries } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-035',
    name: 'mosquitto-websockets-origin',
    title: 'Mosquitto websockets listener accepts every web origin',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Browsers let any web page open a WebSocket to any host, sending the page\'s origin in the `Origin` header. A network websockets listener that does not check it can be used from a malicious page in a user\'s browser (cross-site WebSocket hijacking: the browser is inside your network, and credentials or client certificates it holds go along). Mosquitto 2.1 checks the header against `websockets_origin` (repeatable per listener; unset = any origin). With the target version 2.0 (`--mosquitto-version 2.0`, or the installed package), which has no such option, the finding is low and the remedy is a reverse proxy.',
    remediation:
      'On Mosquitto 2.1 add the exact origin of each web application to the websockets listener, e.g. `websockets_origin https://dashboard.example.com`. On 2.0, put the listener behind a reverse proxy that rejects foreign `Origin` headers and bind it to 127.0.0.1.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/11-Client-side_Testing/10-Testing_WebSockets'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const old = mosquittoSeries(m.target?.version) === '2.0';
    const fails: Verdict[] = [];
    let ws = 0;
    for (const { l } of mosquittoListeners(m.configs)) {
      if (l.protocol !== 'websockets' || !mosquittoNetworkListener(l)) continue;
      ws++;
      if (l.websocketsOrigins.length) continue;
      fails.push({
        status: 'FAIL',
        ...(old ? { severity: 'low' as const } : {}),
        message: old
          ? `${mosquittoListenerName(l)} accepts WebSocket connections from any web origin (Mosquitto ${m.target!.version} has no websockets_origin: check Origin in a reverse proxy)`
          : `${mosquittoListenerName(l)} has no websockets_origin: any web page can connect through a visitor's browser`,
        location: listenerLoc(l, l.settings.protocol),
      });
    }
    return failuresOr(fails, ws ? 'every network websockets listener restricts the web origin' : 'no network websockets listener');
  },
});
