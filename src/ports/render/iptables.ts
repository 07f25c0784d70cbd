/**
 * iptables / ip6tables rendering: a shell script that replaces only the port
 * plan's own chain (`MQTT_WARDEN` for table `mqtt_warden`) with one
 * `iptables-restore --noflush` transaction and adds one jump to it at the end
 * of INPUT when missing. Nothing else in the filter table is touched: not the
 * INPUT policy, not other chains (e.g. the guard's ban chain, whose jump sits
 * at the top of INPUT, so bans are decided before the plan accepts), not
 * Docker's rules. Loading it again is idempotent. The chain ends in DROP, so
 * whatever reaches the jump is decided by the plan.
 *
 * Ownership: every rule carries the comment "mqtt-warden ports: …"; the script
 * refuses to replace a chain of that name with rules not so marked (the
 * guard's, marked "mqtt-warden guard", or anybody else's).
 */
import { OWNER_MARK } from '../../firewall/marks.js';
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

function comment(what?: string): string {
  return `-m comment --comment "${OWNER_MARK.ports}${what ? `: ${what}` : ''}"`;
}

export function renderIptables(spec: FirewallSpec, opts: FirewallOptions, family: 4 | 6): string {
  const chain = iptablesChain(opts.name);
  const ipt = family === 4 ? 'iptables' : 'ip6tables';
  const jump = `${comment()} -j ${chain}`;
  const rules = [
    `-A ${chain} -m conntrack --ctstate RELATED,ESTABLISHED ${comment()} -j ACCEPT`,
    `-A ${chain} -m conntrack --ctstate INVALID ${comment()} -j DROP`,
    `-A ${chain} -i lo ${comment()} -j ACCEPT`,
  ];
  if (family === 4) for (const t of ICMP4) rules.push(`-A ${chain} -p icmp -m icmp --icmp-type ${t} ${comment()} -j ACCEPT`);
  else for (const t of ICMP6) rules.push(`-A ${chain} -p ipv6-icmp -m icmp6 --icmpv6-type ${t} ${comment()} -j ACCEPT`);
  for (const r of spec.rules) {
    const m = `-p ${r.proto} -m ${r.proto} --dport ${r.port} ${comment(r.comment)} -j ACCEPT`;
    if (r.audiences.includes('any')) {
      rules.push(`-A ${chain} ${m}`);
      continue;
    }
    for (const a of r.audiences as Exclude<RuleAudience, 'any'>[]) {
      for (const n of spec.sets[a].filter((x) => x.family === family)) rules.push(`-A ${chain} -s ${n.text} ${m}`);
    }
  }
  rules.push(`-A ${chain} ${comment()} -j DROP`);
  const lines = [
    '#!/bin/sh',
    `# mqtt-warden port plan for ${spec.nodes.join(', ')} (IPv${family})`,
    `# apply: sh FILE (as root). Replaces only chain ${chain} and adds one jump to it at the end of INPUT;`,
    '# the INPUT policy and every other chain stay as they are (rules earlier in INPUT still come first).',
    `# remove: ${ipt} -w -D INPUT ${jump}; ${ipt} -w -F ${chain}; ${ipt} -w -X ${chain}`,
    'set -eu',
    `chain=${chain}`,
    `mark='--comment "${OWNER_MARK.ports}'`,
    `if ${ipt} -w -S | grep -qx -- "-N $chain"; then`,
    `  if ${ipt} -w -S | grep -- "^-A $chain " | grep -qvF -- "$mark" || ! ${ipt} -w -S | grep -- "^-A $chain " | grep -qF -- "$mark"; then`,
    `    echo "refusing to replace ${ipt} chain $chain: it is not the mqtt-warden port plan's (rules without $mark\\")" >&2`,
    '    exit 1',
    '  fi',
    'fi',
    `${ipt}-restore -w 5 --noflush <<'EOF'`,
    '*filter',
    `:${chain} - [0:0]`,
    ...rules,
    'COMMIT',
    'EOF',
    `${ipt} -w -C INPUT ${jump} 2>/dev/null || ${ipt} -w -A INPUT ${jump}`,
  ];
  return `${lines.join('\n')}\n`;
}
