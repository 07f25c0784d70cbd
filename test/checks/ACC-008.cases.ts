import type { LoginRestriction } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';

const r = (verdict: LoginRestriction['verdict'], reason: string): LoginRestriction => ({
  username: 'mw-probe-0123456789ab',
  clientIdProven: true,
  attempts: [{ n: 1, outcome: 'refused', code: 0x86, codeName: 'bad user name or password', ms: 2 }],
  durationMs: 2000,
  verdict,
  reason,
});

export default {
  good: [{ name: 'banned after some attempts', facts: { 'mqtt.loginRestriction': r('restricted', 'attempt 6 ended with banned') }, message: 'banned' }],
  bad: [{ name: 'all refused promptly', facts: { 'mqtt.loginRestriction': r('unrestricted', '12 failed logins were all refused promptly') } }],
  skip: [
    { name: 'no authentication at all', facts: { 'mqtt.loginRestriction': r('no-authentication', 'random credentials accepted') } },
    { name: 'too few attempts', facts: { 'mqtt.loginRestriction': r('inconclusive', 'only 2 attempts') } },
  ],
} satisfies CheckCases;
