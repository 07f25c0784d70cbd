import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'plaintext disabled', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default.enable = false\n') },
    { name: 'plaintext on loopback', facts: emqx('listeners.tcp.default.bind = "127.0.0.1:1883"\nlisteners.ws.default.bind = "127.0.0.1:8083"\n') },
  ],
  bad: [
    { name: 'defaults: tcp and ws on 0.0.0.0', facts: emqx('node.name = x\n'), line: 1, message: 'EMQX default' },
    { name: 'upstream ws example bound to 0.0.0.0', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default {\n  bind = "0.0.0.0:8083"\n}\n'), line: 3 },
    { name: 'policy allows only 8883', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default.enable = false\nlisteners.wss.default.enable = false\nlisteners.ssl.default.bind = "0.0.0.0:8884"\n', {}, { listeners: { allowed: ['*:8883'] } }), line: 4, message: 'not among' },
  ],
} satisfies CheckCases;
