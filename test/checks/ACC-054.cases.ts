import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'disconnect', facts: emqx('authorization.deny_action = disconnect\n') }],
  bad: [
    { name: 'default ignore', facts: emqx('node.name = x\n'), line: 1 },
    { name: 'explicit ignore', facts: emqx('authorization {\n  deny_action = ignore\n}\n'), line: 2 },
  ],
} satisfies CheckCases;
