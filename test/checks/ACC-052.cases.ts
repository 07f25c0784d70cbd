import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'upstream listeners.ssl example (enable_authn = true)', facts: emqx('listeners.ssl.my_ssl_listener_name {\n    bind = 8883\n    enable_authn = true\n}\n') },
    { name: 'disabled listener', facts: emqx('listeners.tcp.default { enable = false, enable_authn = false }\n') },
  ],
  bad: [{ name: 'authn off on tcp', facts: emqx('listeners.tcp.default {\n  bind = "0.0.0.0:1883"\n  enable_authn = false\n}\n'), line: 3 }],
} satisfies CheckCases;
