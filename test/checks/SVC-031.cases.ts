import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'TLS only', facts: mosq('listener 8883\ncertfile /c\n') },
    { name: 'plaintext on loopback next to TLS', facts: mosq('listener 1883 127.0.0.1\nlistener 8883\ncertfile /c\n') },
    { name: 'plaintext only (no TLS to downgrade from)', facts: mosq('listener 1883\n') },
  ],
  bad: [{ name: '1883 next to 8883', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\n\nlistener 1883\n'), line: 5, message: 'next to TLS listener 8883' }],
} satisfies CheckCases;
