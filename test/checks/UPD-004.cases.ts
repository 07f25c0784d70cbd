import type { CheckCases } from './fixtures.js';

export default {
  good: [{ name: 'no reboot pending', facts: { 'sys.reboot': { required: false, packages: [], source: 'no /run/reboot-required' } } }],
  bad: [{ name: 'kernel update waits for a reboot', facts: { 'sys.reboot': { required: true, packages: ['linux-image-6.1.0-28-amd64'], source: '/run/reboot-required' } }, message: 'linux-image' }],
} satisfies CheckCases;
