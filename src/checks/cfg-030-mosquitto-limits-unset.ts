import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { intArg, MOSQUITTO_DEFAULTS, mosquittoSeries } from '../config/mosquitto.js';
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
      'Mosquitto 2.0 has no packet size limit by default (`max_packet_size` unset = packets up to 256 MB); 2.1 limits packets to 2,000,000 bytes by default, so an unset `max_packet_size` is reported for 2.0 (`lint --mosquitto-version 2.0`, or the installed package in an audit) and, with the version unknown, stated for both (low). `max_packet_size 0` is reported on every version. Mosquitto has no connection limit per listener (`max_connections -1`), and accepts any keepalive (up to 65535 s, which keeps dead sessions and their resources for 18 hours; `max_keepalive` caps it, the fix for CVE-2020-13849 — mosquitto 2.0.11 already accepts it). One finding per missing limit.',
    remediation: 'Set `max_packet_size` (e.g. 1048576), `max_connections` on each network listener, and `max_keepalive` (e.g. 300; Mosquitto 1.x does not know it: upgrade first).',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://nvd.nist.gov/vuln/detail/CVE-2020-13849'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const top = { file: cfg.file, line: 1, column: 1 };
      const pkt = cfg.global.max_packet_size;
      const series = mosquittoSeries(m.target?.version);
      if (pkt && (intArg(pkt) ?? 0) <= 0) fails.push({ status: 'FAIL', message: 'max_packet_size is 0 (unlimited)', location: at(pkt) });
      else if (!pkt && series === '2.0') fails.push({ status: 'FAIL', message: `max_packet_size unset: Mosquitto ${m.target!.version} accepts packets up to 256 MB`, location: at(top) });
      else if (!pkt && !series) {
        fails.push({
          status: 'FAIL',
          message: `max_packet_size unset: Mosquitto 2.0 accepts packets up to 256 MB, 2.1 limits them to ${MOSQUITTO_DEFAULTS['2.1'].maxPacketSizeText} (version unknown: lint with --mosquitto-version X.Y)`,
          location: at(top),
          evidence: { defaults: { '2.0': MOSQUITTO_DEFAULTS['2.0'].maxPacketSizeText, '2.1': MOSQUITTO_DEFAULTS['2.1'].maxPacketSizeText } },
        });
      }
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
