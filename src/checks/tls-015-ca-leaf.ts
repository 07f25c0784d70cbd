import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-015',
    name: 'ca-leaf',
    title: 'Server certificate is a CA certificate (CA:TRUE)',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'A server certificate with basicConstraints CA:TRUE can sign other certificates: whoever steals the broker key (it sits on the broker, often in a container image) can mint certificates for any name the trusting clients accept. Typical for "quick" setups that serve the CA certificate itself.',
    remediation:
      'Issue a proper leaf (`basicConstraints = critical, CA:FALSE`, `extendedKeyUsage = serverAuth`) from the CA and keep the CA key off the broker. Mosquitto: `certfile`/`keyfile` = that leaf; EMQX: `listeners.ssl.default.ssl_options.certfile`/`keyfile`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc5280#section-4.2.1.9'],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    if (leaf.isCA) return { status: 'FAIL', message: `the server certificate ${certName(leaf)} has CA:TRUE${leaf.selfSigned ? ' (a self-signed CA served as leaf)' : ''}`, evidence: { subject: leaf.subject } };
    return { status: 'PASS', message: `the server certificate ${certName(leaf)} is not a CA`, evidence: { subject: leaf.subject } };
  },
});
