import type { CheckCases } from './fixtures.js';
import { portCheck } from './ports-fixtures.js';

export default {
  good: [{ name: 'the table is live and equal', facts: { 'ports.check': portCheck() } }],
  bad: [
    { name: 'the table is missing', facts: { 'ports.check': portCheck({ firewall: { tested: true, table: 'inet mqtt_warden', state: 'absent' } }) }, message: 'not loaded' },
    {
      name: 'the table drifted',
      facts: { 'ports.check': portCheck({ firewall: { tested: true, table: 'inet mqtt_warden', state: 'differs', diff: '-\t\ttcp dport 4371\n' } }) },
      message: 'differs',
    },
  ],
  skip: [{ name: 'offline root', facts: { 'ports.check': portCheck({ firewall: { tested: false, reason: 'offline root /img: the live firewall is not inspected' } }) } }],
  error: [{ name: 'nft failed', facts: { 'ports.check': portCheck({ firewall: { tested: false, error: true, reason: 'cannot compare the live firewall: nft is not installed' } }) } }],
} satisfies CheckCases;
