import type { LoginAttempt, LoginRestriction } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';
import { DEFAULT_POLICY, PolicySchema } from '../../src/config/policy.js';

const refused = (n: number): LoginAttempt => ({ n, outcome: 'refused', code: 0x86, codeName: 'bad user name or password', ms: 2 });
const notAuthorized = (n: number): LoginAttempt => ({ n, outcome: 'refused', code: 0x87, codeName: 'not authorized', notAuthorized: true, ms: 2 });

const r = (verdict: LoginRestriction['verdict'], reason: string, over: Partial<LoginRestriction> = {}): LoginRestriction => ({
  username: 'mw-probe-0123456789ab',
  clientIdProven: true,
  attempts: [refused(1)],
  durationMs: 2000,
  verdict,
  reason,
  ...over,
});

const eightNotAuthorized = Array.from({ length: 8 }, (_, i) => notAuthorized(i + 1));
const refusedSeries = (n: number) => Array.from({ length: n }, (_, i) => refused(i + 1));
const bannedAt = (n: number): LoginAttempt[] => [...refusedSeries(n - 1), { n, outcome: 'banned', code: 0x8a, codeName: 'banned', ms: 1 }];
const policy = DEFAULT_POLICY;
const strict = PolicySchema.parse({ loginAttempts: { maxFailures: 3 } });
const lenient = PolicySchema.parse({ loginAttempts: { maxFailures: 20 } });

export default {
  good: [
    { name: 'banned after 5 failures, as the default policy allows', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned', { attempts: bannedAt(6) }), policy }, message: 'after 5 failures; the policy allows 5' },
    {
      name: 'dropped after 4 failures (two connections in a row without CONNACK)',
      facts: {
        'mqtt.loginRestriction': r('restricted', 'the broker stopped answering after 4 failed logins', {
          attempts: [...refusedSeries(4), { n: 5, outcome: 'no-connack', detail: 'closed', ms: 3 }, { n: 6, outcome: 'connect-failed', detail: 'ECONNREFUSED', ms: 1 }],
        }),
        policy,
      },
      message: 'after 4 failures',
    },
    { name: 'banned after 12 failures, a lenient policy (maxFailures 20)', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 13 ended with banned', { attempts: bannedAt(13) }), policy: lenient } },
    {
      name: 'banned, though "not authorized" may have been about the client ID',
      facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned', { clientIdProven: false, attempts: [...eightNotAuthorized.slice(0, 5), { n: 6, outcome: 'banned', code: 0x8a, ms: 1 }] }), policy },
      message: 'banned',
    },
  ],
  bad: [
    { name: 'all refused promptly', facts: { 'mqtt.loginRestriction': r('unrestricted', '12 failed logins were all refused promptly', { attempts: refusedSeries(12) }), policy }, message: 'the policy allows 5 failed logins' },
    { name: 'banned, but only after 6 failures where the policy allows 5', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 7 ended with banned', { attempts: bannedAt(7) }), policy }, severity: 'low', message: 'restricted only after 6 failures (attempt 7 ended with banned): the policy allows 5' },
    { name: 'banned after 5 failures, a strict policy (maxFailures 3)', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned', { attempts: bannedAt(6) }), policy: strict }, severity: 'low', message: 'the policy allows 3' },
    {
      name: 'throttled from the 9th attempt on',
      facts: {
        'mqtt.loginRestriction': r('restricted', 'answers slowed from ~2 ms to 900/950/990 ms (throttling)', {
          attempts: [...refusedSeries(8), ...[900, 950, 990].map((ms, i) => ({ ...refused(9 + i), ms }))],
        }),
        policy,
      },
      severity: 'low',
      message: 'only after 8 failures',
    },
    {
      name: 'all refused promptly as "not authorized", no random client ID seen accepted (no --username)',
      facts: { 'mqtt.loginRestriction': r('unrestricted', '8 failed logins were all refused promptly', { clientIdProven: false, attempts: eightNotAuthorized }), policy },
      message: 'which Mosquitto also sends for a client ID outside clientid_prefixes: give --username',
    },
  ],
  skip: [
    { name: 'no authentication at all', facts: { 'mqtt.loginRestriction': r('no-authentication', 'random credentials accepted'), policy } },
    { name: 'too few attempts', facts: { 'mqtt.loginRestriction': r('inconclusive', 'only 2 attempts'), policy } },
    {
      name: '12 prompt refusals prove nothing when the policy allows 20 failures',
      facts: { 'mqtt.loginRestriction': r('unrestricted', '12 failed logins were all refused promptly', { attempts: refusedSeries(12) }), policy: lenient },
      message: 'raise --login-attempts to 22',
    },
    {
      name: 'no refusal observed at all',
      facts: {
        'mqtt.loginRestriction': r('inconclusive', 'the first attempt already ended with other-code (client identifier not valid)', {
          clientIdProven: false,
          attempts: [{ n: 1, outcome: 'other-code', code: 0x85, codeName: 'client identifier not valid', ms: 1 }],
        }),
        policy,
      },
    },
  ],
} satisfies CheckCases;
