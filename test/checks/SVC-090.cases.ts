import type { CheckCases } from './fixtures.js';
import { portCheck } from './ports-fixtures.js';
import { DEFAULT_POLICY, PolicySchema } from '../../src/config/policy.js';

/** The fixture plan: peers 10.0.0.11-13, clients 10.0.0.0/16, admins 192.168.1.0/24. */
const both = PolicySchema.parse({ networks: { clients: ['10.0.0.0/8'], management: ['10.0.0.0/24', '192.168.1.0/24'] } });
const anywhere = portCheck({
  planned: [
    { port: 1883, proto: 'tcp', service: 'mqtt', audience: 'any', nodes: ['emqx1@10.0.0.11'] },
    { port: 8883, proto: 'tcp', service: 'mqtts', audience: 'any', nodes: ['emqx1@10.0.0.11'] },
  ],
  networks: { peers: ['10.0.0.11'], clients: [], admins: [] },
});

export default {
  good: [
    { name: 'every planned network inside the allowed ones', facts: { 'ports.check': portCheck(), policy: both }, message: 'only to networks the policy allows' },
    { name: 'only client networks in the policy, and the plan keeps to them', facts: { 'ports.check': portCheck(), policy: PolicySchema.parse({ networks: { clients: ['10.0.0.0/16'] } }) } },
    { name: 'clients from anywhere, and the policy allows anywhere', facts: { 'ports.check': anywhere, policy: PolicySchema.parse({ networks: { clients: ['0.0.0.0/0', '::/0'] } }) } },
    { name: 'no admin ports planned: admin networks are not judged', facts: { 'ports.check': portCheck({ planned: portCheck().planned.filter((p) => p.audience !== 'admins'), networks: { ...portCheck().networks, admins: ['203.0.113.0/24'] } }), policy: both } },
  ],
  bad: [
    {
      name: 'cluster peers outside the management networks (high)',
      facts: { 'ports.check': portCheck({ networks: { ...portCheck().networks, peers: ['10.0.0.11', '10.0.1.12'] } }), policy: both },
      severity: 'high',
      message: "opens tcp/4371 (erlang-dist), tcp/5371 (cluster-rpc) to cluster peers at 10.0.1.12, outside the policy's management networks (10.0.0.0/24, 192.168.1.0/24; networks.management)",
    },
    {
      name: 'the dashboard to an admin network wider than the policy (medium)',
      facts: { 'ports.check': portCheck({ networks: { ...portCheck().networks, admins: ['192.168.0.0/16'] } }), policy: both },
      severity: 'medium',
      message: 'tcp/18084 (dashboard-https) to admins at 192.168.0.0/16',
    },
    {
      name: 'client networks wider than the policy',
      facts: { 'ports.check': portCheck(), policy: PolicySchema.parse({ networks: { clients: ['10.0.1.0/24'] } }) },
      message: "to clients at 10.0.0.0/16, outside the policy's client networks (10.0.1.0/24; networks.clients)",
    },
    { name: 'MQTT planned for anyone while the policy names client networks', facts: { 'ports.check': anywhere, policy: both }, message: 'opens tcp/1883 (mqtt), tcp/8883 (mqtts) to anyone (no client networks)' },
  ],
  skip: [{ name: 'the default policy lists no networks', facts: { 'ports.check': portCheck(), policy: DEFAULT_POLICY }, message: 'lists no allowed networks' }],
} satisfies CheckCases;
