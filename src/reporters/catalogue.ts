/** Renders the check catalogue for `mqtt-warden checks`. */
import type { CheckMeta } from '../core/types.js';
import type { STRATEGIES } from '../core/types.js';

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
