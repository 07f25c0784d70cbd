import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { listenerAllowed } from '../config/policy.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-030',
    name: 'mosquitto-listener-all-interfaces',
    title: 'Mosquitto listener bound to all interfaces, or not allowed by the policy',
    strategy: 'services',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto', 'policy'],
    description:
      '`listener PORT` without an address (and without `bind_interface`) listens on every interface, including ones added later (VPNs, container bridges). When the policy lists allowed listeners (`listeners.allowed`, e.g. `["127.0.0.1:1883", "*:8883"]`), any other listener is a finding too.',
    remediation: 'Give every listener the address it serves: `listener 8883 10.0.0.5` (or `bind_interface eth1`), and remove listeners nobody needs.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m, policy }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    const allowed = policy.listeners.allowed;
    for (const { l } of mosquittoListeners(m.configs)) {
      if (allowed && !listenerAllowed(allowed, l.port, l.bind)) {
        fails.push({ status: 'FAIL', severity: 'medium', message: `${mosquittoListenerName(l)} is not among the policy's allowed listeners (${allowed.join(', ')})`, location: listenerLoc(l) });
      } else if (!l.bind && !l.bindInterface) {
        fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)} binds every interface`, location: listenerLoc(l) });
      }
    }
    return failuresOr(fails, 'every listener is bound to an address or interface');
  },
});
