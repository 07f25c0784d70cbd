import type { CheckCases } from './fixtures.js';
import { revocation, source } from './tls-fixtures.js';

export default {
  good: [
    { name: 'current CRL, not listed', facts: { 'tls.revocation': revocation() } },
    { name: 'OCSP good', facts: { 'tls.revocation': revocation([source({ kind: 'ocsp', where: 'http://ocsp.example', nextUpdate: undefined })], { online: true }) } },
  ],
  bad: [
    { name: 'revoked by the local CRL', facts: { 'tls.revocation': revocation([source({ status: 'revoked', revokedAt: '2026-05-01T00:00:00.000Z', reason: 'keyCompromise' })]) }, severity: 'critical', message: 'keyCompromise' },
    { name: 'revoked on a stale CRL still counts', facts: { 'tls.revocation': revocation([source({ status: 'revoked', nextUpdate: '2026-05-01T00:00:00.000Z' })]) } },
  ],
  skip: [
    { name: 'no source', facts: { 'tls.revocation': revocation([], { crlFiles: [] }) }, message: '--revocation-online' },
    { name: 'stale CRL proves no absence', facts: { 'tls.revocation': revocation([source({ nextUpdate: '2026-05-20T00:00:00.000Z' })]) }, message: 'past its nextUpdate' },
    { name: 'forged CRL', facts: { 'tls.revocation': revocation([source({ status: 'unusable', signatureValid: false, detail: 'the CRL signature does not verify' })]) } },
  ],
} satisfies CheckCases;
