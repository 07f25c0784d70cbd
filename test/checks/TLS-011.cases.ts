import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [
    { name: 'EC P-256', facts: { 'tls.certificate': certificate() } },
    { name: 'RSA 2048', facts: { 'tls.certificate': certificate({ keyType: 'rsa', keyBits: 2048 }) } },
  ],
  bad: [
    { name: 'RSA 1024', facts: { 'tls.certificate': certificate({ keyType: 'rsa', keyBits: 1024 }) }, severity: 'high', message: 'RSA 1024 bits' },
    { name: 'RSA 512', facts: { 'tls.certificate': certificate({ keyType: 'rsa', keyBits: 512 }) }, severity: 'critical' },
    { name: 'EC P-192', facts: { 'tls.certificate': certificate({ keyType: 'ec', keyBits: 192, curve: 'prime192v1' }) } },
  ],
} satisfies CheckCases;
