import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { at, emqxBindText, emqxUnverifiedListeners, judgeEmqx } from './config-util.js';

export default defineCheck({
  meta: {
    id: 'TLS-045',
    name: 'emqx-quic-verify-none',
    title: 'EMQX QUIC listener takes client identity from certificates it does not verify',
    strategy: 'tls',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['config.emqx'],
    description:
      'MQTT over QUIC (`listeners.quic.<name>`, UDP 14567 without `bind`) runs TLS 1.3 with `ssl_options.verify = verify_none` by default: client certificates are not checked. Like TLS-041 for ssl/wss, that is a finding where the certificate is meant to identify the client: `mqtt.peer_cert_as_username`/`peer_cert_as_clientid` take the identity from an unverified (self-signed is fine) certificate, or nothing else authenticates the client (no authenticator outside the hardened profile, or `enable_authn = false`).',
    remediation: 'Set `listeners.quic.<name>.ssl_options { verify = verify_peer, cacertfile = "…/device-ca.pem" }`, or authenticate QUIC clients with an authenticator and leave certificates out of the identity.',
    references: ['https://docs.emqx.com/en/emqx/latest/mqtt-over-quic/introduction.html', 'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'config.emqx': e }) {
    return judgeEmqx(
      e,
      (cfg) => {
        const fails: Verdict[] = [];
        for (const { l, v, why, certIdentity } of emqxUnverifiedListeners(cfg, ['quic'])) {
          fails.push({
            status: 'FAIL',
            ...(certIdentity ? { severity: 'critical' as const } : {}),
            message: `${l.path} (QUIC, UDP ${emqxBindText(l.bind)}): verify = verify_none${v.default ? ' (default)' : ''} while ${why.join(' and ')}`,
            location: at(v.location ?? l.location ?? cfg.anchor),
          });
        }
        return fails;
      },
      'no QUIC listener takes identities from unverified certificates',
    );
  },
});
