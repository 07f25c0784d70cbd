/**
 * The security policy as a file and as a document, both from one table (rules.ts):
 * - `policyInitYaml`: the commented policy file `policy init` writes (every value with its default, what it
 *   means, why that default and which checks enforce it);
 * - `renderPolicy`: the organisation's readable security policy (Markdown or a self-contained HTML page), each
 *   rule stated with its value and linked to the checks that enforce it, so the document and the enforcement
 *   cannot drift apart.
 * Pure: the catalogue's metadata comes in as an argument.
 */
import { STRATEGIES, type CheckMeta } from '../core/types.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import { POLICY_RULES, policyValue, type PolicyRule } from './rules.js';

export const POLICY_DOC_FORMATS = ['markdown', 'html'] as const;
export type PolicyDocFormat = (typeof POLICY_DOC_FORMATS)[number];

const yamlScalar = (v: unknown): string => (Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : typeof v === 'string' ? JSON.stringify(v) : String(v));

/** The commented policy file with the defaults (or the given policy's values). */
export function policyInitYaml(p: Policy = DEFAULT_POLICY): string {
  const out: string[] = [
    '# mqtt-warden security policy',
    '#',
    '# The organisation\'s choices for its MQTT brokers. `mqtt-warden lint`, `audit` and `passwd` judge against',
    '# them (--policy FILE, or `policy:` in the project file mqtt-warden.yaml); `mqtt-warden policy render` turns',
    '# this file into the readable security policy; `mqtt-warden policy validate` checks it.',
    '# Every value below is the default: delete a line to keep the default, change it to tighten or relax.',
    '',
    '# Who the policy belongs to (shown in the rendered document; judged by nothing).',
    'organisation:',
    `  name: ${yamlScalar(p.organisation.name ?? 'Example Ltd')}`,
    `  owner: ${yamlScalar(p.organisation.owner ?? 'Head of IT security')}`,
    `  contact: ${yamlScalar(p.organisation.contact ?? 'security@example.com')}`,
    `  reviewed: ${yamlScalar(p.organisation.reviewed ?? new Date().toISOString().slice(0, 10))}`,
  ];
  const sections = [...new Set(POLICY_RULES.map((r) => r.key.split('.')[0]!))];
  for (const section of sections) {
    const rules = POLICY_RULES.filter((x) => x.key.startsWith(`${section}.`));
    const lines: string[] = [];
    let set = 0;
    for (const r of rules) {
      const name = r.key.slice(section.length + 1);
      lines.push(`  # ${r.title}: ${r.rationale}.`, `  # Enforced by ${r.checks.join(', ')}${r.commands?.length ? `; used by ${r.commands.join(', ')}` : ''}.`);
      const v = policyValue(p, r.key);
      // An optional value without default (listeners.allowed, networks.*) is shown commented out, with an example.
      if (v === undefined) lines.push(`  # ${name}: ${r.example ?? '…'}`);
      else {
        lines.push(`  ${name}: ${yamlScalar(v)}`);
        set++;
      }
    }
    // A section whose values are all commented out is an empty mapping, not null.
    out.push('', set ? `${section}:` : `${section}: {}`, ...(set ? lines : lines.map((l) => `#${l.slice(1)}`)));
  }
  return `${out.join('\n')}\n`;
}

/** What the document says of a drill (the built-in drills' files: id, title, description, the checks it exercises). */
export interface DocDrill {
  id: string;
  title: string;
  description: string;
  checks: readonly string[];
}

interface DocRule {
  rule: PolicyRule;
  statement: string;
  checks: CheckMeta[];
  /** The drills that rehearse it: those exercising one of its checks, and the required drills for the drill rules. */
  drills: DocDrill[];
}

function docRules(p: Policy, catalogue: readonly CheckMeta[], drills: readonly DocDrill[]): DocRule[] {
  const byId = new Map(catalogue.map((m) => [m.id, m]));
  return POLICY_RULES.map((rule) => ({
    rule,
    statement: rule.statement(p),
    checks: rule.checks.map((id) => {
      const m = byId.get(id);
      if (!m) throw new Error(`policy rule ${rule.key} names ${id}, which is not in the catalogue`);
      return m;
    }),
    drills: drills.filter((d) => d.checks.some((c) => rule.checks.includes(c)) || (rule.key.startsWith('drills.') && p.drills.required.includes(d.id))),
  }));
}

