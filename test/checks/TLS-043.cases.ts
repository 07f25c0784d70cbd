import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'CRL check on', facts: emqx('listeners.ssl.default.ssl_options { verify = verify_peer, enable_crl_check = true }\n') },
    { name: 'no client verification', facts: emqx('node.name = x\n') },
  ],
  bad: [{ name: 'verify_peer without CRL', facts: emqx('listeners.ssl.default {\n  ssl_options.verify = verify_peer\n  ssl_options.enable_crl_check = false\n}\n'), line: 3 }],
} satisfies CheckCases;
