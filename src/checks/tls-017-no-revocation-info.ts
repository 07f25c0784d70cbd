import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-017',
    name: 'no-revocation-info',
    title: 'No revocation information (no CRL distribution point, OCSP responder or stapling)',
    strategy: 'tls',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.revocation'],
    description:
      'A leaf that names neither a CRL distribution point nor an OCSP responder, served without a stapled OCSP response, cannot be revoked in any way clients could notice: a stolen broker key stays usable until the certificate expires. The evidence shows the URLs found and whether the server staples.',
    remediation:
      'Issue certificates with `crlDistributionPoints = URI:http://pki.example/ca.crl` and/or `authorityInfoAccess = OCSP;URI:http://ocsp.example` and publish the CRL/OCSP. EMQX can staple OCSP: `listeners.ssl.default.ssl_options.ocsp.enable_ocsp_stapling = true` with `ocsp.responder_url` and `ocsp.issuer_pem`. Mosquitto has no stapling; for device certificates it checks a CRL with `crlfile` (EMQX: `enable_crl_check = true`). Short-lived certificates are the alternative.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc6066#section-8'],
  },
  judge({ 'tls.revocation': r }) {
    const evidence = { crlDistributionPoints: r.crlUrls, ocspResponders: r.ocspUrls, stapled: r.stapled };
    if (r.crlUrls.length || r.ocspUrls.length || r.stapled) {
      const what = [r.crlUrls.length ? `CRL ${r.crlUrls[0]}` : '', r.ocspUrls.length ? `OCSP ${r.ocspUrls[0]}` : '', r.stapled ? 'stapled OCSP' : ''].filter(Boolean);
      return { status: 'PASS', message: `revocation information: ${what.join(', ')}`, evidence };
    }
    return { status: 'FAIL', message: 'the certificate names no CRL distribution point and no OCSP responder, and the server staples no OCSP response', evidence };
  },
});
