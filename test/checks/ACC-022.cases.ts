import type { CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'hashes and locked accounts', facts: { 'sys.accounts': { file: '/etc/shadow', emptyPassword: [], withPassword: 2 } } }],
  bad: [{ name: 'empty password', facts: { 'sys.accounts': { file: '/etc/shadow', emptyPassword: [{ user: 'operator', line: 22 }], withPassword: 1 } }, line: 22, message: 'operator' }],
} satisfies CheckCases;
