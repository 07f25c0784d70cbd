import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-006',
    name: 'server-cipher-order',
    title: 'Server does not enforce its cipher preference',
    strategy: 'tls',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.ciphers'],
    description:
      'For every TLS 1.2-or-older version with at least two accepted suites, offers the server\'s first choice (its pick when offered everything) after another accepted suite: a server that still picks its first choice enforces its order; one that takes the client\'s first lets clients steer it to its weakest suite. The evidence lists the accepted suites with the server\'s first choice first, then family by family of key exchange (the families are enumerated side by side), each in the order the server chose within it. TLS 1.3 is shown but not judged (all its suites are strong).',
    remediation:
      'Make the server choose. Mosquitto (OpenSSL) prefers the server order by default; if a proxy terminates TLS set `ssl_prefer_server_ciphers on` (nginx) or `prefer-client-ciphers` off (HAProxy). EMQX: `listeners.ssl.default.ssl_options.honor_cipher_order = true`, with the `ciphers` list strongest first.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.ciphers': c }) {
    const order = Object.fromEntries(c.versions.map((v) => [v.version, v.accepted.map((s) => s.name)]));
    const judged = c.versions.filter((v) => v.version !== 'TLSv1.3' && v.serverOrder !== null);
    const evidence = { preference: order, serverOrder: Object.fromEntries(c.versions.map((v) => [v.version, v.serverOrder])) };
    if (!judged.length) return { status: 'SKIP', message: 'no TLS 1.2-or-older version with two or more suites: nothing to order', evidence };
    const client = judged.filter((v) => v.serverOrder === false);
    if (client.length) return { status: 'FAIL', message: `the client chooses the suite for ${client.map((v) => v.version).join(', ')}`, evidence };
    return { status: 'PASS', message: `the server enforces its cipher order (${judged.map((v) => `${v.version}: ${v.accepted[0]!.name} first`).join('; ')})`, evidence };
  },
});
