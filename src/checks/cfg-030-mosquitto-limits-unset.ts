import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { intArg } from '../config/mosquitto.js';
import { at, failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, mosquittoNetworkListener, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'CFG-030',
    name: 'mosquitto-limits-unset',
    title: 'Mosquitto resource limits unset (packet size, connections, keepalive)',
    strategy: 'awareness',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      'Mosquitto has no packet size limit by default (`max_packet_size` 0 = up to 256 MB), no connection limit per listener (`max_connections -1`), and accepts any keepalive (up to 65535 s, which keeps dead sessions and their resources for 18 hours; `max_keepalive` caps it, the fix for CVE-2020-13849 — mosquitto 2.0.11 already accepts it). One finding per missing limit.',
    remediation: 'Set `max_packet_size` (e.g. 1048576), `max_connections` on each network listener, and `max_keepalive` (e.g. 300; Mosquitto 1.x does not know it: upgrade first).',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://nvd.nist.gov/vuln/detail/CVE-2020-13849'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const top = { file: cfg.file, line: 1, column: 1 };
      const pkt = cfg.global.max_packet_size;
      if (!pkt || (intArg(pkt) ?? 0) <= 0) fails.push({ status: 'FAIL', message: `max_packet_size ${pkt ? 'is 0 (unlimited)' : 'unset: packets up to 256 MB are accepted'}`, location: at(pkt ?? top) });
      const ka = cfg.global.max_keepalive;
      if (!ka || (intArg(ka) ?? 0) <= 0 || (intArg(ka) ?? 0) > 65535) fails.push({ status: 'FAIL', message: `max_keepalive ${ka ? `is ${ka.args[0]}` : 'unset: clients may ask for a keepalive of up to 65535 s'}`, location: at(ka ?? top) });
      for (const { l } of mosquittoListeners([cfg])) {
        if (!mosquittoNetworkListener(l)) continue;
        const mc = l.settings.max_connections;
        if (!mc || (intArg(mc) ?? -1) < 0) fails.push({ status: 'FAIL', message: `${mosquittoListenerName(l)}: max_connections ${mc ? 'is -1 (unlimited)' : 'unset (unlimited)'}`, location: listenerLoc(l, mc) });
      }
    }
    return failuresOr(fails, 'packet size, keepalive and per-listener connection limits are set');
  },
});
