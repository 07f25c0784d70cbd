import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import type { KeyFile } from '../collectors/system/types.js';
import { DEFAULT_POLICY } from '../config/policy.js';
import { keyWeakness as weakness } from './tls-common.js';

export default defineCheck({
  meta: {
    id: 'TLS-053',
    name: 'weak-key-size',
    title: 'Broker keys, certificates or DH parameters are too small',
    strategy: 'tls',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.keys'],
    uses: ['policy'],
    description:
      'Sizes of the broker\'s private keys, of the public keys in its certificates and CA files, and of its DH parameters (`dhparamfile`): RSA and DH below 2048 bits, EC below 256 bits and DSA keys are weak (NIST SP 800-57; OpenSSL 3 at security level 2 refuses RSA < 2048).',
    remediation: 'Issue a new key and certificate: `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256` or RSA 3072; regenerate DH parameters with `openssl dhparam 2048` (or drop them and use ECDHE).',
    references: ['https://csrc.nist.gov/pubs/sp/800/57/pt1/r5/final', 'https://www.keylength.com/en/4/'],
  },
  judge({ 'sys.keys': k, policy = DEFAULT_POLICY }) {
    const files = k.files.filter((f) => f.exists && !f.systemStore && (f.key || f.certs?.length));
    if (!files.length) return { status: 'SKIP', message: 'no readable key, certificate or DH parameter file of a broker found' };
    return files.map((f: KeyFile): Verdict => {
      const found: { what: string; why: string; severity: 'high' | 'medium' }[] = [];
      if (f.key && !f.key.encrypted) {
        const w = weakness(f.key.type, f.key.bits, policy.tls);
        if (w) found.push({ what: f.role === 'dhparam' ? 'DH parameters' : 'private key', ...w });
      }
      for (const c of f.certs ?? []) {
        const w = weakness(c.keyType ?? '', c.bits, policy.tls);
        if (w) found.push({ what: `certificate ${c.subject}`, ...w });
      }
      const evidence = { path: f.path, key: f.key, certs: f.certs };
      if (!found.length) return { status: 'PASS', message: `${f.path}: key sizes are adequate`, evidence, location: { file: f.path } };
      return {
        status: 'FAIL',
        severity: found.some((x) => x.severity === 'high') ? 'high' : 'medium',
        message: `${f.path}: ${found.map((x) => `${x.what}: ${x.why}`).join('; ')}`,
        evidence,
        location: { file: f.path },
      };
    });
  },
});
