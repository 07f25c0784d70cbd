import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'crlfile set', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\ncrlfile /crl.pem\n') },
    { name: 'no client certificates', facts: mosq('listener 8883\ncertfile /c\n') },
  ],
  bad: [{ name: 'mutual TLS without CRL', facts: mosq('listener 8883\ncertfile /c\ncafile /ca\nrequire_certificate true\n'), line: 4 }],
} satisfies CheckCases;
