import type { CheckCases } from './fixtures.js';
import { revocation } from './tls-fixtures.js';

export default {
  good: [
    { name: 'CRL distribution point', facts: { 'tls.revocation': revocation() } },
    { name: 'stapled OCSP', facts: { 'tls.revocation': revocation([], { crlUrls: [], stapled: true }) } },
  ],
  bad: [{ name: 'nothing at all', facts: { 'tls.revocation': revocation([], { crlUrls: [], ocspUrls: [] }) }, severity: 'low', message: 'no CRL distribution point' }],
} satisfies CheckCases;
