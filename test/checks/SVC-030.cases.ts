import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'bound listeners', facts: mosq('listener 1883 127.0.0.1\nlistener 8883 10.0.0.5\nbind_interface eth1\n') },
    { name: 'implicit loopback listener', facts: mosq('persistence false\n') },
    { name: 'allowed by the policy', facts: mosq('listener 8883 10.0.0.5\n', {}, { listeners: { allowed: ['10.0.0.5:8883', '127.0.0.1:1883'] } }) },
  ],
  bad: [
    { name: 'docker config: all interfaces', facts: mosq('listener 1883\nallow_anonymous true\n'), line: 1 },
    { name: 'not allowed by the policy', facts: mosq('listener 1883 127.0.0.1\nlistener 9001 10.0.0.5\n', {}, { listeners: { allowed: ['127.0.0.1:1883', '*:8883'] } }), line: 2, severity: 'medium' },
  ],
} satisfies CheckCases;
