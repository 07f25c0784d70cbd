import type { CheckCases } from './fixtures.js';
import { chain, firewall, rule } from './system-fixtures.js';

const dashboard = { ports: [{ port: 18083, kind: 'dashboard' as const, product: 'emqx' as const }] };

export default {
  good: [
    { name: 'drop policy, 1883 not allowed', facts: { 'sys.firewall': firewall([chain({ rules: [rule({ establishedOnly: true }), rule({ dports: [8883], proto: 'tcp' })] })]) } },
    { name: '1883 only from a source set', facts: { 'sys.firewall': firewall([chain({ rules: [rule({ dports: [1883], proto: 'tcp', restricted: true })] })]) }, message: 'some sources' },
    { name: 'explicit drop of 1883 in an accept chain', facts: { 'sys.firewall': firewall([chain({ policy: 'accept', rules: [rule({ dports: [1883], verdict: 'drop' })] })]) } },
  ],
  bad: [
    { name: 'no firewall at all', facts: { 'sys.firewall': firewall([]) }, message: 'no input filtering' },
    { name: '1883 accepted from anywhere', facts: { 'sys.firewall': firewall([chain({ rules: [rule({ dports: [1883, 8883], proto: 'tcp' })] })]) }, severity: 'medium' },
    {
      name: 'dashboard reachable through a jump',
      facts: {
        'sys.firewall': firewall([chain({ rules: [rule({ verdict: { jump: 'svc' } })] }), chain({ name: 'svc', input: false, policy: undefined, rules: [rule({ dports: [18083] })] })], dashboard),
      },
      severity: 'high',
    },
  ],
  skip: [
    { name: 'nothing to judge', facts: { 'sys.firewall': firewall([], { ports: [] }) } },
    {
      name: 'active but opaque (nftables.conf offline)',
      facts: { 'sys.firewall': firewall([], { source: 'persisted', backends: [{ name: 'nftables', active: true, detail: '/etc/nftables.conf present', chains: [] }] }) },
      message: 'could not be evaluated',
    },
  ],
} satisfies CheckCases;
