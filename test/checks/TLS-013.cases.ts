import type { CheckCases } from './fixtures.js';
import { certificate } from './tls-fixtures.js';

export default {
  good: [{ name: 'CA-issued', facts: { 'tls.certificate': certificate() } }],
  bad: [{ name: 'self-signed', facts: { 'tls.certificate': certificate({ selfSigned: true, issuer: 'CN=broker.example' }) }, message: 'self-signed' }],
} satisfies CheckCases;
