import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-016',
    name: 'certificate-revoked',
    title: 'Served certificate is revoked',
    strategy: 'tls',
    severity: 'critical',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.revocation'],
    description:
      'Looks up the served certificates in every revocation source available: local CRL files (`--crl FILE`, always; signature verified against the issuer from the chain or `--ca`), a stapled OCSP response, and with `--revocation-online` the CRL distribution points and OCSP responders the leaf names (bounded in time and size; this contacts third parties). Only sources with a valid signature count; a CRL past its nextUpdate still proves a revocation but not its absence. Without any usable source the check says SKIP.',
    remediation:
      'Replace the revoked certificate and key at once (a revoked key is presumed compromised): new key, new certificate, install as Mosquitto `certfile`/`keyfile` or EMQX `listeners.ssl.default.ssl_options.certfile`/`keyfile`. Also make the broker check client certificates against the CRL: Mosquitto `crlfile`, EMQX `ssl_options.enable_crl_check = true` (with `crl_cache`), and OCSP stapling in EMQX with `ssl_options.ocsp.enable_ocsp_stapling = true`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc5280#section-5', 'https://www.rfc-editor.org/rfc/rfc6960'],
  },
  judge({ 'tls.revocation': r }) {
    const evidence = { sources: r.sources.map((s) => `${s.kind} ${s.where}: ${s.status} (${s.certificate})${s.revokedAt ? ` revoked ${s.revokedAt}${s.reason ? ` ${s.reason}` : ''}` : ''}`), online: r.online };
    const revoked = r.sources.filter((s) => s.status === 'revoked');
    if (revoked.length) {
      const s = revoked[0]!;
      return { status: 'FAIL', message: `${s.certificate} is revoked according to ${s.kind} ${s.where}${s.reason ? ` (${s.reason})` : ''}${s.revokedAt ? ` since ${s.revokedAt}` : ''}`, evidence };
    }
    const current = (s: (typeof r.sources)[number]) => !s.nextUpdate || Date.parse(s.nextUpdate) >= Date.parse(r.now);
    const good = r.sources.filter((s) => s.status === 'good' && current(s));
    if (good.length) return { status: 'PASS', message: `not revoked according to ${good.map((s) => `${s.kind} ${s.where}`).join(', ')}`, evidence };
    if (!r.sources.length) {
      const how = r.online ? 'the certificate names no reachable CRL or OCSP source and no --crl was given' : 'no --crl file, no stapled OCSP response (add --revocation-online to ask the CRL/OCSP URLs of the certificate)';
      return { status: 'SKIP', message: `revocation not checked: ${how}`, evidence };
    }
    return { status: 'SKIP', message: `no usable revocation source: ${r.sources.map((s) => `${s.kind} ${s.where}: ${s.status === 'good' ? 'past its nextUpdate' : s.detail}`).join('; ')}`, evidence };
  },
});
