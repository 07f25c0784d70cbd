import type { LoginAttempt, LoginRestriction } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';

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

export default {
  good: [
    { name: 'banned after some attempts', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned') }, message: 'banned' },
    {
      name: 'banned, though "not authorized" may have been about the client ID',
      facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned', { clientIdProven: false, attempts: [...eightNotAuthorized.slice(0, 5), { n: 6, outcome: 'banned', code: 0x8a, ms: 1 }] }) },
      message: 'banned',
    },
  ],
  bad: [
    { name: 'all refused promptly', facts: { 'mqtt.loginRestriction': r('unrestricted', '12 failed logins were all refused promptly') } },
    {
      name: 'all refused promptly as "not authorized", no random client ID seen accepted (no --username)',
      facts: { 'mqtt.loginRestriction': r('unrestricted', '8 failed logins were all refused promptly', { clientIdProven: false, attempts: eightNotAuthorized }) },
      message: 'which Mosquitto also sends for a client ID outside clientid_prefixes: give --username',
    },
  ],
  skip: [
    { name: 'no authentication at all', facts: { 'mqtt.loginRestriction': r('no-authentication', 'random credentials accepted') } },
    { name: 'too few attempts', facts: { 'mqtt.loginRestriction': r('inconclusive', 'only 2 attempts') } },
    {
      name: 'no refusal observed at all',
      facts: {
        'mqtt.loginRestriction': r('inconclusive', 'the first attempt already ended with other-code (client identifier not valid)', {
          clientIdProven: false,
          attempts: [{ n: 1, outcome: 'other-code', code: 0x85, codeName: 'client identifier not valid', ms: 1 }],
        }),
      },
    },
  ],
} satisfies CheckCases;
