/**
 * iptables-restore / ip6tables-restore rendering. The file replaces the filter
 * table, the form `/etc/iptables/rules.v4|v6` (iptables-persistent) loads at
 * boot, so loading it again is idempotent: INPUT policy DROP and one jump into
 * mqtt-warden's own chain; FORWARD and OUTPUT keep policy ACCEPT. Without ipset,
 * every source network is one rule.
 */
import type { FirewallOptions, FirewallSpec, RuleAudience } from '../spec.js';
import { validateName } from './nftables.js';

const ICMP4 = ['echo-request', 'destination-unreachable', 'time-exceeded', 'parameter-problem'];
const ICMP6 = [
  'destination-unreachable',
  'packet-too-big',
  'time-exceeded',
  'parameter-problem',
  'echo-request',
  'router-solicitation',
  'router-advertisement',
  'neighbour-solicitation',
  'neighbour-advertisement',
];

export function iptablesChain(name: string): string {
  return validateName(name).toUpperCase().slice(0, 28);
}

export function renderIptables(spec: FirewallSpec, opts: FirewallOptions, family: 4 | 6): string {
  const chain = iptablesChain(opts.name);
  const cmd = family === 4 ? 'iptables-restore' : 'ip6tables-restore';
  const lines = [
    `# mqtt-warden port plan for ${spec.nodes.join(', ')} (IPv${family})`,
    `# apply: ${cmd} < FILE   (replaces the filter table; INPUT policy DROP, FORWARD/OUTPUT ACCEPT)`,
    '*filter',
    ':INPUT DROP [0:0]',
    ':FORWARD ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    `:${chain} - [0:0]`,
    `-A INPUT -j ${chain}`,
    `-A ${chain} -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT`,
    `-A ${chain} -m conntrack --ctstate INVALID -j DROP`,
    `-A ${chain} -i lo -j ACCEPT`,
  ];
  if (family === 4) for (const t of ICMP4) lines.push(`-A ${chain} -p icmp -m icmp --icmp-type ${t} -j ACCEPT`);
  else for (const t of ICMP6) lines.push(`-A ${chain} -p ipv6-icmp -m icmp6 --icmpv6-type ${t} -j ACCEPT`);
  for (const r of spec.rules) {
    const m = `-p ${r.proto} -m ${r.proto} --dport ${r.port} -m comment --comment "${r.comment}" -j ACCEPT`;
    if (r.audiences.includes('any')) {
      lines.push(`-A ${chain} ${m}`);
      continue;
    }
    for (const a of r.audiences as Exclude<RuleAudience, 'any'>[]) {
      for (const n of spec.sets[a].filter((x) => x.family === family)) lines.push(`-A ${chain} -s ${n.text} ${m}`);
    }
  }
  lines.push(`-A ${chain} -j DROP`, 'COMMIT');
  return `${lines.join('\n')}\n`;
}
