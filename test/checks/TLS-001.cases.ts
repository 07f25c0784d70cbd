import type { CheckCases } from './fixtures.js';
import { protocols } from './tls-fixtures.js';

export default {
  good: [{ name: 'SSLv3 refused', facts: { 'tls.protocols': protocols({ SSLv3: 'not-offered' }) } }],
  bad: [{ name: 'SSLv3 handshake completed', facts: { 'tls.protocols': protocols({ SSLv3: 'offered' }) }, message: 'SSLv3 handshake' }],
  skip: [{ name: 'local OpenSSL 3 cannot send SSLv3: SKIP, never PASS', facts: { 'tls.protocols': protocols() }, message: 'SSLv3' }],
  error: [{ name: 'probe broken by the peer', facts: { 'tls.protocols': protocols({ SSLv3: 'error' }) } }],
} satisfies CheckCases;
