import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { failuresOr, listenerLoc, mosquittoListenerName, mosquittoMqttListeners, NO_MOSQUITTO_CONFIG } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'ACC-035',
    name: 'mosquitto-identity-as-username',
    title: 'Certificate identity used as username without requiring certificates',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto'],
    description:
      '`use_identity_as_username` / `use_subject_as_username` make the client certificate the identity that ACLs see. They are only sound on a TLS listener with `require_certificate true` and a CA to verify against (`cafile`/`capath`); otherwise the identity is unverified or missing, or the option is ignored on a plaintext listener (and no password is checked either: the password file is not consulted for such listeners).',
    remediation: 'On the listener: `certfile`/`keyfile`, `cafile` (the CA that signs client certificates), `require_certificate true`, and then `use_identity_as_username true`; add `crlfile` to revoke certificates.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'config.mosquitto': m }) {
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    let used = 0;
    for (const { l } of mosquittoMqttListeners(m.configs)) {
      const d = flag(l.settings.use_identity_as_username) ? l.settings.use_identity_as_username : flag(l.settings.use_subject_as_username) ? l.settings.use_subject_as_username : undefined;
      if (!d) continue;
      used++;
      const problems = [
        ...(!l.tls ? ['the listener has no TLS'] : []),
        ...(l.tls && flag(l.settings.require_certificate) !== true ? ['require_certificate is not true'] : []),
        ...(l.tls && !l.settings.cafile && !l.settings.capath ? ['no cafile/capath to verify client certificates'] : []),
      ];
      if (problems.length) fails.push({ status: 'FAIL', message: `${d.key} on ${mosquittoListenerName(l)}, but ${problems.join(', ')}`, location: listenerLoc(l, d) });
    }
    return failuresOr(fails, used ? 'certificate identities are only used with required, verified client certificates' : 'no listener uses the certificate identity as username');
  },
});
