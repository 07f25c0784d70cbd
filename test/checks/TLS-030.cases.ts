import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'default minimum (1.2)', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\n') },
    { name: 'tlsv1.3', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\ntls_version tlsv1.3\n'), message: 'at least tlsv1.2' },
    { name: 'no TLS listener', facts: mosq('listener 1883\n') },
  ],
  bad: [
    { name: 'tlsv1.1', facts: mosq('listener 8883\ncertfile /c\nkeyfile /k\ntls_version tlsv1.1\n'), line: 4, severity: 'high' },
    { name: 'default below a 1.3 policy', facts: mosq('listener 8883 10.0.0.1\ncertfile /c\n', {}, { tls: { minVersion: 'tlsv1.3' } }), line: 1, severity: 'low', message: '(default minimum)' },
  ],
} satisfies CheckCases;
