import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf } from './config-fixtures.js';

export default {
  good: [
    { name: 'EMQX 6 defaults: 5 attempts, 10 minutes', facts: emqx('node.name = x\n') },
    { name: 'stricter', facts: emqx('dashboard {\n  unsuccessful_login_max_attempts = 3\n  unsuccessful_login_lock_duration = 30m\n}\n') },
  ],
  bad: [
    { name: 'lock switched off', facts: emqx('dashboard.unsuccessful_login_max_attempts = 0\n'), line: 1, message: 'never lock' },
    { name: 'many attempts, short lock', facts: emqx('dashboard {\n  unsuccessful_login_max_attempts = 50\n  unsuccessful_login_lock_duration = 10s\n}\n'), line: 2, severity: 'low' },
  ],
  skip: [{ name: 'EMQX 5.8 has no dashboard lockout', facts: emqxOf('node.name = x\n', { version: '5.8' }), message: 'no dashboard login lockout' }],
} satisfies CheckCases;
