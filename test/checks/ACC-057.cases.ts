import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf, HARDENED } from './config-fixtures.js';

export default {
  good: [
    { name: 'set by the environment', facts: emqx('node.name = x\ndashboard.default_password = "Vq8…random…long"\n') },
    { name: 'hardened: public cannot log in', facts: emqxOf('node.name = x\n', HARDENED) },
  ],
  bad: [
    { name: 'default public', facts: emqx('node.name = x\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit public', facts: emqx('dashboard {\n  default_password = public\n}\n'), line: 2 },
    { name: 'hardened: admin still can', facts: emqxOf('dashboard.default_password = admin\n', HARDENED), line: 1, message: '"admin"' },
  ],
} satisfies CheckCases;
