import type { CheckCases } from './fixtures.js';
import { ciphers, suite } from './tls-fixtures.js';

export default {
  good: [{ name: 'ECDHE + AEAD only', facts: { 'tls.ciphers': ciphers() } }],
  bad: [
    { name: 'static RSA key exchange', facts: { 'tls.ciphers': ciphers([suite('ECDHE-RSA-AES128-GCM-SHA256'), suite('AES128-GCM-SHA256', ['no-forward-secrecy'], { kex: 'RSA' })]) }, severity: 'medium', message: 'without forward secrecy' },
    { name: 'CBC with SHA-1 only', facts: { 'tls.ciphers': ciphers([suite('ECDHE-RSA-AES128-GCM-SHA256'), suite('ECDHE-RSA-AES128-SHA', ['cbc-sha1'])]) }, severity: 'low', message: 'CBC' },
  ],
  skip: [
    { name: 'nothing offered', facts: { 'tls.ciphers': ciphers([], { versions: [] }) } },
    {
      name: 'incomplete enumeration is no PASS',
      facts: { 'tls.ciphers': { ...ciphers(), versions: [{ version: 'TLSv1.2', accepted: [suite('ECDHE-ECDSA-AES128-GCM-SHA256')], serverOrder: null, handshakes: 200, incomplete: 'stopped after 200 handshakes' }] } },
      message: 'incomplete',
    },
  ],
} satisfies CheckCases;
