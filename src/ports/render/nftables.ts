/**
 * nftables rendering: one `inet` table of mqtt-warden's own (IPv4 and IPv6 in
 * one ruleset), named interval sets per audience and family, and an input
 * chain with policy drop. Re-applying is idempotent and atomic on nft ≥ 0.9
 * (no `destroy`, which needs nft 1.0.8): `table X` creates the table if
 * missing, `delete table X` removes it with whatever an earlier version left,
 * and the definition follows — all in one `nft -f` transaction.
 *
 * Note: a drop in any base chain is final, so this table's policy drop
 * applies even where other tables accept; what it accepts may still be
 * dropped by other tables (the guard's ban table, at priority -10, drops
 * banned addresses before this chain runs).
 *
 * The table carries the owner mark `comment "mqtt-warden ports"`; `ports
 * --apply` and `--remove` refuse to touch a table of that name without it.
 */
import { OWNER_MARK } from '../../firewall/marks.js';
import type { Network } from '../net.js';
import type { FirewallOptions, FirewallSpec, RuleAudience } from '../spec.js';

/** ICMP types worth accepting; ICMPv6 neighbour discovery is required for IPv6 to work at all. */
export const ICMP_TYPES = ['echo-request', 'destination-unreachable', 'time-exceeded', 'parameter-problem'];
export const ICMPV6_TYPES = [
  'destination-unreachable',
  'packet-too-big',
  'time-exceeded',
  'parameter-problem',
  'echo-request',
  'nd-router-solicit',
  'nd-router-advert',
  'nd-neighbor-solicit',
  'nd-neighbor-advert',
  'mld-listener-query',
];

export function validateName(name: string): string {
  if (!/^[A-Za-z][A-Za-z0-9_]{0,28}$/.test(name)) throw new Error(`firewall name ${JSON.stringify(name)}: use a letter then letters, digits or '_' (at most 29)`);
  return name;
}

export function nftPriority(p: number): string {
  return p === 0 ? 'filter' : p > 0 ? `filter + ${p}` : `filter - ${-p}`;
}

function setDecl(name: string, family: 4 | 6, elements: Network[]): string {
  const type = family === 4 ? 'ipv4_addr' : 'ipv6_addr';
  const els = elements.filter((e) => e.family === family).map((e) => e.text);
  return `\tset ${name} {\n\t\ttype ${type}\n\t\tflags interval\n${els.length ? `\t\telements = { ${els.join(', ')} }\n` : ''}\t}`;
}

export function renderNftables(spec: FirewallSpec, opts: FirewallOptions, header = true): string {
  const table = validateName(opts.name);
  const lines: string[] = [];
  if (header) {
    lines.push('#!/usr/sbin/nft -f');
    lines.push(`# mqtt-warden port plan for ${spec.nodes.join(', ')}${spec.addresses.length ? ` (${spec.addresses.join(', ')})` : ''}`);
    lines.push(`# apply: nft -f FILE   remove: nft delete table inet ${table}`);
    lines.push(`# loading this file replaces any table inet ${table}; \`mqtt-warden ports --apply\` first checks that it is the port plan's own`);
  }
  lines.push(`table inet ${table}`, `delete table inet ${table}`, `table inet ${table} {`, `\tcomment "${OWNER_MARK.ports}"`);
  const sets: string[] = [];
  for (const a of ['peers', 'clients', 'admins'] as const) {
    sets.push(setDecl(`${a}_v4`, 4, spec.sets[a]), setDecl(`${a}_v6`, 6, spec.sets[a]));
  }
  lines.push(sets.join('\n\n'), '');
  lines.push('\tchain input {');
  lines.push(`\t\ttype filter hook input priority ${nftPriority(opts.priority)}; policy drop;`);
  lines.push('\t\tct state established,related accept');
  lines.push('\t\tct state invalid drop');
  lines.push('\t\tiif "lo" accept');
  lines.push(`\t\ticmp type { ${ICMP_TYPES.join(', ')} } accept`);
  lines.push(`\t\ticmpv6 type { ${ICMPV6_TYPES.join(', ')} } accept`);
  for (const r of spec.rules) {
    const comment = ` comment "${r.comment}"`;
    if (r.audiences.includes('any')) {
      lines.push(`\t\t${r.proto} dport ${r.port} accept${comment}`);
      continue;
    }
    for (const a of r.audiences as Exclude<RuleAudience, 'any'>[]) {
      lines.push(`\t\t${r.proto} dport ${r.port} ip saddr @${a}_v4 accept${comment}`);
      lines.push(`\t\t${r.proto} dport ${r.port} ip6 saddr @${a}_v6 accept${comment}`);
    }
  }
  lines.push('\t}', '}');
  return `${lines.join('\n')}\n`;
}
