import type { CheckCases } from './fixtures.js';
import { ciphers, suite } from './tls-fixtures.js';

export default {
  good: [{ name: 'AEAD suites only; the unprobeable families are named', facts: { 'tls.ciphers': ciphers() }, message: 'cannot offer EXPORT, RC4, DES, 3DES' }],
  bad: [
    { name: 'anonymous ECDH accepted', facts: { 'tls.ciphers': ciphers([suite('ECDHE-ECDSA-AES128-GCM-SHA256'), suite('AECDH-AES128-SHA', ['anonymous', 'cbc-sha1'])]) }, message: 'AECDH-AES128-SHA' },
    { name: 'NULL cipher accepted', facts: { 'tls.ciphers': ciphers([suite('ECDHE-ECDSA-NULL-SHA', ['null'])]) }, message: 'null' },
    { name: '3DES accepted', facts: { 'tls.ciphers': ciphers([suite('DES-CBC3-SHA', ['3des', 'no-forward-secrecy', 'cbc-sha1'])]) }, message: '3des' },
  ],
  skip: [
    { name: 'nothing offered', facts: { 'tls.ciphers': ciphers([], { versions: [] }) } },
    { name: 'incomplete enumeration', facts: { 'tls.ciphers': { ...ciphers(), versions: [{ version: 'TLSv1.2', accepted: [suite('ECDHE-ECDSA-AES128-GCM-SHA256')], serverOrder: null, handshakes: 200, incomplete: 'stopped after 200 handshakes' }] } } },
  ],
} satisfies CheckCases;
