import { defineCheck } from '../core/check.js';
import type { CipherWeakness } from '../core/facts.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, TESTSSL_REF } from './tls-common.js';

const HIGH: CipherWeakness[] = ['null', 'anonymous', 'export', 'rc4', 'des', '3des', 'md5'];

export default defineCheck({
  meta: {
    id: 'TLS-004',
    name: 'weak-cipher-suites',
    title: 'Broken cipher suites accepted (NULL, anonymous, EXPORT, RC4, DES, 3DES, MD5)',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.ciphers'],
    description:
      'Enumerates the cipher suites of every offered protocol version by server-preferred elimination (offer all, note the choice, offer all but the chosen ones, ...) with a bounded number of concurrent probes (each a ClientHello of our own answered by the ServerHello of the server, offering the suites the local OpenSSL would offer; no handshake is completed), then flags suites without encryption (NULL), without authentication (anonymous DH/ECDH), EXPORT grade, RC4, single DES, 3DES (Sweet32) or MD5 MACs. Families the local OpenSSL can no longer offer (OpenSSL 3: EXPORT, usually RC4/DES/3DES without the legacy provider) are listed in the evidence and the message: their absence is not proven by a PASS.',
    remediation:
      'Restrict the suites to AEAD with forward secrecy. Mosquitto: `ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305` and `ciphers_tls1.3 TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256` on every TLS listener (never `@SECLEVEL=0`, never `aNULL`/`eNULL`). EMQX: `listeners.ssl.default.ssl_options.ciphers = ["TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "ECDHE-RSA-AES256-GCM-SHA384", "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-RSA-AES128-GCM-SHA256"]`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, TESTSSL_REF, 'https://sweet32.info/'],
  },
  judge({ 'tls.ciphers': c }) {
    const caveat = c.unprobeable.length ? ` (the local OpenSSL ${c.openssl} cannot offer ${c.unprobeable.join(', ')}: acceptance of those is not tested)` : '';
    if (!c.versions.length) return { status: 'SKIP', message: 'no protocol version was offered, so no suite was enumerated' };
    const bad = c.versions.flatMap((v) => v.accepted.filter((s) => s.weaknesses.some((w) => HIGH.includes(w))).map((s) => ({ version: v.version, name: s.name, weaknesses: s.weaknesses.filter((w) => HIGH.includes(w)) })));
    const evidence = { weak: bad, unprobeable: c.unprobeable, enumerated: c.versions.map((v) => `${v.version}: ${v.accepted.length} suites in ${v.handshakes} probes`) };
    if (bad.length) {
      const names = [...new Set(bad.map((b) => `${b.name} (${b.weaknesses.join('/')})`))];
      return { status: 'FAIL', message: `${names.length} broken suite(s) accepted: ${names.slice(0, 6).join(', ')}${names.length > 6 ? ', …' : ''}`, evidence };
    }
    const incomplete = c.versions.find((v) => v.incomplete);
    if (incomplete) return { status: 'SKIP', message: `the enumeration of ${incomplete.version} is incomplete: ${incomplete.incomplete}`, evidence };
    return { status: 'PASS', message: `no NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5 suite accepted${caveat}`, evidence };
  },
});
