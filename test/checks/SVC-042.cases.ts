import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'off', facts: emqx('dashboard.swagger_support = false\n') }],
  bad: [
    { name: 'default', facts: emqx('node.name = x\n'), line: 1 },
    { name: 'explicit', facts: emqx('node.name = x\ndashboard { swagger_support = true }\n'), line: 2 },
  ],
} satisfies CheckCases;
