import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [{ name: 'verified', facts: { 'tls.certificate': certificate() } }],
  bad: [{ name: 'unknown issuer', facts: { 'tls.certificate': certificate({}, { trust: { verified: false, error: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', anchors: 'system roots' } }) }, message: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY' }],
  error: [{ name: 'no certificate', facts: { 'tls.certificate': certificate({}, { chain: [] }) } }],
} satisfies CheckCases;
