import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'set false', facts: mosq('listener 1883\nallow_zero_length_clientid false\n') },
    { name: 'username as client ID', facts: mosq('listener 1883\nuse_username_as_clientid true\n') },
    { name: 'loopback only', facts: mosq('listener 1883 127.0.0.1\n') },
  ],
  bad: [
    { name: 'default true', facts: mosq('listener 1883\n'), line: 1 },
    { name: 'explicit true', facts: mosq('listener 1883\nallow_zero_length_clientid true\n'), line: 2 },
  ],
} satisfies CheckCases;
