import { defineCheck } from '../core/check.js';
import { EMQX_TLS_REF, MOSQUITTO_TLS_REF, certName } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-011',
    name: 'weak-key',
    title: 'Weak certificate key (RSA < 2048, EC < 256 bits)',
    strategy: 'tls',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['tls.certificate'],
    description:
      'Reads the public key of every served certificate: RSA/DSA keys under 2048 bits and EC keys under 256 bits are below every current recommendation (NIST SP 800-57, BSI TR-02102); 1024-bit RSA is within reach of well-funded attackers. RSA under 1024 bits is critical.',
    remediation:
      'Generate a new key (`openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`, or RSA 3072) and reissue the certificate, then point Mosquitto `keyfile`/`certfile` or EMQX `listeners.ssl.default.ssl_options.keyfile`/`certfile` to it. OpenSSL 3 at its default security level refuses keys this small: an endpoint that serves one has lowered `ciphers ... @SECLEVEL` somewhere.',
    references: [MOSQUITTO_TLS_REF, EMQX_TLS_REF, 'https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final'],
  },
  judge({ 'tls.certificate': c }) {
    const served = c.chain.filter((x) => x.source === 'served');
    if (!served.length) return { status: 'ERROR', message: 'the server sent no certificate' };
    const weak = served.filter((x) => ((x.keyType === 'rsa' || x.keyType === 'rsa-pss' || x.keyType === 'dsa') && x.keyBits < 2048) || (x.keyType === 'ec' && x.keyBits < 256));
    const keys = served.map((x) => `${certName(x)}: ${x.keyType} ${x.keyBits}${x.curve ? ` (${x.curve})` : ''}`);
    if (weak.length) {
      const tiny = weak.some((x) => x.keyType !== 'ec' && x.keyBits < 1024);
      return { status: 'FAIL', ...(tiny ? { severity: 'critical' as const } : {}), message: `weak key: ${weak.map((x) => `${certName(x)} ${x.keyType.toUpperCase()} ${x.keyBits} bits`).join(', ')}`, evidence: { keys } };
    }
    return { status: 'PASS', message: `key sizes are adequate (${keys[0]})`, evidence: { keys } };
  },
});
