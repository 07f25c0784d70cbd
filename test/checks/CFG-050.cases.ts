import type { CheckCases } from './fixtures.js';
import { emqx } from './config-fixtures.js';

export default {
  good: [{ name: 'on', facts: emqx('flapping_detect {\n  enable = true\n  max_count = 15\n}\n') }],
  bad: [
    { name: 'default off', facts: emqx('node.name = x\n'), line: 1 },
    { name: 'upstream example block without enable', facts: emqx('flapping_detect {\n    window_time = 1m\n    max_count = 15\n    ban_time = 5m\n}\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit false', facts: emqx('flapping_detect.enable = false\n'), line: 1 },
  ],
} satisfies CheckCases;
