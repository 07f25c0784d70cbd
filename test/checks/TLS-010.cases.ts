import type { CheckCases } from './fixtures.js';
import { INTERMEDIATE, ROOT, cert, certificate } from './tls-fixtures.js';

export default {
  good: [
    { name: 'valid for 213 whole days', facts: { 'tls.certificate': certificate() }, message: '213 more day' },
    { name: 'an expired trust anchor from the store is not judged', facts: { 'tls.certificate': certificate({}, { chain: [cert(), INTERMEDIATE, { ...ROOT, notAfter: '2020-01-01T00:00:00.000Z' }] }) } },
  ],
  bad: [
    { name: 'expired', facts: { 'tls.certificate': certificate({ notAfter: '2026-05-20T00:00:00.000Z' }) }, severity: 'critical', message: 'expired 13 day(s) ago' },
    { name: 'not yet valid', facts: { 'tls.certificate': certificate({ notBefore: '2026-07-01T00:00:00.000Z' }) }, severity: 'critical', message: 'not valid before' },
    { name: 'expires in 20 days', facts: { 'tls.certificate': certificate({ notAfter: '2026-06-21T12:00:00.000Z' }) }, severity: 'medium', message: 'within the 30-day warning' },
    { name: 'expires in 45 days', facts: { 'tls.certificate': certificate({ notAfter: '2026-07-16T12:00:00.000Z' }) }, severity: 'low', message: 'within the 60-day warning' },
    { name: 'expired intermediate', facts: { 'tls.certificate': certificate({}, { chain: [cert(), { ...INTERMEDIATE, notAfter: '2026-01-01T00:00:00.000Z' }, ROOT] }) }, severity: 'high', message: 'chain certificate' },
  ],
  error: [{ name: 'no certificate', facts: { 'tls.certificate': certificate({}, { chain: [] }) } }],
} satisfies CheckCases;
