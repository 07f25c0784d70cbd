import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-007',
    name: 'certificate-untrusted',
    title: 'Certificate chain does not validate',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'OpenSSL verifies the served chain against the system trust store (the distribution\'s CA bundle and Node\'s bundled Mozilla roots) plus `--ca FILE` (validity dates, signatures, CA flags, path length); the host name is judged separately (TLS-008). A chain clients cannot verify trains them to disable verification, which makes TLS worthless against an active attacker. The evidence carries OpenSSL\'s verification error (e.g. UNABLE_TO_GET_ISSUER_CERT_LOCALLY, DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED).',
    remediation:
      'Serve a certificate issued by a CA the clients trust, with the full chain. Mosquitto: `certfile` holds the leaf followed by the intermediates, `keyfile` its key (and `cafile`/`capath` only for client certificates). EMQX: `listeners.ssl.default.ssl_options.certfile` (leaf + intermediates) and `keyfile`; `cacertfile` for the CA bundle. For a private CA give clients its root (`--ca` here) instead of disabling verification.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    const evidence = { anchors: c.trust.anchors, error: c.trust.error, chain: c.chain.map((x) => `${certName(x)} (${x.source})`) };
    if (c.trust.verified) return { status: 'PASS', message: `the chain of ${certName(leaf)} validates against the ${c.trust.anchors}`, evidence };
    return { status: 'FAIL', message: `the chain of ${certName(leaf)} does not validate against the ${c.trust.anchors}: ${c.trust.error ?? 'unknown error'}`, evidence };
  },
});
