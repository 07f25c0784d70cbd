import type { CheckCases } from './fixtures.js';
import { updates } from './system-fixtures.js';

export default {
  good: [{ name: 'nothing pending', facts: { 'sys.updates': updates() } }],
  bad: [{ name: 'two updates pending', facts: { 'sys.updates': updates([{ name: 'bash' }, { name: 'libssl3', security: true }]) }, message: '2 package updates pending' }],
  skip: [
    { name: 'nothing pending but the lists are old', facts: { 'sys.updates': updates([], { listsAgeDays: 90 }) }, message: '90 days old' },
    { name: 'nothing pending in the lists apt used, but it ignored others', facts: { 'sys.updates': updates([], { unusedLists: ['a_dists_x_main_binary-ARCH_Packages', 'b_dists_y_main_binary-ARCH_Packages'] }) }, message: 'ignores 2 package lists' },
  ],
} satisfies CheckCases;
