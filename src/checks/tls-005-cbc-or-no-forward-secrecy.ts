import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-005',
    name: 'cbc-or-no-forward-secrecy',
    title: 'Suites without forward secrecy or CBC with SHA-1 accepted',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.ciphers'],
    description:
      'From the enumerated suites: static RSA (or static DH/ECDH, PSK) key exchange gives no forward secrecy, so a stolen server key decrypts every recorded session (medium); CBC suites with a SHA-1 MAC are the Lucky13/POODLE-TLS family (low). TLS 1.3 suites are always forward secret and AEAD.',
    remediation:
      'Offer only ECDHE (or DHE) key exchange with AEAD ciphers. Mosquitto: `ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305` per TLS listener. EMQX: the same list in `listeners.ssl.default.ssl_options.ciphers`; keep `ssl_options.honor_cipher_order = true`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc7525'],
  },
  judge({ 'tls.ciphers': c }) {
    if (!c.versions.length) return { status: 'SKIP', message: 'no protocol version was offered, so no suite was enumerated' };
    const all = c.versions.flatMap((v) => v.accepted.map((s) => ({ ...s, version: v.version })));
    const noFs = [...new Set(all.filter((s) => s.weaknesses.includes('no-forward-secrecy')).map((s) => s.name))];
    const cbc = [...new Set(all.filter((s) => s.weaknesses.includes('cbc-sha1')).map((s) => s.name))];
    const evidence = { noForwardSecrecy: noFs, cbcSha1: cbc };
    if (noFs.length) return { status: 'FAIL', message: `${noFs.length} suite(s) without forward secrecy: ${noFs.slice(0, 5).join(', ')}${cbc.length ? `; ${cbc.length} CBC/SHA-1 suite(s)` : ''}`, evidence };
    if (cbc.length) return { status: 'FAIL', severity: 'low', message: `${cbc.length} CBC suite(s) with SHA-1 MAC: ${cbc.slice(0, 5).join(', ')}`, evidence };
    // A version whose suites were not all enumerated may hold the suite that would fail: no PASS on part of the list.
    const incomplete = c.versions.find((v) => v.incomplete);
    if (incomplete) return { status: 'SKIP', message: `the enumeration of ${incomplete.version} is incomplete: ${incomplete.incomplete}`, evidence };
    return { status: 'PASS', message: `all ${all.length} accepted suites are forward secret and none is CBC with SHA-1`, evidence };
  },
});
