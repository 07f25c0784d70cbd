import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'defaults (1.3 + 1.2)', facts: emqx('node.name = x\n') },
    { name: 'upstream listeners.ssl example', facts: emqx('listeners.ssl.my_ssl_listener_name {\n  bind = 8883\n  ssl_options {\n    versions = [tlsv1.3, tlsv1.2]\n  }\n}\n') },
  ],
  bad: [
    { name: 'tlsv1.1 on ssl', facts: emqx('listeners.ssl.default {\n  ssl_options.versions = [tlsv1.2, tlsv1.1, tlsv1]\n}\n'), line: 2, severity: 'high', message: 'tlsv1.1, tlsv1' },
    { name: 'default under a 1.3 policy', facts: emqx('listeners.wss.default.ssl_options.versions = ["tlsv1.3", "tlsv1.2"]\n', {}, { tls: { minVersion: 'tlsv1.3' } }), line: 1, severity: 'low' },
  ],
} satisfies CheckCases;
