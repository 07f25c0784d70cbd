import type { CredentialGuess } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';

const refused = { protocolVersion: 5 as const, code: 0x86, codeName: 'bad user name or password', accepted: false, refusal: 'auth' as const };
const guess = (over: Partial<CredentialGuess>): CredentialGuess => ({
  control: refused,
  attempts: 13,
  refusedAuth: 12,
  clientIdProven: true,
  refusedOther: 0,
  errors: 0,
  stoppedBy: 'list-exhausted',
  accepted: [],
  ...over,
});

export default {
  good: [
    { name: 'nothing accepted', facts: { 'mqtt.credentials': guess({}) } },
  ],
  bad: [
    {
      name: 'admin/public accepted',
      facts: { 'mqtt.credentials': guess({ accepted: [{ username: 'admin', password: '[redacted]', source: 'built-in' }] }) },
      message: 'admin (built-in)',
    },
  ],
  skip: [
    { name: 'control accepted: no authentication', facts: { 'mqtt.credentials': guess({ control: { ...refused, code: 0, accepted: true } }) } },
    { name: 'broker stopped answering', facts: { 'mqtt.credentials': guess({ stoppedBy: 'refused-connections' }) } },
    { name: 'control failed', facts: { 'mqtt.credentials': guess({ control: { error: 'timeout' } }) } },
    {
      name: 'control refused as server busy: passwords were never tested',
      facts: { 'mqtt.credentials': guess({ control: { ...refused, code: 0x89, codeName: 'server busy', refusal: 'other' }, refusedAuth: 0 }) },
    },
    { name: 'every guess refused with a non-auth code', facts: { 'mqtt.credentials': guess({ refusedAuth: 0, refusedOther: 12 }) } },
    {
      name: '"not authorized" control while no random client ID was seen accepted (clientid_prefixes?)',
      facts: { 'mqtt.credentials': guess({ control: { ...refused, code: 0x87, codeName: 'not authorized', refusal: 'not-authorized' }, clientIdProven: false, refusedAuth: 0 }) },
      message: 'clientid_prefixes',
    },
    // A list not tried to its end proves nothing about the rest of it.
    { name: 'budget reached, nothing accepted', facts: { 'mqtt.credentials': guess({ stoppedBy: 'max-attempts', attempts: 5, refusedAuth: 4 }) }, message: 'stopped by max-attempts' },
    { name: 'time bound reached, nothing accepted', facts: { 'mqtt.credentials': guess({ stoppedBy: 'max-seconds', attempts: 3, refusedAuth: 2 }) }, message: '--max-seconds' },
    { name: 'a ban after one real guess', facts: { 'mqtt.credentials': guess({ refusedAuth: 1, refusedOther: 11 }) }, message: '11 of 12' },
  ],
} satisfies CheckCases;
