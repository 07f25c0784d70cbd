/** firewalld rendering: firewall-cmd commands with rich rules in one zone (permanent, then reload). */
import type { FirewallSpec, RuleAudience } from '../spec.js';

export function renderFirewalld(spec: FirewallSpec, zone = 'public'): string {
  if (!/^[A-Za-z0-9_-]{1,17}$/.test(zone)) throw new Error(`firewalld zone ${JSON.stringify(zone)}: letters, digits, '_' and '-' only`);
  const fc = `firewall-cmd --permanent --zone=${zone}`;
  const lines = [
    '#!/bin/sh',
    `# mqtt-warden port plan for ${spec.nodes.join(', ')} (firewalld, zone ${zone})`,
    '# Services already enabled in the zone stay open: review `firewall-cmd --zone=' + zone + ' --list-all`.',
    'set -e',
  ];
  if (spec.rules.some((r) => r.comment.includes('ssh'))) lines.push(`${fc} --remove-service=ssh  # SSH only from the admin networks below`);
  for (const r of spec.rules) {
    if (r.audiences.includes('any')) {
      lines.push(`${fc} --add-port=${r.port}/${r.proto}  # ${r.comment}`);
      continue;
    }
    for (const a of r.audiences as Exclude<RuleAudience, 'any'>[]) {
      const nets = spec.sets[a];
      if (!nets.length) lines.push(`# ${r.port}/${r.proto} (${a}): no ${a} network given, not opened`);
      for (const n of nets) {
        lines.push(
          `${fc} --add-rich-rule='rule family="ipv${n.family}" source address="${n.text}" port port="${r.port}" protocol="${r.proto}" accept'  # ${r.comment}`,
        );
      }
    }
  }
  lines.push('firewall-cmd --reload');
  return `${lines.join('\n')}\n`;
}
