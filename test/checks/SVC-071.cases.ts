import type { CheckCases } from './fixtures.js';
import { nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [
    { name: 'TLS on the network, ws on loopback', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) },
    { name: 'legacy loopback only', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nwebsocket.enable=false\n') },
  ],
  bad: [
    { name: 'shipped tcp and ws on 0.0.0.0', facts: nanomq('listeners.tcp {\n  bind = "0.0.0.0:1883"\n}\nlisteners.ws {\n  bind = "0.0.0.0:8083/mqtt"\n}\n'), line: 5, severity: 'high' },
    { name: 'no listeners block: the compiled-in one', facts: nanomq('auth {\n  allow_anonymous = false\n}\n'), message: 'compiled-in default' },
    { name: 'plaintext next to TLS', facts: nanomq('listeners.tcp {\n  bind = "10.0.0.5:1883"\n}\nlisteners.ssl {\n  bind = "0.0.0.0:8883"\n}\n'), line: 2, severity: 'medium' },
    { name: 'not among the policy\'s allowed listeners', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES, { listeners: { allowed: ['*:8883'] } }), message: "not among the policy's allowed listeners" },
  ],
} satisfies CheckCases;
