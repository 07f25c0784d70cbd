import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-034',
    name: 'mosquitto-zero-length-clientid',
    title: 'Mosquitto accepts zero-length client IDs (config)',
    strategy: 'access',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      '`allow_zero_length_clientid` defaults to true: clients may connect without a client ID and get a random one (`auto_id_prefix`), which defeats `%c` ACL patterns, client-ID based bans and audit trails. Reported for network listeners where it is not set to false.',
    remediation: 'Set `allow_zero_length_clientid false` (per listener with `per_listener_settings true`), or `use_username_as_clientid true` on listeners where clients authenticate.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      if (!mosquittoNetworkListener(l)) continue;
      const d = l.settings.allow_zero_length_clientid;
      if (flag(d) === false || flag(l.settings.use_username_as_clientid) === true) continue;
      fails.push({
        status: 'FAIL',
        message: `${mosquittoListenerName(l)} accepts empty client IDs (${d ? `allow_zero_length_clientid true at ${d.file}:${d.line}` : 'default true'})`,
        location: listenerLoc(l, d),
      });
    }
    return failuresOr(fails, 'no network listener accepts empty client IDs');
  },
});
