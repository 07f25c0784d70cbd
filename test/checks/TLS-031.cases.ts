import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'OpenSSL defaults', facts: mosq('listener 8883\ncertfile /c\n') },
    { name: 'Mozilla intermediate', facts: mosq('listener 8883\ncertfile /c\nciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-CHACHA20-POLY1305\n') },
    { name: 'ALL with the NULLs removed', facts: mosq('listener 8883\ncertfile /c\nciphers ALL:!aNULL:!eNULL:!NULL:!RC4:!DES:!3DES:!MD5:!EXPORT:!LOW:!MEDIUM\n') },
  ],
  bad: [
    { name: 'RC4 and 3DES', facts: mosq('listener 8883\ncertfile /c\nciphers ECDHE-RSA-AES128-GCM-SHA256:RC4-SHA:DES-CBC3-SHA\n'), line: 3, message: 'RC4-SHA, DES-CBC3-SHA' },
    { name: 'anonymous suites', facts: mosq('listener 8883\ncertfile /c\nciphers HIGH:aNULL\n'), line: 3, message: 'aNULL' },
  ],
} satisfies CheckCases;
