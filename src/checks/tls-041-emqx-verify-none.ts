import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { emqxGet } from '../config/emqx.js';
import { at, emqxHardened, judgeEmqx } from './config-util.js';

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
        const certIdentity = ['mqtt.peer_cert_as_username', 'mqtt.peer_cert_as_clientid'].filter((p) => {
          const v = emqxGet(cfg, p)?.value;
          return v !== undefined && v !== 'disabled';
        });
        const authn = emqxGet(cfg, 'authentication')?.value;
        // Under the hardened profile an empty chain denies every client: TLS is not the only gate there.
        const noAuthn = (!Array.isArray(authn) || !authn.some((a) => (a as { enable?: unknown })?.enable !== false)) && !emqxHardened(cfg);
        for (const l of cfg.listeners) {
          if (!l.enabled || (l.type !== 'ssl' && l.type !== 'wss')) continue;
          const v = emqxGet(cfg, `${l.path}.ssl_options.verify`);
          if (v?.value !== 'verify_none') continue;
          const why = [...certIdentity.map((p) => `${p} is set`), ...(noAuthn || l.settings.enable_authn === false ? ['clients are not otherwise authenticated'] : [])];
          // Without an authenticator ACC-051 is the root cause: medium here; critical when the certificate is the identity.
          if (why.length) fails.push({ status: 'FAIL', ...(certIdentity.length ? {} : { severity: 'medium' as const }), message: `${l.path}: verify = verify_none${v.default ? ' (default)' : ''} while ${why.join(' and ')}`, location: at(v.location ?? l.location ?? cfg.anchor) });
        }
        return fails;
      },
      'no listener takes identities from unverified certificates',
    );
  },
});
