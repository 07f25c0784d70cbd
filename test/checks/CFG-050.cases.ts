import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf } from './config-fixtures.js';

export default {
  good: [
    { name: 'on, before 6.3 (client ID only exists)', facts: emqxOf('flapping_detect {\n  enable = true\n  max_count = 15\n}\n', { version: '6.2' }) },
    { name: '6.3: by client ID and by source address', facts: emqx('flapping_detect {\n  by_clientid { max_count = 15, window_time = 1m, ban_time = 5m }\n  by_username = none\n  by_peerhost { max_count = 100, window_time = 30s, ban_time = 10m }\n}\n') },
  ],
  bad: [
    { name: 'default off', facts: emqx('node.name = x\n'), line: 1, message: 'every dimension' },
    { name: 'default off on 5.8', facts: emqxOf('node.name = x\n', { version: '5.8' }), line: 1, message: 'flapping_detect.enable = false (EMQX default of 5.8' },
    { name: '6.3: flat enable = true counts client IDs only', facts: emqx('flapping_detect {\n  enable = true\n}\n'), line: 2, severity: 'low', message: 'by client ID only' },
    { name: '6.3: every dimension none', facts: emqx('flapping_detect {\n  by_clientid = none\n  by_username = none\n  by_peerhost = none\n}\n'), line: 2, message: 'every dimension' },
    { name: 'upstream example block without enable', facts: emqx('flapping_detect {\n    window_time = 1m\n    max_count = 15\n    ban_time = 5m\n}\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit false', facts: emqx('flapping_detect.enable = false\n'), line: 1 },
  ],
} satisfies CheckCases;
