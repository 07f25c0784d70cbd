import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-012',
    name: 'weak-signature',
    title: 'Certificate signed with SHA-1 or MD5',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'Reads the signature algorithm of every served certificate that is not a self-signed root (a root\'s self-signature is never checked by clients): MD5 and SHA-1 signatures are forgeable by chosen-prefix collisions (SHAttered, 2020 chosen-prefix SHA-1) and refused by current clients.',
    remediation:
      'Reissue the certificate (and any intermediate) with SHA-256 or better (`openssl x509 -req -sha256 ...`, or the CA\'s default), then install it as Mosquitto `certfile` / EMQX `listeners.ssl.default.ssl_options.certfile`.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://shattered.io/'],
  },
  judge({ 'tls.certificate': c }) {
    const judged = c.chain.filter((x) => x.source === 'served' && !x.selfSigned);
    const all = c.chain.map((x) => `${certName(x)}: ${x.signatureAlgorithm}`);
    if (!c.chain.length) return { status: 'ERROR', message: 'the server sent no certificate' };
    if (!judged.length) return { status: 'SKIP', message: 'the server sent only a self-signed certificate, whose signature clients never rely on (see TLS-013)', evidence: { signatures: all } };
    const weak = judged.filter((x) => x.signatureHash === 'MD5' || x.signatureHash === 'SHA-1' || x.signatureHash === 'MD2');
    if (weak.length) return { status: 'FAIL', message: `weak signature: ${weak.map((x) => `${certName(x)} ${x.signatureAlgorithm}`).join(', ')}`, evidence: { signatures: all } };
    const unknown = judged.filter((x) => x.signatureHash === 'unknown');
    if (unknown.length) return { status: 'SKIP', message: `unknown signature algorithm: ${unknown.map((x) => x.signatureAlgorithm).join(', ')}`, evidence: { signatures: all } };
    return { status: 'PASS', message: `signatures: ${judged.map((x) => x.signatureAlgorithm).join(', ')}`, evidence: { signatures: all } };
  },
});
