import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-013',
    name: 'self-signed-leaf',
    title: 'Self-signed server certificate',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'A leaf whose subject equals its issuer and that verifies with its own key has no CA behind it: it cannot be revoked, clients must pin it one by one, and in practice they disable verification. A private CA (one root, clients trust it) gives the same independence without those problems.',
    remediation:
      'Create a small private CA (or use a public one), issue the broker certificate from it, give clients the CA certificate. Mosquitto: `certfile` = the CA-issued leaf + intermediates; EMQX: `listeners.ssl.default.ssl_options.certfile`. Clients use the CA as `cafile` (mosquitto_sub `--cafile`, EMQX `cacertfile`).',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    const evidence = { subject: leaf.subject, issuer: leaf.issuer };
    if (leaf.selfSigned) return { status: 'FAIL', message: `${certName(leaf)} is self-signed`, evidence };
    return { status: 'PASS', message: `${certName(leaf)} is issued by ${leaf.issuer}`, evidence };
  },
});
