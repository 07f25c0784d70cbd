import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf } from './config-fixtures.js';

export default {
  good: [
    { name: 'on, before 6.3 (client ID only exists)', facts: emqxOf('flapping_detect {\n  enable = true\n  max_count = 15\n}\n', { version: '6.2' }) },
    { name: '6.3: by client ID and by source address', facts: emqx('flapping_detect {\n  by_clientid { max_count = 15, window_time = 1m, ban_time = 5m }\n  by_username = none\n  by_peerhost { max_count = 100, window_time = 1m, ban_time = 10m }\n}\n') },
    { name: 'before 6.3, EMQX defaults of window and ban time meet the default policy (1 minute, 5 minutes)', facts: emqxOf('flapping_detect.enable = true\n', { version: '5.8' }) },
    { name: 'a lenient policy accepts a 30 s window', facts: emqx('flapping_detect {\n  by_clientid { window_time = 30s, ban_time = 1m }\n  by_peerhost { window_time = 30s, ban_time = 1m }\n}\n', {}, { loginAttempts: { window: '30s', banFor: 60 } }) },
  ],
  bad: [
    { name: 'default off', facts: emqx('node.name = x\n'), line: 1, message: 'every dimension' },
    { name: 'default off on 5.8', facts: emqxOf('node.name = x\n', { version: '5.8' }), line: 1, message: 'flapping_detect.enable = false (EMQX default of 5.8' },
    { name: '6.3: flat enable = true counts client IDs only', facts: emqx('flapping_detect {\n  enable = true\n}\n'), line: 2, severity: 'low', message: 'by client ID only' },
    { name: '6.3: every dimension none', facts: emqx('flapping_detect {\n  by_clientid = none\n  by_username = none\n  by_peerhost = none\n}\n'), line: 2, message: 'every dimension' },
    { name: 'upstream example block without enable', facts: emqx('flapping_detect {\n    window_time = 1m\n    max_count = 15\n    ban_time = 5m\n}\n'), line: 1, message: 'EMQX default' },
    { name: 'explicit false', facts: emqx('flapping_detect.enable = false\n'), line: 1 },
    {
      name: '6.3: by_peerhost counts over 30 s, bans for 1 minute: weaker than the default policy',
      facts: emqx('flapping_detect {\n  by_clientid { max_count = 15, window_time = 1m, ban_time = 5m }\n  by_peerhost { max_count = 100, window_time = 30s, ban_time = 1m }\n}\n'),
      line: 3,
      severity: 'low',
      message: "flapping_detect.by_peerhost.window_time = 30s (set): flapping detection by source address counts connects over less than the policy's 1 minute (loginAttempts.window)",
    },
    { name: 'before 6.3: ban_time 2m against a policy of 10 minutes', facts: emqxOf('flapping_detect {\n  enable = true\n  ban_time = 2m\n}\n', { version: '5.8', policy: { loginAttempts: { banFor: '10m' } } }), line: 3, severity: 'low', message: "bans for less than the policy's 10 minutes (loginAttempts.banFor)" },
    { name: 'EMQX default window (1m) against a policy of 10 minutes', facts: emqxOf('flapping_detect.enable = true\n', { version: '5.8', policy: { loginAttempts: { window: 600 } } }), severity: 'low', message: 'flapping_detect.window_time = 1m (EMQX default of 5.8' },
  ],
} satisfies CheckCases;
