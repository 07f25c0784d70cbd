import type { CheckCases } from './fixtures.js';
import { ssh } from './system-fixtures.js';

export default {
  good: [
    { name: 'no', facts: { 'sys.ssh': ssh() } },
    { name: 'default prohibit-password', facts: { 'sys.ssh': ssh({ permitRootLogin: { value: 'prohibit-password', isDefault: true } }) }, message: 'default' },
  ],
  bad: [{ name: 'yes', facts: { 'sys.ssh': ssh({ permitRootLogin: { value: 'yes', isDefault: false, location: { file: '/etc/ssh/sshd_config', line: 32, column: 1 } } }) }, line: 32 }],
} satisfies CheckCases;
