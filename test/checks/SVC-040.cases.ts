import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

export default {
  good: [
    { name: 'plaintext disabled', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default.enable = false\n') },
    { name: 'hardened: default listeners bind loopback', facts: emqxOf('node.name = x\n', HARDENED) },
    { name: 'hardened: a port-only bind is loopback too', facts: emqxOf('listeners.tcp.default.bind = 1883\n', HARDENED) },
    { name: 'node.default_listener_address = loopback', facts: emqx('node.default_listener_address = loopback\nlisteners.tcp.default.bind = 1883\n') },
    { name: 'plaintext on loopback', facts: emqx('listeners.tcp.default.bind = "127.0.0.1:1883"\nlisteners.ws.default.bind = "127.0.0.1:8083"\n') },
  ],
  bad: [
    { name: 'defaults: tcp and ws on 0.0.0.0', facts: emqx('node.name = x\n'), line: 1, message: 'EMQX default' },
    { name: 'hardened, but an explicit 0.0.0.0 bind', facts: emqxOf('listeners.tcp.default.bind = "0.0.0.0:1883"\n', HARDENED), line: 1, message: '0.0.0.0:1883' },
    { name: 'hardened undone by node.default_listener_address = all (the Docker image)', facts: emqxOf('node.name = x\n', { ...HARDENED, env: { EMQX_NODE__DEFAULT_LISTENER_ADDRESS: 'all' } }), message: 'address from node.default_listener_address = all' },
    { name: 'listener without bind: its type\'s default port', facts: emqx('listeners.tcp.internal {\n  enable = true\n}\n'), line: 2, message: 'listeners.tcp.internal (all interfaces:1883' },
    { name: 'enabled is the alias of enable', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default.enabled = true\nlisteners.ws.default.enable = false\nlisteners.tcp.extra { bind = "0.0.0.0:1884", enabled = true }\n'), line: 4 },
    { name: 'upstream ws example bound to 0.0.0.0', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default {\n  bind = "0.0.0.0:8083"\n}\n'), line: 3 },
    { name: 'policy allows only 8883', facts: emqx('listeners.tcp.default.enable = false\nlisteners.ws.default.enable = false\nlisteners.wss.default.enable = false\nlisteners.ssl.default.bind = "0.0.0.0:8884"\n', {}, { listeners: { allowed: ['*:8883'] } }), line: 4, message: 'not among' },
  ],
} satisfies CheckCases;
