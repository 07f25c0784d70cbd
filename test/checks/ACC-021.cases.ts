import type { CheckCases } from './fixtures.js';
import { ssh } from './system-fixtures.js';

export default {
  good: [{ name: 'no', facts: { 'sys.ssh': ssh() } }],
  bad: [
    { name: 'default yes', facts: { 'sys.ssh': ssh({ passwordAuthentication: { value: 'yes', isDefault: true } }) }, message: 'default' },
    { name: 'explicit yes', facts: { 'sys.ssh': ssh({ passwordAuthentication: { value: 'yes', isDefault: false, location: { file: '/etc/ssh/sshd_config.d/50-cloud.conf', line: 1, column: 1 } } }) }, line: 1 },
  ],
} satisfies CheckCases;
