import { defineCheck, untested } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-020',
    name: 'client-certificate-refused',
    title: 'Valid client certificate refused',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.clientAuth'],
    description:
      'With `--cert/--key`, connects presenting that client certificate and sends CONNECT (with `--username` if given): the handshake must hold and MQTT must answer. A refusal means the broker does not trust the device CA (wrong `cafile`), has revoked the certificate, or demands another key usage; devices with such certificates are locked out. SKIP without `--cert/--key`.',
    remediation:
      'Make the broker trust the CA that issues client certificates. Mosquitto: `cafile` (or `capath`) = the client CA, `require_certificate true`, and check `crlfile` is current. EMQX: `listeners.ssl.default.ssl_options.cacertfile` = the client CA, `verify = verify_peer`, `depth` large enough for the chain.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.clientAuth': a }) {
    const c = a.withCertificate;
    if (!c.tested) return untested(c);
    const evidence = { certificate: c.certificate, outcome: c.outcome, detail: c.detail, connack: c.connack?.codeName };
    if (c.outcome === 'accepted') return { status: 'PASS', message: `the client certificate ${c.certificate} was accepted (TLS held, CONNACK ${c.connack?.codeName ?? '?'})`, evidence };
    if (c.outcome === 'no-connack') return { status: 'SKIP', message: `inconclusive: TLS held with ${c.certificate} but MQTT got no answer (${c.detail})`, evidence };
    return { status: 'FAIL', message: `the client certificate ${c.certificate} was refused: ${c.detail.split('\n')[0]}`, evidence };
  },
});
