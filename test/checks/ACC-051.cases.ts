import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'built-in database', facts: emqx('authentication = [\n  { mechanism = password_based, backend = built_in_database }\n]\n') }],
  bad: [
    { name: 'default: empty chain', facts: emqx('node.name = "emqx@10.0.0.1"\n'), line: 1, message: 'EMQX default' },
    { name: 'explicitly empty', facts: emqx('node.name = x\nauthentication = []\n'), line: 2 },
    { name: 'only disabled authenticators', facts: emqx('authentication = [{ mechanism = password_based, backend = built_in_database, enable = false }]\n'), line: 1, message: 'only disabled' },
  ],
} satisfies CheckCases;
