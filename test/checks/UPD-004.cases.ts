import type { CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'no reboot pending', facts: { 'sys.reboot': { required: false, packages: [], source: 'no /run/reboot-required' } } }],
  skip: [
    {
      name: 'offline root without the flag or a captured kernel release',
      facts: { 'sys.reboot': { required: false, packages: [], source: 'no /mnt/var/run/reboot-required', unknown: 'offline root /mnt: no reboot-required flag and no captured proc/sys/kernel/osrelease' } },
      message: 'not determined',
    },
  ],
  bad: [{ name: 'kernel update waits for a reboot', facts: { 'sys.reboot': { required: true, packages: ['linux-image-6.1.0-28-amd64'], source: '/run/reboot-required' } }, message: 'linux-image' }],
} satisfies CheckCases;
