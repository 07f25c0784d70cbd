import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-010',
    name: 'tls-without-any-authentication',
    title: 'TLS endpoint accepts clients with neither password nor client certificate',
    strategy: 'access',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.clientAuth'],
    description:
      'On the connection used for the certificate check (no client certificate), sends a CONNECT without username and password. An accepted CONNACK means TLS here only encrypts: it authenticates nobody, so anyone who reaches the port is a client. Endpoints that demand a client certificate, or refuse the password-less CONNECT, pass.',
    remediation:
      'Authenticate every client on TLS listeners: by certificate (Mosquitto `require_certificate true` + `cafile`, optionally `use_identity_as_username true`; EMQX `ssl_options.verify = verify_peer` + `fail_if_no_peer_cert = true`) or by password (Mosquitto `allow_anonymous false` + `password_file`, per listener with `per_listener_settings true`; EMQX an `authentication` chain and `enable_authn = true` on the listener).',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html'],
  },
  judge({ 'tls.clientAuth': a }) {
    const w = a.withoutCertificate;
    const evidence = { outcome: w.outcome, connack: w.connack?.codeName, protocol: w.protocol };
    if (w.outcome === 'refused-handshake' || w.outcome === 'refused-after-handshake') return { status: 'PASS', message: 'a client certificate is demanded before any MQTT', evidence };
    if (w.outcome === 'no-connack') return { status: 'SKIP', message: `inconclusive: no CONNACK after the handshake (${w.detail})`, evidence };
    const c = w.connack!;
    if (c.accepted) return { status: 'FAIL', message: `a CONNECT with no password and no client certificate was accepted over ${w.protocol ?? 'TLS'}`, evidence };
    if (c.refusal === 'auth' || c.refusal === 'not-authorized') return { status: 'PASS', message: `the password-less CONNECT without certificate was refused (${c.codeName})`, evidence };
    return { status: 'SKIP', message: `inconclusive: the broker answered "${c.codeName}", which says nothing about authentication`, evidence };
  },
});
