import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { anonymousAllowed, intArg } from '../config/mosquitto.js';
import { at, failuresOr, mosquittoAuthorizes, mosquittoListenerName, mosquittoMqttListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-032',
    name: 'mosquitto-sys-topics',
    title: 'Mosquitto $SYS topics published to unrestricted clients',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'With `sys_interval` above 0 (default 10 s) Mosquitto publishes `$SYS/broker/...`: its exact version (which tells an attacker which CVEs apply), client counts and traffic. Reported when a network listener lets clients read them without restriction: anonymous access, or no acl_file/plugin.',
    remediation: 'Set `sys_interval 0` if nobody monitors `$SYS`, or restrict it with the ACL (no `$SYS/#` read for ordinary users; a monitoring user gets `topic read $SYS/#`).',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://mosquitto.org/man/mosquitto-8.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const d = cfg.global.sys_interval;
      if (d && intArg(d) === 0) continue;
      const open = mosquittoMqttListeners([cfg])
        .map((x) => x.l)
        .filter((l) => mosquittoNetworkListener(l) && (anonymousAllowed(cfg, l).allowed || !mosquittoAuthorizes(l)));
      if (!open.length) continue;
      fails.push({
        status: 'FAIL',
        message: `$SYS topics are published every ${d ? intArg(d) : 10} s${d ? '' : ' (default)'} and readable without restriction on ${open.map((l) => mosquittoListenerName(l)).join('; ')}`,
        location: at(d ?? open[0]!.location),
      });
    }
    return failuresOr(fails, '$SYS is disabled or only reachable through access control');
  },
});
