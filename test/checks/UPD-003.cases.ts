import type { CheckCases } from './fixtures.js';
import { updates } from './system-fixtures.js';

export default {
  good: [
    { name: 'nothing pending', facts: { 'sys.updates': updates() } },
    { name: 'only ordinary updates pending', facts: { 'sys.updates': updates([{ name: 'bash' }]) } },
  ],
  bad: [
    {
      name: 'a security update pending',
      facts: { 'sys.updates': updates([{ name: 'bash' }, { name: 'libssl3', from: '3.0.11-1~deb12u2', to: '3.0.19-1~deb12u2', security: true, origin: 'Debian-Security:12/oldstable-security' }]) },
      message: 'libssl3 3.0.11-1~deb12u2 → 3.0.19-1~deb12u2',
    },
  ],
  skip: [
    { name: 'stale lists', facts: { 'sys.updates': updates([], { listsAgeDays: 45 }) } },
    {
      name: 'the security suite\'s list is one apt ignores: not "no security update pending"',
      facts: { 'sys.updates': updates([{ name: 'bash' }], { unusedLists: ['deb.debian.org_debian-security_dists_bookworm-security_main_binary-ARCH_Packages'] }) },
      message: 'ignores 1 package list with nothing usable beside them (deb.debian.org_debian-security_dists_bookworm-security_main_binary-ARCH_Packages)',
    },
  ],
} satisfies CheckCases;
