import type { CheckCases } from './fixtures.js';
import { emqx, side } from './config-fixtures.js';

export default {
  good: [{ name: 'clean', facts: emqx('node.name = x\n', { '/etc/emqx/acl.conf': '{deny, all}.\n' }) }],
  bad: [
    { name: 'HOCON syntax error', facts: emqx('node {\n  name = x\n  cookie = \n}\n'), line: 3 },
    { name: 'unresolved substitution', facts: emqx('node.name = x\nnode.cookie = ${COOKIE}\n'), line: 2, message: 'unresolved substitution' },
    { name: 'acl.conf missing a dot', facts: side('emqx-acl', '/repo/acl.conf', '{allow, all}\n'), line: 2 },
    { name: 'configured acl.conf missing', facts: emqx('authorization.sources = [{ type = file, path = "/etc/emqx/rules.conf" }]\n'), line: 1, severity: 'low' },
  ],
} satisfies CheckCases;
