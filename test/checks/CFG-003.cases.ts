import type { CheckCases } from './fixtures.js';

export default {
  good: [
    { name: 'AppArmor enabled', facts: { 'sys.mac': { apparmor: { enabled: true, profiles: 40, source: '/sys/module/apparmor/parameters/enabled' }, looked: [], brokers: [] } } },
    { name: 'SELinux enforcing', facts: { 'sys.mac': { selinux: { mode: 'enforcing', source: '/sys/fs/selinux/enforce' }, looked: [], brokers: [] } } },
  ],
  bad: [
    { name: 'live kernel without SELinux or AppArmor', facts: { 'sys.mac': { looked: ['/sys/fs/selinux/enforce', '/sys/module/apparmor/parameters/enabled'], brokers: [] } }, message: 'no SELinux, no AppArmor' },
    { name: 'SELinux permissive', facts: { 'sys.mac': { selinux: { mode: 'permissive', source: '/etc/selinux/config' }, looked: [], brokers: [] } }, severity: 'low' },
  ],
  skip: [{ name: 'offline image without any MAC configuration', facts: { 'sys.mac': { looked: ['/etc/selinux/config', '/etc/apparmor.d'], brokers: [] } }, message: 'offline root' }],
} satisfies CheckCases;
