import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoListeners, NO_MOSQUITTO_CONFIG, TLS_ORDER } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-030',
    name: 'mosquitto-tls-version',
    title: 'Mosquitto TLS listener allows a TLS version below the policy',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto', 'policy'],
    description:
      '`tls_version` is the minimum version a Mosquitto 2.0 TLS listener accepts; unset means TLS 1.2 and 1.3. `tlsv1` and `tlsv1.1` are deprecated (RFC 8996). The minimum comes from the policy (`tls.minVersion`, default tlsv1.2).',
    remediation: 'Set `tls_version tlsv1.2` (or `tlsv1.3` when every client supports it) on each TLS listener.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://www.rfc-editor.org/rfc/rfc8996'],
  },
  judge({ 'config.mosquitto': m, policy }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const min = TLS_ORDER.indexOf(policy.tls.minVersion);
    const fails: Verdict[] = [];
    let tls = 0;
    for (const { l } of mosquittoListeners(m.configs)) {
      if (!l.tls) continue;
      tls++;
      const d = l.settings.tls_version;
      const v = d?.args[0] ?? 'tlsv1.2';
      const rank = TLS_ORDER.indexOf(v);
      if (rank < 0) fails.push({ status: 'FAIL', severity: 'low', message: `${mosquittoListenerName(l)}: unknown tls_version "${v}"`, location: listenerLoc(l, d) });
      else if (rank < min) {
        fails.push({
          status: 'FAIL',
          ...(rank >= TLS_ORDER.indexOf('tlsv1.2') ? { severity: 'low' as const } : {}),
          message: `${mosquittoListenerName(l)} accepts ${v}${d ? '' : ' (default minimum)'}, below the policy minimum ${policy.tls.minVersion}`,
          location: listenerLoc(l, d),
        });
      }
    }
    if (!tls) return { status: 'PASS', message: 'no TLS listener' };
    return failuresOr(fails, `every TLS listener requires at least ${policy.tls.minVersion}`);
  },
});
