import type { CheckCases } from './fixtures.js';
import { protocols } from './tls-fixtures.js';

export default {
  good: [{ name: 'SSLv3 refused', facts: { 'tls.protocols': protocols({ SSLv3: 'not-offered' }) } }],
  bad: [{ name: 'SSLv3 ServerHello', facts: { 'tls.protocols': protocols({ SSLv3: 'offered' }) }, message: 'accepts SSLv3' }],
  skip: [{ name: 'SSLv3 not probed (a fact from a collector without its own SSLv3 hello): SKIP, never PASS', facts: { 'tls.protocols': protocols({ SSLv3: 'unprobeable' }) }, message: 'not probed' }],
  error: [{ name: 'probe broken by the peer', facts: { 'tls.protocols': protocols({ SSLv3: 'error' }) } }],
} satisfies CheckCases;
