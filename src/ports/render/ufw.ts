/** ufw rendering: a shell script of ufw commands (ufw handles IPv4 and IPv6 itself when IPV6=yes). */
import type { FirewallSpec, RuleAudience } from '../spec.js';

export function renderUfw(spec: FirewallSpec): string {
  const lines = [
    '#!/bin/sh',
    `# mqtt-warden port plan for ${spec.nodes.join(', ')} (ufw)`,
    'set -e',
    'ufw default deny incoming',
    'ufw default allow outgoing',
  ];
  for (const r of spec.rules) {
    const tail = `to any port ${r.port} proto ${r.proto} comment '${r.comment}'`;
    if (r.audiences.includes('any')) {
      lines.push(`ufw allow from any ${tail}`);
      continue;
    }
    for (const a of r.audiences as Exclude<RuleAudience, 'any'>[]) {
      const nets = spec.sets[a];
      if (!nets.length) lines.push(`# ${r.port}/${r.proto} (${a}): no ${a} network given, not opened`);
      for (const n of nets) lines.push(`ufw allow from ${n.text} ${tail}`);
    }
  }
  lines.push('ufw --force enable');
  return `${lines.join('\n')}\n`;
}
