import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

export default {
  good: [
    { name: 'origins checked on ws and wss', facts: emqx('listeners.ws.default.websocket { check_origin_enable = true, check_origins = "https://app.example.com" }\nlisteners.wss.default.websocket.check_origin_enable = true\n') },
    { name: 'ws and wss on loopback', facts: emqx('listeners.ws.default.bind = "127.0.0.1:8083"\nlisteners.wss.default.bind = "127.0.0.1:8084"\n') },
    { name: 'hardened: default ws/wss listeners bind loopback', facts: emqxOf('node.name = x\n', HARDENED) },
  ],
  bad: [
    { name: 'defaults: ws and wss on all interfaces accept every origin', facts: emqx('node.name = x\n'), line: 1, message: 'cross-site WebSocket hijacking' },
    { name: 'explicitly off on a public bind', facts: emqx('listeners.wss.default.enable = false\nlisteners.ws.default {\n  bind = "0.0.0.0:8083"\n  websocket.check_origin_enable = false\n}\n'), line: 4, message: 'check_origin_enable = false:' },
  ],
} satisfies CheckCases;
