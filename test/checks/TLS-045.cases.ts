import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

const AUTHN = 'authentication = [{ mechanism = password_based, backend = built_in_database }]\n';
const QUIC = 'listeners.quic.default {\n  enable = true\n  ssl_options { certfile = "/etc/emqx/certs/server.pem", keyfile = "/etc/emqx/certs/server.key" }\n}\n';

export default {
  good: [
    { name: 'no QUIC listener', facts: emqx('node.name = x\n') },
    { name: 'QUIC with password authentication', facts: emqx(AUTHN + QUIC) },
    { name: 'QUIC verifying client certificates for certificate identity', facts: emqx(AUTHN + 'mqtt.peer_cert_as_username = cn\n' + QUIC + 'listeners.quic.default.ssl_options { verify = verify_peer, cacertfile = "/etc/emqx/certs/ca.pem" }\nlisteners.ssl.default.ssl_options { verify = verify_peer, fail_if_no_peer_cert = true }\n') },
    { name: 'hardened: no authenticator denies, TLS is not the only gate', facts: emqxOf(QUIC, HARDENED) },
  ],
  bad: [
    { name: 'certificate CN as username, QUIC does not verify (default)', facts: emqx(AUTHN + 'mqtt.peer_cert_as_username = cn\n' + QUIC), line: 4, severity: 'critical', message: 'UDP all interfaces:14567' },
    { name: 'QUIC alone, no authenticator, explicit verify_none', facts: emqx('listeners.quic.default {\n  bind = "0.0.0.0:14567"\n  ssl_options.verify = verify_none\n}\n'), line: 3, message: 'clients are not otherwise authenticated' },
  ],
} satisfies CheckCases;
