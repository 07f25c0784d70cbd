/** Plan output: a terminal table, JSON, or Markdown. */
import type { Audience, PortPlan } from './types.js';

export const PLAN_FORMATS = ['table', 'json', 'markdown'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

function who(a: Audience): string {
  return a === 'any' ? 'anyone' : a === 'local' ? 'loopback only' : a;
}

function rows(plan: PortPlan): string[][] {
  return plan.nodes.flatMap((n) =>
    n.ports.length
      ? n.ports.map((p) => [n.name, `${p.port}/${p.proto}`, p.service, who(p.audience), p.source])
      : [[n.name, '-', 'none (outgoing only)', '-', 'remsh name']],
  );
}

const HEAD = ['node', 'port', 'service', 'who may connect', 'why'];

function networksText(plan: PortPlan): string[] {
  const list = (l: string[]) => (l.length ? l.join(', ') : '(none)');
  return [
    `peers:   ${list(plan.networks.peers)}`,
    `clients: ${plan.networks.clients.length ? plan.networks.clients.join(', ') : 'anyone (no --clients given)'}`,
    `admins:  ${list(plan.networks.admins)}`,
  ];
}

export function renderPlan(plan: PortPlan, format: PlanFormat): string {
  if (format === 'json') return `${JSON.stringify(plan, null, 2)}\n`;
  const body = rows(plan);
  if (format === 'markdown') {
    const esc = (s: string) => s.replace(/\|/g, '\\|');
    const out = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...body.map((r) => `| ${r.map(esc).join(' | ')} |`), ''];
    out.push(...networksText(plan).map((l) => `- ${l.replace(/:\s+/, ': ')}`), '');
    if (plan.warnings.length) out.push('**Warnings**', '', ...plan.warnings.map((w) => `- ${w.severity}: ${esc(w.message)}`), '');
    return `${out.join('\n')}`;
  }
  const widths = HEAD.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const out = [line(HEAD), line(widths.map((w) => '-'.repeat(w))), ...body.map(line), '', ...networksText(plan)];
  if (plan.warnings.length) out.push('', 'warnings:', ...plan.warnings.map((w) => `  [${w.severity}] ${w.message}`));
  return `${out.join('\n')}\n`;
}
