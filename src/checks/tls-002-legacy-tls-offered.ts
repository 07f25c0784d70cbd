import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-002',
    name: 'legacy-tls-offered',
    title: 'TLS 1.0 or 1.1 offered',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.protocols'],
    description:
      'Attempts one handshake limited to TLS 1.0 and one limited to TLS 1.1, offering every cipher the local OpenSSL has at `@SECLEVEL=0` (a default client would refuse these versions itself and prove nothing). Both versions are deprecated (RFC 8996): SHA-1/MD5 handshake signatures, CBC-only cipher suites, no AEAD. A version that could not be probed makes the check SKIP, a probe broken by the peer makes it ERROR.',
    remediation:
      'Offer TLS 1.2 and 1.3 only. Mosquitto 2.0: `tls_version tlsv1.2` on every TLS listener (in 2.0 it is the minimum version; 1.3 stays available). EMQX: `listeners.ssl.default.ssl_options.versions = ["tlsv1.3", "tlsv1.2"]` (and `listeners.wss.default.ssl_options.versions`). Check old devices first: clients that only speak TLS 1.0 must be upgraded, not accommodated.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc8996'],
  },
  judge({ 'tls.protocols': p }) {
    const legacy = p.probes.filter((x) => x.version === 'TLSv1' || x.version === 'TLSv1.1');
    const offered = legacy.filter((x) => x.state === 'offered');
    const evidence = Object.fromEntries(legacy.map((x) => [x.version, x.state]));
    if (offered.length) {
      return { status: 'FAIL', message: `the server accepts ${offered.map((x) => `${x.version} (${x.cipher ?? '?'})`).join(' and ')}`, evidence };
    }
    const broken = legacy.find((x) => x.state === 'error');
    if (broken) return { status: 'ERROR', message: `${broken.version} probe broke: ${broken.detail}`, evidence };
    const unprobed = legacy.filter((x) => x.state === 'unprobeable');
    if (unprobed.length) return { status: 'SKIP', message: unprobed.map((x) => `${x.version}: ${x.detail}`).join('; '), evidence };
    return { status: 'PASS', message: 'TLS 1.0 and TLS 1.1 refused', evidence };
  },
});
