import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoAuthorizes, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-032',
    name: 'mosquitto-no-acl',
    title: 'Mosquitto listener without topic access control (config)',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'A listener whose clients get neither an `acl_file` nor an authorizing plugin (`plugin`/`auth_plugin`, Mosquitto 2.1 `global_plugin` or `plugin_load` + `plugin_use` on the listener; the dynamic security plugin does authorization too, the password-file plugin does not): every client that connects may read and write every topic, including other clients\' data and commands.',
    remediation:
      'Add `acl_file /etc/mosquitto/acl` with per-user `topic` rules and `pattern` rules using `%u`/`%c`, or use the dynamic security plugin. With `per_listener_settings true` each listener needs its own.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      if (mosquittoAuthorizes(l)) continue;
      fails.push({
        status: 'FAIL',
        ...(mosquittoNetworkListener(l) ? {} : { severity: 'low' as const }),
        message: `${mosquittoListenerName(l)} has no acl_file or plugin: every client may read and write every topic`,
        location: listenerLoc(l),
        evidence: { port: l.port },
      });
    }
    return failuresOr(fails, 'every listener has an acl_file or a plugin');
  },
});
