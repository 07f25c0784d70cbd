import type { CheckCases } from './fixtures.js';
import { ROOT, cert, certificate } from './tls-fixtures.js';

export default {
  good: [
    { name: 'ECDSA SHA-256', facts: { 'tls.certificate': certificate() } },
    { name: 'a SHA-1 self-signed root is not judged', facts: { 'tls.certificate': certificate({}, { chain: [cert(), { ...ROOT, signatureHash: 'SHA-1', signatureAlgorithm: 'sha1WithRSAEncryption' }] }) } },
  ],
  bad: [
    { name: 'SHA-1 leaf', facts: { 'tls.certificate': certificate({ signatureAlgorithm: 'sha1WithRSAEncryption', signatureHash: 'SHA-1' }) }, message: 'sha1WithRSAEncryption' },
    { name: 'MD5 leaf', facts: { 'tls.certificate': certificate({ signatureAlgorithm: 'md5WithRSAEncryption', signatureHash: 'MD5' }) } },
  ],
  skip: [{ name: 'self-signed leaf only', facts: { 'tls.certificate': certificate({}, { chain: [cert({ selfSigned: true, issuer: 'CN=broker.example' })] }) } }],
  error: [{ name: 'no certificate', facts: { 'tls.certificate': certificate({}, { chain: [] }) } }],
} satisfies CheckCases;
