import type { CheckCases } from './fixtures.js';
import { portCheck, sock } from './ports-fixtures.js';

const wildcardDist = [...portCheck().sockets.filter((s) => s.port !== 4371), sock('tcp', 4371, '0.0.0.0', ['beam.smp[812]'])];

export default {
  good: [
    {
      name: 'restricted ports bound to the node address',
      facts: { 'ports.check': portCheck({ sockets: [...portCheck().sockets.filter((s) => s.port !== 8883), sock('tcp', 8883, '10.0.0.11')], firewall: { tested: false, reason: 'offline root /img' } }) },
    },
    {
      name: 'a port planned for anyone may listen everywhere',
      facts: {
        'ports.check': portCheck({
          planned: portCheck().planned.map((p) => (p.port === 8883 ? { ...p, audience: 'any' } : p)),
          firewall: { tested: true, table: 'inet mqtt_warden', state: 'absent' },
        }),
      },
    },
    { name: 'wildcard, but the planned firewall is live', facts: { 'ports.check': portCheck({ sockets: wildcardDist }) }, message: 'planned firewall' },
  ],
  bad: [
    {
      name: 'distribution on every interface, no firewall',
      facts: { 'ports.check': portCheck({ sockets: wildcardDist, firewall: { tested: true, table: 'inet mqtt_warden', state: 'absent' } }) },
      severity: 'high',
      message: 'tcp/4371 (erlang-dist, planned for peers)',
    },
    {
      name: 'a loopback-only listener bound to the network, firewall differs',
      facts: {
        'ports.check': portCheck({
          sockets: [...portCheck().sockets.filter((s) => s.port !== 1883), sock('tcp', 1883, '10.0.0.11')],
          firewall: { tested: true, table: 'inet mqtt_warden', state: 'differs', diff: '-x\n+y' },
        }),
      },
      severity: 'medium',
      message: 'planned for loopback only',
    },
  ],
  error: [
    {
      name: 'wildcard and the firewall could not be read',
      facts: { 'ports.check': portCheck({ sockets: wildcardDist, firewall: { tested: false, error: true, reason: 'nft is not installed' } }) },
      message: 'nft is not installed',
    },
  ],
} satisfies CheckCases;
