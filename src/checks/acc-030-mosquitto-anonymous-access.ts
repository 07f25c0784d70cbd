import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { anonymousAllowed } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-030',
    name: 'mosquitto-anonymous-access',
    title: 'Mosquitto listener accepts anonymous clients (config)',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Computes, for every listener Mosquitto opens, whether clients without credentials may connect: Mosquitto 2.1 `listener_allow_anonymous` on the listener (it overrides `allow_anonymous`), else `allow_anonymous` as it applies to that listener (global, or per listener with `per_listener_settings true`), the 2.0 default (false), and the 2.0 local-only mode: with no listener configured Mosquitto listens on loopback port 1883 and lets anonymous clients in. A network listener is high severity; a loopback-only one is low.',
    remediation:
      'Set `allow_anonymous false` (on Mosquitto 2.1 `listener_allow_anonymous false` on the listener; with `per_listener_settings true`, on every listener) and configure `password_file`, a plugin (dynamic security) or client certificates. In local-only mode, add an explicit `listener 1883 127.0.0.1` and `allow_anonymous false` when local clients must authenticate too.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://mosquitto.org/documentation/migrating-to-2-0/'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { cfg, l } of mosquittoMqttListeners(m.configs)) {
      const a = anonymousAllowed(cfg, l);
      if (!a.allowed) continue;
      const network = mosquittoNetworkListener(l);
      fails.push({
        status: 'FAIL',
        severity: network ? 'high' : 'low',
        message: `${mosquittoListenerName(l)} accepts anonymous clients (${a.by ? `${a.by.key} true at ${a.by.file}:${a.by.line}` : 'the 2.0 local-only default'})`,
        location: listenerLoc(l, a.by),
        evidence: { port: l.port, bind: l.bind ?? null, network, perListenerSettings: cfg.perListenerSettings },
      });
    }
    return failuresOr(fails, 'no listener accepts anonymous clients');
  },
});
