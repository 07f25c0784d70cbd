import type { CheckCases } from './fixtures.js';
import { INTERMEDIATE, ROOT, cert, certificate } from './tls-fixtures.js';

export default {
  good: [{ name: 'leaf + intermediate served, root from the store', facts: { 'tls.certificate': certificate() } }],
  bad: [
    { name: 'intermediate found only in the trust anchors', facts: { 'tls.certificate': certificate({}, { chain: [cert(), { ...INTERMEDIATE, source: 'trust-store' }, ROOT] }) }, message: 'not served' },
    { name: 'leaf only, issuer unknown', facts: { 'tls.certificate': certificate({}, { chain: [cert()], trust: { verified: false, error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', anchors: 'system roots' } }) }, message: 'missing' },
  ],
  skip: [{ name: 'self-signed leaf', facts: { 'tls.certificate': certificate({ selfSigned: true }) } }],
} satisfies CheckCases;
