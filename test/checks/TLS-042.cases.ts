import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [
    { name: 'required', facts: emqx('listeners.ssl.default.ssl_options { verify = verify_peer, fail_if_no_peer_cert = true }\n') },
    { name: 'verify_none: not applicable', facts: emqx('node.name = x\n') },
  ],
  bad: [
    { name: 'upstream-style: verify_peer, fail_if_no_peer_cert false', facts: emqx('listeners.ssl.default {\n  ssl_options {\n    verify = verify_peer\n    fail_if_no_peer_cert = false\n  }\n}\n'), line: 4 },
    { name: 'verify_peer, default fail_if_no_peer_cert', facts: emqx('listeners.wss.default.ssl_options.verify = verify_peer\n'), line: 1, message: '(default)' },
  ],
} satisfies CheckCases;
