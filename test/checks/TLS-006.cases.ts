import type { CheckCases } from './fixtures.js';
import { ciphers, suite } from './tls-fixtures.js';

export default {
  good: [{ name: 'server order', facts: { 'tls.ciphers': ciphers() }, message: 'ECDHE-ECDSA-AES256-GCM-SHA384 first' }],
  bad: [{ name: 'client order', facts: { 'tls.ciphers': ciphers(undefined, {}, false) }, message: 'client chooses' }],
  skip: [{ name: 'one TLS 1.2 suite only', facts: { 'tls.ciphers': ciphers([suite('ECDHE-ECDSA-AES128-GCM-SHA256')]) } }],
} satisfies CheckCases;