const drillAnchor = (id: string) => `drill-${id}`;
const drillsUsed = (rules: readonly DocRule[]) => [...new Map(rules.flatMap((r) => r.drills.map((d) => [d.id, d] as const))).values()].sort((a, b) => a.id.localeCompare(b.id));

const anchor = (id: string) => `check-${id.toLowerCase()}`;

function header(p: Policy): { title: string; facts: [string, string][] } {
  const o = p.organisation;
  return {
    title: `MQTT security policy${o.name ? ` of ${o.name}` : ''}`,
    facts: [
      ['Owner', o.owner ?? 'not named'],
      ['Contact for weaknesses and incidents', o.contact ?? 'not named'],
      ['Last reviewed', o.reviewed ?? 'not recorded'],
    ],
  };
}

const md = (s: string) => s.replace(/([\\`*_[\]<>|])/g, '\\$1');

function markdown(p: Policy, rules: DocRule[], source: string): string {
  const h = header(p);
  const out = [`# ${md(h.title)}`, '', ...h.facts.map(([k, v]) => `- **${k}:** ${md(v)}`), ''];
  out.push(
    `This policy states the security requirements for the MQTT brokers (Mosquitto, EMQX) of the organisation, grouped by the five strategies of the MQTT hardening programme. Each rule names the mqtt-warden checks that enforce it: \`mqtt-warden lint\` and \`mqtt-warden audit\` judge configurations and running brokers against the same file this document was generated from (${md(source)}).`,
    '',
  );
  for (const s of STRATEGIES) {
    const own = rules.filter((r) => r.rule.strategy === s.id);
    if (!own.length) continue;
    out.push(`## ${s.number}. ${s.title}`, '');
    for (const r of own) {
      out.push(`### ${md(r.rule.title)}`, '', md(r.statement), '', `Enforced by: ${r.checks.map((c) => `[${c.id}](#${anchor(c.id)}) (${md(c.title)})`).join(', ')}.`);
      if (r.rule.commands?.length) out.push('', `Applied by: ${r.rule.commands.map((c) => `\`mqtt-warden ${c.replace(/ \(.*$/, '')}\``).join(', ')}.`);
      if (r.drills.length) out.push('', `Rehearsed by: ${r.drills.map((d) => `[${d.id}](#${drillAnchor(d.id)})`).join(', ')}.`);
      out.push('');
    }
  }
  const used = [...new Map(rules.flatMap((r) => r.checks.map((c) => [c.id, c] as const))).values()].sort((a, b) => a.id.localeCompare(b.id));
  out.push('## Appendix: the checks that enforce this policy', '');
  for (const c of used) {
    out.push(`<a id="${anchor(c.id)}"></a>`, `### ${c.id}: ${md(c.title)}`, '', md(c.description), '', `**Remediation:** ${md(c.remediation)}`, '');
  }
  const drills = drillsUsed(rules);
  if (drills.length) {
    out.push('## Appendix: the drills that rehearse this policy', '', `Run with \`mqtt-warden drill run ID --target URL --history\`${p.drills.owner ? ` by ${md(p.drills.owner)}` : ''}; every required drill must hold at least every ${p.drills.cadenceDays} days.`, '');
    for (const d of drills) {
      out.push(`<a id="${drillAnchor(d.id)}"></a>`, `### ${d.id}: ${md(d.title)}${p.drills.required.includes(d.id) ? ' (required)' : ''}`, '', md(d.description), '', `Exercises: ${d.checks.length ? d.checks.join(', ') : 'no check of the catalogue'}.`, '');
    }
  }
  return `${out.join('\n')}\n`;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** Inline `code` spans of the catalogue's texts as <code>, after escaping. */
const rich = (s: string) => esc(s).replace(/`([^`]+)`/g, '<code>$1</code>');

function html(p: Policy, rules: DocRule[], source: string): string {
  const h = header(p);
  const body: string[] = [`<h1>${esc(h.title)}</h1>`, '<dl>', ...h.facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`), '</dl>'];
  body.push(
    `<p>This policy states the security requirements for the MQTT brokers (Mosquitto, EMQX) of the organisation, grouped by the five strategies of the MQTT hardening programme. Each rule names the mqtt-warden checks that enforce it: <code>mqtt-warden lint</code> and <code>mqtt-warden audit</code> judge configurations and running brokers against the same file this document was generated from (${esc(source)}).</p>`,
  );
  for (const s of STRATEGIES) {
    const own = rules.filter((r) => r.rule.strategy === s.id);
    if (!own.length) continue;
    body.push(`<section><h2>${s.number}. ${esc(s.title)}</h2>`);
    for (const r of own) {
      body.push(
        `<article class="rule"><h3>${esc(r.rule.title)}</h3><p>${rich(r.statement)}</p>`,
        `<p class="enforced">Enforced by: ${r.checks.map((c) => `<a href="#${anchor(c.id)}">${esc(c.id)}</a> (${esc(c.title)})`).join(', ')}.</p>`,
        ...(r.rule.commands?.length ? [`<p class="enforced">Applied by: ${r.rule.commands.map((c) => `<code>mqtt-warden ${esc(c.replace(/ \(.*$/, ''))}</code>`).join(', ')}.</p>`] : []),
        ...(r.drills.length ? [`<p class="enforced">Rehearsed by: ${r.drills.map((d) => `<a href="#${drillAnchor(d.id)}">${esc(d.id)}</a>`).join(', ')}.</p>`] : []),
        '</article>',
      );
    }
    body.push('</section>');
  }
  const used = [...new Map(rules.flatMap((r) => r.checks.map((c) => [c.id, c] as const))).values()].sort((a, b) => a.id.localeCompare(b.id));
  body.push('<section><h2>Appendix: the checks that enforce this policy</h2>');
  for (const c of used) body.push(`<article id="${anchor(c.id)}"><h3>${esc(c.id)}: ${esc(c.title)}</h3><p>${rich(c.description)}</p><p><strong>Remediation:</strong> ${rich(c.remediation)}</p></article>`);
  body.push('</section>');
  const drills = drillsUsed(rules);
  if (drills.length) {
    body.push(
      '<section><h2>Appendix: the drills that rehearse this policy</h2>',
      `<p>Run with <code>mqtt-warden drill run ID --target URL --history</code>${p.drills.owner ? ` by ${esc(p.drills.owner)}` : ''}; every required drill must hold at least every ${p.drills.cadenceDays} days.</p>`,
    );
    for (const d of drills) {
      body.push(`<article id="${drillAnchor(d.id)}"><h3>${esc(d.id)}: ${esc(d.title)}${p.drills.required.includes(d.id) ? ' (required)' : ''}</h3><p>${rich(d.description)}</p><p>Exercises: ${esc(d.checks.length ? d.checks.join(', ') : 'no check of the catalogue')}.</p></article>`);
    }
    body.push('</section>');
  }
  const css =
    'body{font:16px/1.5 system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}h1{font-size:1.8rem}h2{border-bottom:1px solid #ccc;margin-top:2.5rem}' +
    'dt{font-weight:600}dd{margin:0 0 .5rem}code{background:#f2f2f2;padding:0 .2rem;border-radius:3px;overflow-wrap:anywhere}.rule{margin:1rem 0}.enforced{color:#444;font-size:.95rem}' +
    '@media print{body{margin:0;max-width:none}a{color:inherit;text-decoration:none}h2{break-after:avoid}article{break-inside:avoid}}';
  return `<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n<title>${esc(h.title)}</title>\n<style>${css}</style>\n</head>\n<body>\n${body.join('\n')}\n</body>\n</html>\n`;
}

/** The readable security policy from a validated policy and the check catalogue's metadata. */
export function renderPolicy(p: Policy, catalogue: readonly CheckMeta[], format: PolicyDocFormat, source: string, drills: readonly DocDrill[] = []): string {
  const rules = docRules(p, catalogue, drills);
  return format === 'html' ? html(p, rules, source) : markdown(p, rules, source);
}
