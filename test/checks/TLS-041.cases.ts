import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

const AUTHN = 'authentication = [{ mechanism = password_based, backend = built_in_database }]\n';

export default {
  good: [
    { name: 'verify_none with password authentication', facts: emqx(AUTHN) },
    { name: 'hardened: no authenticator denies every client, TLS is not the only gate', facts: emqxOf('node.name = x\n', HARDENED) },
    { name: 'verify_peer for certificate identity', facts: emqx(AUTHN + 'mqtt.peer_cert_as_username = cn\nlisteners.ssl.default.ssl_options { verify = verify_peer, fail_if_no_peer_cert = true }\nlisteners.wss.default.enable = false\n') },
  ],
  bad: [
    { name: 'certificate CN as username without verification', facts: emqx(AUTHN + 'mqtt {\n  peer_cert_as_username = cn\n}\nlisteners.ssl.default.ssl_options.verify = verify_none\n'), line: 5, message: 'peer_cert_as_username', severity: 'critical' },
    { name: 'TLS alone, no authenticator (defaults)', facts: emqx('node.name = x\n'), line: 1, message: 'verify = verify_none (default)', severity: 'medium' },
  ],
} satisfies CheckCases;
