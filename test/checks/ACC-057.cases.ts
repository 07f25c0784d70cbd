import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'set by the environment', facts: emqx('node.name = x\ndashboard.default_password = "Vq8…random…long"\n') }],
  bad: [
    { name: 'default public', facts: emqx('node.name = x\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit public', facts: emqx('dashboard {\n  default_password = public\n}\n'), line: 2 },
  ],
} satisfies CheckCases;
