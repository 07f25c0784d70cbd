import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

export default {
  good: [
    { name: 'built-in database', facts: emqx('authentication = [\n  { mechanism = password_based, backend = built_in_database }\n]\n') },
    { name: 'hardened profile: an empty chain denies every client', facts: emqxOf('node.name = x\n', HARDENED), message: 'denies every client' },
    { name: 'hardened profile from the process environment', facts: emqxOf('authentication = []\n', { env: { EMQX_SECURITY_PROFILE: 'hardened' } }) },
  ],
  bad: [
    { name: 'default: empty chain', facts: emqx('node.name = "emqx@10.0.0.1"\n'), line: 1, message: 'EMQX default' },
    { name: 'explicitly empty', facts: emqx('node.name = x\nauthentication = []\n'), line: 2 },
    { name: 'only disabled authenticators', facts: emqx('authentication = [{ mechanism = password_based, backend = built_in_database, enable = false }]\n'), line: 1, message: 'only disabled' },
    { name: 'hardened asked on 6.2: no profile there', facts: emqxOf('node.name = x\n', { version: '6.2', ...HARDENED }), line: 1 },
  ],
  skip: [{ name: 'a syntax error: the configured authenticator is not reported missing', facts: emqx('authentication = [\n  { mechanism = password_based, backend = built_in_database }\n]\nnode {\n  cookie = "unterminated\n}\n'), message: 'did not parse (/etc/emqx/emqx.conf:5' }],
} satisfies CheckCases;
