import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-014',
    name: 'missing-intermediate',
    title: 'Incomplete certificate chain (intermediate not served)',
    strategy: 'tls',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'Follows the chain as served (read from a handshake with an empty trust store, so nothing is completed): a served certificate whose issuer is not a self-signed root and is neither served nor (only) found in the trust anchors means the server omits an intermediate. Clients that hold only the root cannot verify it; it works only where someone installed the intermediate by hand.',
    remediation:
      'Serve the leaf followed by every intermediate up to (not including) the root. Mosquitto: put them into `certfile` in that order (`cat leaf.crt intermediate.crt > chain.crt`). EMQX: the same bundle as `listeners.ssl.default.ssl_options.certfile` (or the intermediates in `cacertfile`).',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF],
  },
  judge({ 'tls.certificate': c }) {
    const leaf = c.chain[0];
    if (!leaf) return { status: 'ERROR', message: 'the server sent no certificate' };
    if (leaf.selfSigned) return { status: 'SKIP', message: 'the leaf is self-signed: there is no chain to complete (see TLS-013)' };
    const evidence = { chain: c.chain.map((x) => `${certName(x)} (${x.source}${x.selfSigned ? ', self-signed' : ''})`) };
    // The first non-root certificate taken from the store, or a chain ending in a certificate that is not a root.
    const fromStore = c.chain.find((x, i) => i > 0 && x.source === 'trust-store' && !x.selfSigned);
    if (fromStore) return { status: 'FAIL', message: `the intermediate ${certName(fromStore)} is not served; it was found only in the local trust anchors`, evidence };
    const last = c.chain[c.chain.length - 1]!;
    if (!last.selfSigned) {
      return last.isCA || c.chain.length > 1
        ? { status: 'FAIL', message: `the chain ends at ${certName(last)}, whose issuer ${last.issuer} is neither served nor a known root`, evidence }
        : c.trust.error === 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' || c.trust.error === 'UNABLE_TO_VERIFY_LEAF_SIGNATURE'
          ? { status: 'FAIL', message: `only ${certName(last)} is served and its issuer ${last.issuer} is unknown: an intermediate is missing (or the root is not trusted here: give --ca)`, evidence }
          : { status: 'SKIP', message: `the chain ends at ${certName(last)}; cannot tell a missing intermediate from an unknown root`, evidence };
    }
    return { status: 'PASS', message: `the served chain reaches ${certName(last)}`, evidence };
  },
});
