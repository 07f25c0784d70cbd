import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-019',
    name: 'client-certificate-not-required',
    title: 'Mutual TLS not enforced (no client certificate demanded)',
    strategy: 'tls',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.clientAuth'],
    description:
      'Connects without a client certificate and speaks MQTT on that connection: an endpoint that demands a certificate refuses the handshake (TLS 1.2: an alert during it) or ends the connection at the first read (TLS 1.3 checks the client certificate after the client finished its handshake, so the refusal arrives as an alert instead of the CONNACK). Mutual TLS keeps unauthenticated clients out before any MQTT parsing; where password authentication is used instead this is a low finding.',
    remediation:
      'Demand client certificates where devices can hold them. Mosquitto: `require_certificate true` with `cafile` (the device CA) and, to map certificates to users, `use_identity_as_username true`; add `crlfile` for revocation. EMQX: `listeners.ssl.default.ssl_options.verify = verify_peer` and `fail_if_no_peer_cert = true`, `cacertfile` = the device CA, `enable_crl_check = true`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.clientAuth': a }) {
    const w = a.withoutCertificate;
    const evidence = { outcome: w.outcome, detail: w.detail, protocol: w.protocol };
    if (w.outcome === 'refused-handshake' || w.outcome === 'refused-after-handshake') {
      return { status: 'PASS', message: `a client certificate is demanded: ${w.outcome === 'refused-handshake' ? 'the handshake without one was refused' : `the server ended the ${w.protocol ?? 'TLS'} connection without one at the first read`}`, evidence };
    }
    if (w.outcome === 'accepted') return { status: 'FAIL', message: `a client without certificate completed the handshake and got a CONNACK (${w.connack?.codeName ?? '?'})`, evidence };
    return { status: 'SKIP', message: `inconclusive: the handshake held but MQTT got no answer (${w.detail})`, evidence };
  },
});
