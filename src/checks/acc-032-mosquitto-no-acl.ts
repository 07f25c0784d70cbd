import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

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
      'A listener whose clients get neither an `acl_file` nor a plugin (the dynamic security plugin does authorization too): every client that connects may read and write every topic, including other clients\' data and commands.',
    remediation:
      'Add `acl_file /etc/mosquitto/acl` with per-user `topic` rules and `pattern` rules using `%u`/`%c`, or use the dynamic security plugin. With `per_listener_settings true` each listener needs its own.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://mosquitto.org/documentation/dynamic-security/'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoListeners(m.configs)) {
      if (l.settings.acl_file || l.settings.plugin || l.settings.auth_plugin) continue;
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
