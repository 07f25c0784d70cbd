import type { CheckCases } from './fixtures.js';
import { updates } from './system-fixtures.js';
import { DEFAULT_POLICY as policy, PolicySchema } from '../../src/config/policy.js';

export default {
  good: [
    { name: 'nothing pending', facts: { 'sys.updates': updates(), policy } },
    { name: 'only ordinary updates pending', facts: { 'sys.updates': updates([{ name: 'bash' }]), policy } },
    { name: 'lists 10 days old under a monthly cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 10 }), policy: PolicySchema.parse({ updates: { maxListsAgeDays: 30 } }) } },
  ],
  bad: [
    {
      name: 'a security update pending',
      facts: { 'sys.updates': updates([{ name: 'bash' }, { name: 'libssl3', from: '3.0.11-1~deb12u2', to: '3.0.19-1~deb12u2', security: true, origin: 'Debian-Security:12/oldstable-security' }]), policy },
      message: 'libssl3 3.0.11-1~deb12u2 → 3.0.19-1~deb12u2',
    },
  ],
  skip: [
    { name: 'stale lists', facts: { 'sys.updates': updates([], { listsAgeDays: 45 }), policy } },
    { name: 'lists 10 days old under the default weekly cadence', facts: { 'sys.updates': updates([], { listsAgeDays: 10 }), policy }, message: "older than the policy's 7" },
    {
      name: 'the security suite\'s list is one apt ignores: not "no security update pending"',
      facts: { 'sys.updates': updates([{ name: 'bash' }], { unusedLists: ['deb.debian.org_debian-security_dists_bookworm-security_main_binary-ARCH_Packages'] }), policy },
      message: 'ignores 1 package list with nothing usable beside them (deb.debian.org_debian-security_dists_bookworm-security_main_binary-ARCH_Packages)',
    },
  ],
} satisfies CheckCases;
