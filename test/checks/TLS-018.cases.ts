import type { CheckCases } from './fixtures.js';
import { revocation, source } from './tls-fixtures.js';

export default {
  good: [{ name: 'current, signed', facts: { 'tls.revocation': revocation() } }],
  bad: [
    { name: 'stale', facts: { 'tls.revocation': revocation([source({ nextUpdate: '2026-05-20T00:00:00.000Z' })]) }, message: 'stale' },
    { name: 'bad signature', facts: { 'tls.revocation': revocation([source({ status: 'unusable', signatureValid: false, detail: 'the CRL signature does not verify with the key of its issuer' })]) }, message: 'does not verify' },
  ],
  skip: [{ name: 'no CRL given', facts: { 'tls.revocation': revocation([], { crlFiles: [] }) } }],
} satisfies CheckCases;
