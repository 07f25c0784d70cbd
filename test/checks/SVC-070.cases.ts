import type { CheckCases } from './fixtures.js';
import { nanomq, NANOMQ_FILES, NANOMQ_GOOD } from './dynsec-nanomq-fixtures.js';

export default {
  good: [
    { name: 'no http_server block', facts: nanomq(NANOMQ_GOOD, NANOMQ_FILES) },
    { name: 'loopback with a strong password', facts: nanomq('http_server {\n  ip_addr = 127.0.0.1\n  port = 8081\n  username = ops\n  password = "Xr8#mQ2!vT6@pL9w"\n}\n') },
    { name: 'legacy, disabled as shipped', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nhttp_server.enable=false\nhttp_server.password=public\n') },
  ],
  bad: [
    { name: 'shipped admin/public on every interface', facts: nanomq('http_server {\n  port = 8081\n  username = admin\n  password = public\n  auth_type = basic\n}\n'), line: 4, severity: 'high', message: 'uses the shipped password for user "admin"' },
    { name: 'strong password but on every interface', facts: nanomq('http_server {\n  port = 8081\n  username = ops\n  password = "Xr8#mQ2!vT6@pL9w"\n}\n'), line: 1, severity: 'medium', message: 'ip_addr not set' },
    { name: 'weak password', facts: nanomq('http_server {\n  ip_addr = "127.0.0.1"\n  password = "secret1"\n}\n'), line: 3, message: 'is weak' },
    { name: 'legacy enabled', facts: nanomq('url=nmq-tcp://127.0.0.1:1883\nhttp_server.enable=true\n'), message: 'legacy format cannot restrict it' },
  ],
} satisfies CheckCases;
