import type { CheckCases } from './fixtures.js';
import { cert, keyFile, keys } from './system-fixtures.js';

const certFile = (c: ReturnType<typeof cert>) => keyFile({ role: 'cert', path: '/etc/mosquitto/certs/server.crt', key: undefined, certs: [c] });

export default {
  good: [
    { name: 'valid for months', facts: { 'sys.keys': keys([certFile(cert())]) } },
    {
      name: 'the system trust store as cafile is not judged',
      facts: { 'sys.keys': keys([keyFile({ role: 'ca', path: '/etc/ssl/certs/ca-certificates.crt', key: undefined, systemStore: true, certs: [cert({ notAfter: '2026-06-10T00:00:00.000Z' })] })]) },
      message: 'system trust store',
    },
  ],
  bad: [
    { name: 'expired', facts: { 'sys.keys': keys([certFile(cert({ notAfter: '2026-05-01T00:00:00.000Z' }))]) }, severity: 'high', message: 'expired on 2026-05-01' },
    { name: 'expires in 10 days', facts: { 'sys.keys': keys([certFile(cert({ notAfter: '2026-06-11T00:00:00.000Z' }))]) }, severity: 'medium', message: 'expires in 10 days' },
    { name: 'expires in 45 days: low, inside the farther threshold', facts: { 'sys.keys': keys([certFile(cert({ notAfter: '2026-07-16T00:00:00.000Z' }))]) }, severity: 'low', message: 'expires in 45 days' },
    { name: 'not yet valid', facts: { 'sys.keys': keys([certFile(cert({ notBefore: '2026-07-01T00:00:00.000Z' }))]) }, message: 'not valid before' },
  ],
  skip: [{ name: 'no certificate', facts: { 'sys.keys': keys([keyFile({})]) } }],
} satisfies CheckCases;
