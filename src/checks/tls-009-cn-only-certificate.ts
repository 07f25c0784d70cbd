import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName, hostMatch } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-009',
    name: 'cn-only-certificate',
    title: 'Certificate names the host only in the CN',
    strategy: 'tls',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'A leaf without subjectAltName relies on the deprecated CN fallback (RFC 6125, CA/Browser Forum): modern clients (Go, browsers, OpenSSL with X509_CHECK_FLAG_NEVER_CHECK_SUBJECT, Node for IP addresses) refuse it, so the first client upgrade breaks the fleet or gets verification disabled.',
    remediation:
      'Reissue the certificate with `subjectAltName = DNS:<broker name>` (and `IP:<address>` if clients connect by address), then install it: Mosquitto `certfile`, EMQX `listeners.ssl.default.ssl_options.certfile`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc6125#section-6.4.4'],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    const evidence = { host: c.host, cn: leaf.cn, sanDns: leaf.san.dns, sanIp: leaf.san.ip };
    if (hostMatch(leaf, c.host) === 'cn') return { status: 'FAIL', message: `${certName(leaf)} names ${c.host} only in its CN, without subjectAltName`, evidence };
    if (!leaf.san.dns.length && !leaf.san.ip.length) return { status: 'FAIL', message: `${certName(leaf)} has no subjectAltName at all`, evidence };
    return { status: 'PASS', message: `${certName(leaf)} has a subjectAltName (${[...leaf.san.dns, ...leaf.san.ip].slice(0, 4).join(', ')})`, evidence };
  },
});
