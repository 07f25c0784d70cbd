import type { CheckCases } from './fixtures.js';
import { updates } from './system-fixtures.js';
import { DEFAULT_POLICY as policy, PolicySchema } from '../../src/config/policy.js';

export default {
  good: [
    { name: 'nothing pending', facts: { 'sys.updates': updates(), policy } },
    { name: 'lists 10 days old under a monthly cadence (updates.maxListsAgeDays 30)', facts: { 'sys.updates': updates([], { listsAgeDays: 10 }), policy: PolicySchema.parse({ updates: { maxListsAgeDays: 30 } }) } },
  ],
  bad: [{ name: 'two updates pending', facts: { 'sys.updates': updates([{ name: 'bash' }, { name: 'libssl3', security: true }]), policy }, message: '2 package updates pending' }],
  skip: [
    { name: 'nothing pending but the lists are old', facts: { 'sys.updates': updates([], { listsAgeDays: 90 }), policy }, message: '90 days old' },
    { name: 'lists 10 days old under the default weekly cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 10 }), policy }, message: "10 days old, older than the policy's 7 (updates.maxListsAgeDays" },
    { name: 'nothing pending in the lists apt used, but it ignored others', facts: { 'sys.updates': updates([], { unusedLists: ['a_dists_x_main_binary-ARCH_Packages', 'b_dists_y_main_binary-ARCH_Packages'] }), policy }, message: 'ignores 2 package lists' },
  ],
} satisfies CheckCases;
