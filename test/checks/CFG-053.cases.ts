import type { CheckCases } from './fixtures.js';
import { emqx, emqxOf } from './config-fixtures.js';

export default {
  good: [
    { name: 'EMQX 6 defaults: 5 attempts, 10 minutes', facts: emqx('node.name = x\n') },
    { name: 'stricter', facts: emqx('dashboard {\n  unsuccessful_login_max_attempts = 3\n  unsuccessful_login_lock_duration = 30m\n}\n') },
    { name: '8 attempts, 2 minutes: within a lenient policy (10 failures, 1 minute)', facts: emqx('dashboard {\n  unsuccessful_login_max_attempts = 8\n  unsuccessful_login_lock_duration = 2m\n}\n', {}, { loginAttempts: { maxFailures: 10, banFor: '1m' } }) },
  ],
  bad: [
    { name: 'lock switched off', facts: emqx('dashboard.unsuccessful_login_max_attempts = 0\n'), line: 1, message: 'never lock' },
    { name: 'many attempts, short lock', facts: emqx('dashboard {\n  unsuccessful_login_max_attempts = 50\n  unsuccessful_login_lock_duration = 10s\n}\n'), line: 2, severity: 'low' },
    { name: '8 attempts against the default policy (5)', facts: emqx('dashboard.unsuccessful_login_max_attempts = 8\n'), line: 1, severity: 'low', message: "more guesses before the account locks than the policy's 5 (loginAttempts.maxFailures)" },
    { name: 'the EMQX default (5 attempts) against a strict policy (3)', facts: emqx('node.name = x\n', {}, { loginAttempts: { maxFailures: 3 } }), severity: 'low', message: "the policy's 3" },
    { name: 'a 2 minute lock against the default policy (5 minutes)', facts: emqx('dashboard.unsuccessful_login_lock_duration = 2m\n'), line: 1, severity: 'low', message: "shorter than the policy's 5 minutes (loginAttempts.banFor)" },
  ],
  skip: [{ name: 'EMQX 5.8 has no dashboard lockout', facts: emqxOf('node.name = x\n', { version: '5.8' }), message: 'no dashboard login lockout' }],
} satisfies CheckCases;
