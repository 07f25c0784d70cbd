import type { CheckCases } from './fixtures.js';
import { mosq } from './config-fixtures.js';

export default {
  good: [
    { name: 'no PROXY protocol', facts: mosq('listener 1883\n') },
    { name: 'v2 on loopback, TLS required', facts: mosq('listener 1884 127.0.0.1\nenable_proxy_protocol 2\nproxy_protocol_v2_require_tls true\n') },
    { name: 'v1 on loopback', facts: mosq('listener 1884 127.0.0.1\nenable_proxy_protocol 1\n') },
  ],
  bad: [
    { name: 'v1 on every interface', facts: mosq('listener 1884\nenable_proxy_protocol 1\n'), line: 2, severity: 'high', message: 'forge its source address' },
    { name: 'v2 on every interface with certificate identity and no require_tls', facts: mosq('listener 1884\nenable_proxy_protocol 2\nrequire_certificate true\nuse_identity_as_username true\n'), line: 2, severity: 'high', message: 'and TLS identity' },
    { name: 'v2 on loopback without require_tls, relying on certificates', facts: mosq('listener 1884 127.0.0.1\nenable_proxy_protocol 2\nrequire_certificate true\n'), line: 2, severity: 'medium', message: 'proxy_protocol_v2_require_tls' },
    { name: 'v2 with require_tls false: pointed at that line', facts: mosq('listener 1884 127.0.0.1\nenable_proxy_protocol 2\nproxy_protocol_v2_require_tls false\n'), line: 3, severity: 'low' },
    { name: 'v1 on a private address', facts: mosq('listener 1884 10.0.0.5\nenable_proxy_protocol 1\n'), line: 2, severity: 'low', message: 'only the proxy may reach it' },
  ],
} satisfies CheckCases;
