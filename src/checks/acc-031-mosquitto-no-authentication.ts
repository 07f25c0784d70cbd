import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { anonymousAllowed } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoAuthSources, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-031',
    name: 'mosquitto-no-authentication',
    title: 'Mosquitto network listener without an authentication source (config)',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'A listener reachable from the network that has neither `password_file`, an authentication plugin (`plugin`/`auth_plugin`, and on Mosquitto 2.1 `global_plugin` or `plugin_load` + `plugin_use` on the listener; the dynamic security plugin authenticates, the ACL-file plugin does not), a `psk_file` (with `psk_hint`), nor client certificates used as identity (`require_certificate true` with `use_identity_as_username`/`use_subject_as_username`). With anonymous access on, every client is in; with it off, no client can log in at all, which usually ends with someone switching anonymous access on.',
    remediation:
      'Give the listener a credential source: `password_file /etc/mosquitto/passwd` (create the entries with `mqtt-warden passwd gen` and `mqtt-warden passwd hash USER --file /etc/mosquitto/passwd`, or with `mosquitto_passwd -c /etc/mosquitto/passwd USER`), the dynamic security plugin, or client certificates (`require_certificate true` + `use_identity_as_username true`). With `per_listener_settings true` each listener needs its own.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://mosquitto.org/documentation/authentication-methods/'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { cfg, l } of mosquittoMqttListeners(m.configs)) {
      if (!mosquittoNetworkListener(l) || mosquittoAuthSources(l).length) continue;
      const anon = anonymousAllowed(cfg, l).allowed;
      fails.push({
        status: 'FAIL',
        severity: anon ? 'high' : 'low',
        message: `${mosquittoListenerName(l)} has no password_file, plugin, psk_file or certificate identity: ${anon ? 'every client connects anonymously' : 'no client can authenticate'}`,
        location: listenerLoc(l),
        evidence: { port: l.port, anonymous: anon },
      });
    }
    return failuresOr(fails, 'every network listener has an authentication source');
  },
});
