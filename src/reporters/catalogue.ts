/** Renders the check catalogue for `mqtt-warden checks`. */
import type { CheckMeta } from '../core/types.js';
import type { STRATEGIES } from '../core/types.js';
import type { Coverage } from '../compliance/index.js';

export const CATALOGUE_FORMATS = ['terminal', 'json', 'markdown'] as const;
export type CatalogueFormat = (typeof CATALOGUE_FORMATS)[number];

export function renderCatalogue(metas: readonly CheckMeta[], strategies: typeof STRATEGIES, format: CatalogueFormat): string {
  if (format === 'json') return `${JSON.stringify(metas, null, 2)}\n`;
  const lines: string[] = [];
  for (const s of strategies) {
    const own = metas.filter((m) => m.strategy === s.id);
    if (format === 'markdown') {
      lines.push(`## ${s.number}. ${s.title}`, '');
      if (!own.length) lines.push('_No checks yet._', '');
      else {
        lines.push('| ID | Title | Severity | Scope | Intrusive |', '|---|---|---|---|---|');
        for (const m of own) {
          lines.push(`| [${m.id}](docs/checks/${m.id}.md) | ${m.title.replace(/\|/g, '\\|')} | ${m.severity} | ${m.scope} | ${m.intrusive ? 'yes' : 'no'} |`);
        }
        lines.push('');
      }
    } else {
      lines.push(`${s.number}. ${s.title}`);
      if (!own.length) lines.push('   (no checks yet)');
      for (const m of own) {
        lines.push(`   ${m.id}  ${m.severity.padEnd(8)} ${m.intrusive ? 'intrusive ' : ''}${m.title}`);
      }
    }
  }
  lines.push(`${metas.length} checks, ${metas.filter((m) => m.intrusive).length} intrusive (run with --intrusive).`);
  return `${lines.join('\n')}\n`;
}

/** `checks --framework`: every control of the framework with the checks that give evidence for it. */
export function renderCoverage(c: Coverage, format: CatalogueFormat): string {
  const covered = c.controls.filter((x) => x.checks.length).length;
  if (format === 'json') return `${JSON.stringify({ framework: { id: c.framework.id, title: c.framework.title, source: c.framework.source }, covered, listed: c.controls.length, controls: c.controls }, null, 2)}\n`;
  const head = `${c.framework.title}: checks give evidence for ${covered} controls (controls no check touches are not listed). Source: ${c.framework.source}`;
  if (format === 'markdown') {
    return `${[`## ${c.framework.title}`, '', head, '', '| Control | Title | Checks |', '|---|---|---|', ...c.controls.map((x) => `| ${x.id} | ${x.title} | ${x.checks.join(', ') || 'none'} |`)].join('\n')}\n`;
  }
  const w = Math.max(...c.controls.map((x) => x.id.length));
  return `${[head, '', ...c.controls.map((x) => `  ${x.id.padEnd(w)}  ${x.title}\n  ${' '.repeat(w)}  ${x.checks.length ? x.checks.join(', ') : '(no check)'}`)].join('\n')}\n`;
}
