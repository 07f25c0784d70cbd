import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'on', facts: emqx('log.audit { enable = true }\n') }],
  bad: [{ name: 'default off', facts: emqx('node.name = x\n'), line: 1 }],
} satisfies CheckCases;
