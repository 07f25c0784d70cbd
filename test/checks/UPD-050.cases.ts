import type { CheckCases } from './fixtures.js';
import { updates } from './system-fixtures.js';
import { DEFAULT_POLICY, PolicySchema } from '../../src/config/policy.js';

const policy = DEFAULT_POLICY;
const monthly = PolicySchema.parse({ updates: { maxListsAgeDays: 30 } });

export default {
  good: [
    { name: 'lists refreshed yesterday', facts: { 'sys.updates': updates(), policy }, message: 'the package lists are 1 day old (the policy allows 7)' },
    { name: 'exactly the cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 7 }), policy } },
    { name: '20 days under a monthly cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 20 }), policy: monthly } },
  ],
  bad: [
    { name: '8 days under the default weekly cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 8 }), policy }, message: "8 days old, older than the policy's 7 (updates.maxListsAgeDays)" },
    { name: '45 days under a monthly cadence, updates pending or not', facts: { 'sys.updates': updates([{ name: 'bash' }], { listsAgeDays: 45 }), policy: monthly }, message: "older than the policy's 30" },
  ],
  skip: [{ name: 'no list age (dnf)', facts: { 'sys.updates': { ...updates(), manager: 'dnf', source: 'dnf check-update', listsAgeDays: undefined }, policy }, message: 'dnf gives no age' }],
} satisfies CheckCases;
