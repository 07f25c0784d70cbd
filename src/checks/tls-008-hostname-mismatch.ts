import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName, hostMatch } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-008',
    name: 'hostname-mismatch',
    title: 'Certificate does not name the host',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'Matches the host name or IP address of the target against the leaf\'s subjectAltName (DNS entries with RFC 6125 wildcards, IP entries exactly); when the leaf has no SAN of that kind, against the subject CN as legacy clients do (that fallback is reported by TLS-009). A certificate for another name is either the wrong certificate or an interception.',
    remediation:
      'Issue the broker certificate with a subjectAltName for every name and address clients use (e.g. `subjectAltName = DNS:broker.example.com, IP:192.0.2.10`) and install it: Mosquitto `certfile`/`keyfile`, EMQX `listeners.ssl.default.ssl_options.certfile`/`keyfile`. Audit by the name clients use, not by an address the certificate does not cover.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://www.rfc-editor.org/rfc/rfc6125'],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    const m = hostMatch(leaf, c.host);
    const evidence = { host: c.host, sanDns: leaf.san.dns, sanIp: leaf.san.ip, cn: leaf.cn };
    if (m === 'san') return { status: 'PASS', message: `${c.host} is in the subjectAltName of ${certName(leaf)}`, evidence };
    if (m === 'cn') return { status: 'PASS', message: `${c.host} matches only the CN (no subjectAltName): see TLS-009`, evidence };
    return { status: 'FAIL', message: `${certName(leaf)} does not name ${c.host} (SAN: ${[...leaf.san.dns, ...leaf.san.ip].join(', ') || 'none'})`, evidence };
  },
});
