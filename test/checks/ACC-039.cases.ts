import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

const strongHash = 'user_id,password_hash,salt,is_superuser\nsensor1,' + 'a'.repeat(64) + ',c2FsdA,false\n';

export default {
  good: [{ name: 'salted hashes', facts: side('emqx-bootstrap', '/repo/bootstrap.csv', strongHash) }],
  bad: [
    { name: 'plain bootstrap with a weak superuser password', facts: side('emqx-bootstrap', '/repo/bootstrap.csv', 'user_id,password,is_superuser\nadmin,public,true\nsensor,Vq8-xK2#mP9!zL4@wR7,false\n'), line: 2, severity: 'critical', message: 'superuser "admin": weak password' },
    { name: 'plain file is itself a finding', facts: side('emqx-bootstrap', '/repo/bootstrap.csv', 'user_id,password,is_superuser\nsensor,Vq8-xK2#mP9!zL4@wR7,false\n'), line: 1, message: 'clear-text password' },
    { name: 'unsalted hash, duplicate user', facts: side('emqx-bootstrap', '/repo/b.csv', 'user_id,password_hash,salt,is_superuser\na,' + 'b'.repeat(64) + ',,false\na,' + 'b'.repeat(64) + ',c2FsdA,false\n'), line: 3, message: 'listed again' },
    {
      name: 'named by the authenticator in emqx.conf',
      facts: emqx('authentication = [{\n  mechanism = password_based\n  backend = built_in_database\n  bootstrap_file = "${EMQX_ETC_DIR}/auth-built-in-db-bootstrap.csv"\n  bootstrap_type = plain\n}]\n', {
        '/etc/emqx/auth-built-in-db-bootstrap.csv': 'user_id,password,is_superuser\nalice,password123,false\n',
      }),
      line: 2,
      message: 'user "alice": weak password',
    },
  ],
  skip: [{ name: 'no bootstrap file', facts: { 'config.passwords': { mosquitto: [] } } }],
} satisfies CheckCases;
