import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, emqxUnverifiedListeners, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-041',
    name: 'emqx-verify-none',
    title: 'EMQX takes client identity from certificates it does not verify',
    strategy: 'tls',
    severity: 'critical',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'ssl/wss listeners default to `ssl_options.verify = verify_none`: client certificates are not checked. That is a finding when the listener is meant for device authentication: `mqtt.peer_cert_as_username`/`peer_cert_as_clientid` take the identity from the (unverified, self-signed is fine) certificate, or the listener relies on TLS alone (no authenticator outside the hardened security profile, or `enable_authn = false`).',
    remediation: 'Set `ssl_options { verify = verify_peer, fail_if_no_peer_cert = true, cacertfile = "…/device-ca.pem" }` on the listener.',
    references: ['https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        // Without an authenticator ACC-051 is the root cause: medium here; critical when the certificate is the identity.
        for (const { l, v, why, certIdentity } of emqxUnverifiedListeners(cfg, ['ssl', 'wss'])) {
          fails.push({ status: 'FAIL', ...(certIdentity ? {} : { severity: 'medium' as const }), message: `${l.path}: verify = verify_none${v.default ? ' (default)' : ''} while ${why.join(' and ')}`, location: at(v.location ?? l.location ?? cfg.anchor) });
        }
        return fails;
      },
      'no listener takes identities from unverified certificates',
    );
  },
});
