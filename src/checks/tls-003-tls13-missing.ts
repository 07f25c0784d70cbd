import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-003',
    name: 'tls13-missing',
    title: 'TLS 1.3 not offered',
    strategy: 'tls',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.protocols'],
    description:
      'Attempts a handshake limited to TLS 1.3. Without it clients fall back to TLS 1.2, whose security depends on the cipher configuration (no forward secrecy or CBC suites remain possible), and the handshake costs an extra round trip. Also reports when neither TLS 1.2 nor 1.3 is offered.',
    remediation:
      'Enable TLS 1.3. Mosquitto 2.0 with OpenSSL ≥ 1.1.1 offers it unless `tls_version` pins an older maximum; `ciphers_tls1.3` must not be empty. EMQX: include `"tlsv1.3"` in `listeners.ssl.default.ssl_options.versions` (EMQX 5 does by default).',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc8446'],
  },
  judge({ 'tls.protocols': p }) {
    const v13 = p.probes.find((x) => x.version === 'TLSv1.3');
    const v12 = p.probes.find((x) => x.version === 'TLSv1.2');
    const evidence = { 'TLSv1.2': v12?.state, 'TLSv1.3': v13?.state };
    if (!v13) return { status: 'SKIP', message: 'TLS 1.3 was not probed' };
    if (v13.state === 'offered') return { status: 'PASS', message: `TLS 1.3 offered (${v13.cipher ?? '?'})`, evidence };
    if (v13.state === 'error') return { status: 'ERROR', message: `TLS 1.3 probe broke: ${v13.detail}`, evidence };
    if (v13.state === 'unprobeable') return { status: 'SKIP', message: v13.detail, evidence };
    if (v12?.state !== 'offered') return { status: 'FAIL', severity: 'high', message: 'neither TLS 1.3 nor TLS 1.2 is offered', evidence };
    return { status: 'FAIL', message: 'TLS 1.3 is not offered (TLS 1.2 is)', evidence };
  },
});
