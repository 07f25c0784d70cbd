import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'deny', facts: emqx('authorization {\n  no_match = deny\n}\n') }],
  bad: [
    { name: 'default allow', facts: emqx('node.name = x\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit allow', facts: emqx('node.name = x\nauthorization.no_match = allow\n'), line: 2 },
  ],
} satisfies CheckCases;
