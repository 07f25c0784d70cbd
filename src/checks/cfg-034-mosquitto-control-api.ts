import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { anonymousAllowed, flag } from '../config/mosquitto.js';
import { at, failuresOr, mosquittoAuthorizes, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-034',
    name: 'mosquitto-control-api',
    title: 'Mosquitto 2.1 control API enabled (`enable_control_api true`)',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Mosquitto 2.1 `enable_control_api true` answers requests on `$CONTROL/broker/v1`: today it tells which plugins are loaded, and upstream plans broker configuration through it. Whoever may publish to `$CONTROL/broker/#` uses it. Reported whenever it is on; high when a network listener lets clients in anonymously or without topic access control (no acl_file or authorizing plugin), because then anyone who connects reaches it.',
    remediation:
      'Remove `enable_control_api true` unless you use it. If you do, keep `allow_anonymous false` (or `listener_allow_anonymous false`) and grant `$CONTROL/broker/#` only to an administrator: the dynamic security plugin (a role with publishClientSend/subscribePattern on `$CONTROL/broker/#`) or an acl_file `user admin` block with `topic readwrite $CONTROL/broker/#`.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://github.com/eclipse-mosquitto/mosquitto/blob/v2.1.2/ChangeLog.txt'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const d = cfg.global.enable_control_api;
      if (flag(d) !== true) continue;
      const open = mosquittoMqttListeners([cfg])
        .map((x) => x.l)
        .filter((l) => mosquittoNetworkListener(l) && (anonymousAllowed(cfg, l).allowed || !mosquittoAuthorizes(l)));
      fails.push({
        status: 'FAIL',
        ...(open.length ? { severity: 'high' as const } : {}),
        message: open.length
          ? `enable_control_api true and $CONTROL/broker/v1 is reachable without restriction on ${open.map((l) => mosquittoListenerName(l)).join('; ')}`
          : 'enable_control_api true: $CONTROL/broker/v1 answers whoever the access control lets publish to $CONTROL/broker/#',
        location: at(d!),
        evidence: { unrestrictedListeners: open.map((l) => l.port) },
      });
    }
    return failuresOr(fails, 'the control API ($CONTROL/broker/v1) is off');
  },
});
