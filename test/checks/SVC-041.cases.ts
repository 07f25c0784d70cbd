import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

export default {
  good: [
    { name: 'HTTP off', facts: emqx('dashboard.listeners.http.bind = 0\ndashboard.listeners.https.bind = 18084\n') },
    { name: 'hardened: the port-only bind of base.hocon is loopback', facts: emqxOf('node.name = x\n', { files: { ...HARDENED.files, '/etc/emqx/base.hocon': 'dashboard {\n    listeners {\n        http.bind = 18083\n    }\n}\n' } }) },
    { name: 'HTTP on loopback', facts: emqx('dashboard.listeners.http.bind = "127.0.0.1:18083"\n') },
  ],
  bad: [
    { name: 'default', facts: emqx('node.name = x\n'), line: 1, message: 'HTTPS is off' },
    { name: 'upstream dashboard-with-http example', facts: emqx('dashboard {\n    listeners.http {\n        bind = "0.0.0.0:18083"\n    }\n}\n'), line: 3 },
  ],
} satisfies CheckCases;
