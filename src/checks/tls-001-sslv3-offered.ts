import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-001',
    name: 'sslv3-offered',
    title: 'SSLv3 offered',
    strategy: 'tls',
    severity: 'critical',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.protocols'],
    description:
      'Sends an SSLv3 ClientHello of its own (SSLv3: POODLE, no AEAD, MD5/SHA-1 PRF), since OpenSSL 3 builds, and with them Node 20, can no longer send one, and reads the answer up to the ServerHello: an SSLv3 ServerHello is FAIL, an alert, a close or another version PASS. The hello offers the SSLv3 suites of the cipher table (those the local OpenSSL knows: AES, Camellia, NULL, DHE and anonymous DH, no RC4, 3DES or export suites), so a server that would take SSLv3 only with RC4, 3DES or export suites answers like one without SSLv3; the message says so. A peer that answers with garbage or not at all makes it ERROR.',
    remediation:
      'Disable SSLv3. Mosquitto 2.x cannot enable it (set `tls_version tlsv1.2` or `tlsv1.3` explicitly on every TLS listener anyway). EMQX: `listeners.ssl.default.ssl_options.versions = ["tlsv1.3", "tlsv1.2"]` (same for `listeners.wss`). A proxy terminating TLS (HAProxy, nginx) needs `ssl_protocols TLSv1.2 TLSv1.3` or `ssl-min-ver TLSv1.2`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc7568'],
  },
  judge({ 'tls.protocols': p }) {
    const probe = p.probes.find((x) => x.version === 'SSLv3');
    if (!probe || probe.state === 'unprobeable') return { status: 'SKIP', message: probe?.detail ?? 'SSLv3 was not probed', evidence: { openssl: p.openssl } };
    if (probe.state === 'error') return { status: 'ERROR', message: `SSLv3 probe broke: ${probe.detail}` };
    if (probe.state === 'offered') return { status: 'FAIL', message: `the server accepts SSLv3 (${probe.cipher ?? 'unknown cipher'})`, evidence: { version: 'SSLv3', cipher: probe.cipher, detail: probe.detail } };
    return { status: 'PASS', message: `SSLv3 refused: ${probe.detail}`, evidence: { detail: probe.detail } };
  },
});
