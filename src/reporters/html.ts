/**
 * The HTML report: one self-contained file (inline CSS, script and SVG; nothing is
 * fetched, it works from file:// and prints). Reference: docs/html-report.md.
 *
 * - Rendered here, as escaped markup: the run (options, timing, targets), the summary
 *   with a chart per strategy, the trend over earlier runs (with --history), the fleet
 *   groups (src/reporters/aggregate.ts), the fix of every failed check once, the notes.
 * - Rendered in the browser by src/reporters/html-client.ts from the report data: the
 *   findings table (sortable, filterable, paged) and the fleet matrix.
 *
 * The data is embedded as JSON in <script type="application/json"> with every `<`
 * written as \u003c, so no text of a hostile broker can close the element. It is compact:
 * a check's title, fix and references once, and every other text once in a string table,
 * so a 1,000-endpoint report stays a few MB. A Content-Security-Policy allows only the
 * page's own style and script (by hash) and no network at all.
 */
import { createHash } from 'node:crypto';
import { SEVERITIES, STATUSES, STRATEGIES, severityRank, type CheckResult, type Report, type Severity, type Status } from '../core/types.js';
import { aggregateResults, SUBJECT_PLACEHOLDER, type FleetAggregate } from './aggregate.js';
import { HTML_CLIENT } from './html-client.js';
import { where } from './place.js';

/** One earlier run (or this one) of the same scope, for the trend chart. */
export interface TrendPoint {
  run: number;
  startedAt: string;
  failuresBySeverity: Record<Severity, number>;
  errors: number;
}

export interface HtmlOptions {
  /** Runs of the same scope from the history, oldest first, this run last. */
  trend?: readonly TrendPoint[];
}

/** Fleet groups listed in the fleet table; the findings table has every result. */
const GROUPS_SHOWN = 100;
const TARGETS_LISTED = 50;

const SEVERITY_COLORS: Record<Severity, string> = { critical: '#7f1d1d', high: '#dc2626', medium: '#d97706', low: '#0e7490', info: '#64748b' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** JSON that can sit inside a <script> element: no `<` (so no `</script>` or `<!--`), no line separators. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

const count = (n: number) => n.toLocaleString('en-US');

interface CheckInfo {
  id: string;
  title: string;
  strategy: string;
  remediation: string;
  references: readonly string[];
}

/** The report as the page's script reads it: checks once, strings once, results as index tuples. */
export interface HtmlData {
  strings: string[];
  checks: CheckInfo[];
  /** [check, status, severity, subject, message, evidence (-1: none), place, suppression (-1: none)] */
  results: number[][];
}

export function htmlData(report: Report): HtmlData {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const str = (s: string) => {
    let i = index.get(s);
    if (i === undefined) {
      i = strings.push(s) - 1;
      index.set(s, i);
    }
    return i;
  };
  const checks: CheckInfo[] = [];
  const checkIndex = new Map<string, number>();
  const results = report.results.map((r) => {
    let c = checkIndex.get(r.checkId);
    if (c === undefined) {
      c = checks.push({ id: r.checkId, title: r.title, strategy: r.strategy, remediation: r.remediation, references: r.references }) - 1;
      checkIndex.set(r.checkId, c);
    }
    const evidence = Object.keys(r.evidence).length ? str(JSON.stringify(r.evidence)) : -1;
    return [c, STATUSES.indexOf(r.status), SEVERITIES.indexOf(r.severity), str(r.subject), str(r.message), evidence, str(where(r)), r.suppression ? str(suppressionText(r)) : -1];
  });
  return { strings, checks, results };
}

function suppressionText(r: CheckResult): string {
  const s = r.suppression!;
  if (s.kind === 'baseline') return s.reason;
  return `waiver: ${s.reason}${s.expires ? `, until ${s.expires}` : ''}${s.source ? ` (${s.source})` : ''}`;
}

// ---------------------------------------------------------------- static parts

function runSection(report: Report): string {
  const o = report.options;
  const rows: [string, string][] = [
    ['Command', report.command],
    ['Tool', `${report.tool.name} ${report.tool.version}`],
    ['Started', report.startedAt],
    ['Finished', report.finishedAt],
    ['Duration', `${(report.durationMs / 1000).toFixed(2)} s`],
    ['Identity', o.identity],
    ['Intrusive probes', o.intrusive ? 'yes' : 'no'],
    ['Host checks', o.host ? 'yes' : 'no'],
    ['Network probes', o.network ? 'yes' : 'no'],
    ['Fail on', o.failOn],
    ['Targets', count(report.targets.length)],
  ];
  const dl = rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd data-option="${escapeHtml(k)}">${escapeHtml(v)}</dd>`).join('');
  const targets = report.targets.slice(0, TARGETS_LISTED).map((t) => `<li><code>${escapeHtml(t.uri)}</code>${t.explicit ? '' : ' <span class="dim">(discovered)</span>'}</li>`);
  const more = report.targets.length > TARGETS_LISTED ? `<li class="dim">… and ${count(report.targets.length - TARGETS_LISTED)} more (the fleet matrix lists every target)</li>` : '';
  return `<section id="run"><h2>Run</h2><dl class="opts">${dl}</dl>${report.targets.length ? `<details class="targets"><summary>Targets</summary><ul>${targets.join('')}${more}</ul></details>` : ''}</section>`;
}

function summaryCards(report: Report): string {
  const s = report.summary;
  const total = s.PASS + s.FAIL + s.SKIP + s.ERROR;
  const card = (key: string, label: string, n: number, cls: string) => `<div class="card ${cls}"><span class="n" data-count="${key}">${count(n)}</span><span class="l">${escapeHtml(label)}</span></div>`;
  const sev = [...SEVERITIES].reverse().map((x) => card(`sev-${x}`, x, s.failuresBySeverity[x], `sev-card sev-${x}`));
  return [
    '<div class="cards">',
    card('total', 'results', total, ''),
    card('FAIL', 'failed', s.FAIL, 'b-FAIL'),
    card('ERROR', 'errors', s.ERROR, 'b-ERROR'),
    card('SKIP', 'skipped', s.SKIP, 'b-SKIP'),
    card('PASS', 'passed', s.PASS, 'b-PASS'),
    card('suppressed', 'suppressed', s.suppressed, ''),
    card('notApplicable', 'not applicable', s.notApplicable, ''),
    '</div><div class="cards">',
    ...sev,
    '</div>',
  ].join('');
}

interface StrategyCounts {
  bySeverity: Record<Severity, number>;
  status: Record<Status, number>;
}

function strategyCounts(report: Report): Map<string, StrategyCounts> {
  const out = new Map<string, StrategyCounts>();
  for (const st of STRATEGIES) {
    out.set(st.id, { bySeverity: Object.fromEntries(SEVERITIES.map((x) => [x, 0])) as Record<Severity, number>, status: { PASS: 0, FAIL: 0, SKIP: 0, ERROR: 0 } });
  }
  for (const r of report.results) {
    const c = out.get(r.strategy);
    if (!c) continue;
    c.status[r.status]++;
    if (r.status === 'FAIL' && !r.suppression) c.bySeverity[r.severity]++;
  }
  return out;
}

/** Horizontal stacked bars: the unsuppressed FAILs of every strategy by severity. */
function strategyChart(counts: Map<string, StrategyCounts>): string {
  const labelW = 300;
  const barW = 380;
  const rowH = 26;
  const max = Math.max(1, ...[...counts.values()].map((c) => SEVERITIES.reduce((n, s) => n + c.bySeverity[s], 0)));
  const rows = STRATEGIES.map((st, i) => {
    const c = counts.get(st.id)!;
    const y = 24 + i * rowH;
    let x = labelW;
    const bars = [...SEVERITIES]
      .reverse()
      .filter((s) => c.bySeverity[s] > 0)
      .map((s) => {
        const w = Math.max(2, (c.bySeverity[s] / max) * barW);
        const rect = `<rect x="${x.toFixed(1)}" y="${y - 14}" width="${w.toFixed(1)}" height="18" fill="${SEVERITY_COLORS[s]}"><title>${escapeHtml(`${st.title}: ${c.bySeverity[s]} ${s}`)}</title></rect>`;
        x += w;
        return rect;
      })
      .join('');
    const total = SEVERITIES.reduce((n, s) => n + c.bySeverity[s], 0);
    return `<text x="0" y="${y}" class="lbl">${st.number}. ${escapeHtml(st.title)}</text>${bars}<text x="${(x + 6).toFixed(1)}" y="${y}" class="val">${count(total)}</text>`;
  });
  const legend = [...SEVERITIES]
    .reverse()
    .map((s, i) => `<rect x="${labelW + i * 78}" y="0" width="10" height="10" fill="${SEVERITY_COLORS[s]}"/><text x="${labelW + 14 + i * 78}" y="9" class="lgd">${s}</text>`)
    .join('');
  const h = 24 + STRATEGIES.length * rowH;
  return `<svg class="chart" viewBox="0 0 ${labelW + barW + 60} ${h}" role="img" aria-label="Failed checks per strategy and severity">${legend}${rows.join('')}</svg>`;
}

function strategyTable(counts: Map<string, StrategyCounts>): string {
  const head = `<tr><th>Strategy</th>${[...SEVERITIES].reverse().map((s) => `<th class="num">${s}</th>`).join('')}<th class="num">ERROR</th><th class="num">SKIP</th><th class="num">PASS</th></tr>`;
  const rows = STRATEGIES.map((st) => {
    const c = counts.get(st.id)!;
    const sev = [...SEVERITIES].reverse().map((s) => `<td class="num" data-strategy="${st.id}" data-severity="${s}">${count(c.bySeverity[s])}</td>`).join('');
    return `<tr><th>${st.number}. ${escapeHtml(st.title)}</th>${sev}<td class="num">${count(c.status.ERROR)}</td><td class="num">${count(c.status.SKIP)}</td><td class="num">${count(c.status.PASS)}</td></tr>`;
  });
  return `<div class="scroll"><table class="strategies"><thead>${head}</thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function summarySection(report: Report): string {
  const counts = strategyCounts(report);
  return `<section id="summary"><h2>Summary</h2>${summaryCards(report)}${strategyChart(counts)}${strategyTable(counts)}</section>`;
}

/** Unsuppressed FAILs per severity over the runs of the same scope: stacked columns. */
function trendSection(trend: readonly TrendPoint[]): string {
  if (trend.length < 2) return '';
  const w = 640;
  const h = 200;
  const pad = 30;
  const totals = trend.map((p) => SEVERITIES.reduce((n, s) => n + p.failuresBySeverity[s], 0));
  const max = Math.max(1, ...totals);
  const step = (w - pad * 2) / trend.length;
  const barW = Math.max(2, Math.min(40, step * 0.7));
  const cols = trend.map((p, i) => {
    let y = h - pad;
    const x = pad + i * step + (step - barW) / 2;
    const rects = SEVERITIES.filter((s) => p.failuresBySeverity[s] > 0)
      .map((s) => {
        const bh = (p.failuresBySeverity[s] / max) * (h - pad * 2);
        y -= bh;
        return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barW.toFixed(1)}" height="${bh.toFixed(1)}" fill="${SEVERITY_COLORS[s]}"><title>${escapeHtml(`run ${p.run} (${p.startedAt}): ${p.failuresBySeverity[s]} ${s}`)}</title></rect>`;
      })
      .join('');
    const label = trend.length <= 12 || i % Math.ceil(trend.length / 12) === 0 ? `<text x="${(x + barW / 2).toFixed(1)}" y="${h - pad + 14}" class="tick">#${p.run}</text>` : '';
    return `${rects}<text x="${(x + barW / 2).toFixed(1)}" y="${(y - 4).toFixed(1)}" class="tick">${count(totals[i]!)}</text>${label}`;
  });
  const axis = `<line x1="${pad}" y1="${h - pad}" x2="${w - pad}" y2="${h - pad}" class="axis"/>`;
  return `<section id="trend"><h2>Trend</h2><p class="dim">Unsuppressed findings per severity in the last ${trend.length} runs of this scope (the history database), this run last.</p><svg class="chart" viewBox="0 0 ${w} ${h}" role="img" aria-label="Findings per run">${axis}${cols.join('')}</svg></section>`;
}

function fleetSection(agg: FleetAggregate): string {
  if (agg.subjects < 2) return '';
  const groups = agg.groups.slice(0, GROUPS_SHOWN).map((g) => {
    const sev = g.status === 'FAIL' ? `<span class="sev sev-${g.severity}">${g.severity}</span>` : '';
    const examples = g.examples.map((e) => `<code>${escapeHtml(e)}</code>`).join(', ') + (g.subjects > g.examples.length ? ` … and ${count(g.subjects - g.examples.length)} more` : '');
    return `<tr class="${g.suppressed ? 'is-suppressed' : ''}"><td><span class="badge b-${g.status}">${g.status}</span> ${sev}</td><td><b>${escapeHtml(g.checkId)}</b> <span class="title">${escapeHtml(g.title)}</span></td><td class="num" data-group-subjects>${count(g.subjects)}</td><td>${escapeHtml(g.message.split(SUBJECT_PLACEHOLDER).join('‹target›'))}<div class="dim small">${examples}</div></td></tr>`;
  });
  const more = agg.groups.length > GROUPS_SHOWN ? `<p class="dim">… and ${count(agg.groups.length - GROUPS_SHOWN)} more groups (the findings table has every result).</p>` : '';
  return `<section id="fleet"><h2>Fleet</h2><p>${count(agg.subjects)} subjects, ${count(agg.subjectsWithFindings)} with findings. Identical findings on several subjects are one line.</p>
<div class="scroll"><table class="groups"><thead><tr><th>Status</th><th>Check</th><th class="num">Subjects</th><th>Finding</th></tr></thead><tbody>${groups.join('')}</tbody></table></div>${more}
<h3>Matrix</h3><p class="dim">Every subject × check, coloured by its worst result. Click a cell to list its findings.</p>
<div class="legend">${[...SEVERITIES].reverse().map((s) => `<span class="m m-${s}"></span>${s}`).join(' ')} <span class="m m-ERROR"></span>error <span class="m m-SKIP"></span>skipped <span class="m m-PASS"></span>passed <span class="m m-suppressed"></span>suppressed</div>
<div id="matrix" class="scroll matrix-box"><noscript>The matrix needs JavaScript.</noscript></div></section>`;
}

function findingsSection(report: Report): string {
  const strategies = STRATEGIES.map((s) => `<option value="${s.id}">${s.number}. ${escapeHtml(s.title)}</option>`).join('');
  const severities = [...SEVERITIES].reverse().map((s) => `<option value="${s}">${s}</option>`).join('');
  const statuses = STATUSES.map((s) => `<option value="${s}">${s}</option>`).join('');
  const th = (key: string, label: string) => `<th data-sort="${key}" aria-sort="none"><button type="button">${label}</button></th>`;
  return `<section id="findings"><h2>Results</h2>
<form id="filters" class="filters" hidden>
<label>Strategy <select name="strategy"><option value="">all</option>${strategies}</select></label>
<label>Severity <select name="severity"><option value="">all</option>${severities}</select></label>
<label>Status <select name="status"><option value="">all</option><option value="attention">FAIL and ERROR (not suppressed)</option>${statuses}</select></label>
<label>Check <select name="check"><option value="">all</option></select></label>
<label>Target <input name="target" type="search" placeholder="URI, host or file" autocomplete="off"></label>
<button type="reset">Clear</button>
</form>
<noscript><p>The results table needs JavaScript; the JSON report (-f json) has every result.</p></noscript>
<p id="shown-count" class="dim" aria-live="polite">${count(report.results.length)} results</p>
<div class="scroll"><table id="findings-table" class="findings"><thead><tr>${th('status', 'Status')}${th('severity', 'Severity')}${th('check', 'Check')}${th('place', 'Target / place')}${th('message', 'Finding')}</tr></thead><tbody id="findings-body"></tbody></table></div>
<button type="button" id="show-more" hidden>Show more</button></section>`;
}

/** The fix of every check that failed, once, most severe first. */
function fixesSection(report: Report): string {
  const worst = new Map<string, CheckResult>();
  for (const r of report.results) {
    if (r.status !== 'FAIL' || r.suppression) continue;
    const w = worst.get(r.checkId);
    if (!w || severityRank(r.severity) > severityRank(w.severity)) worst.set(r.checkId, r);
  }
  if (!worst.size) return '';
  const items = [...worst.values()]
    .sort((a, b) => severityRank(b.severity) - severityRank(a.severity) || (a.checkId < b.checkId ? -1 : 1))
    .map((r) => {
      const refs = r.references.length
        ? `<ul class="refs">${r.references.map((x) => (/^https?:\/\//.test(x) ? `<li><a href="${escapeHtml(x)}" rel="noreferrer noopener">${escapeHtml(x)}</a></li>` : `<li>${escapeHtml(x)}</li>`)).join('')}</ul>`
        : '';
      return `<article class="fix-item" id="fix-${escapeHtml(r.checkId)}"><h3><span class="sev sev-${r.severity}">${r.severity}</span> ${escapeHtml(r.checkId)} ${escapeHtml(r.title)}</h3><pre class="fix">${escapeHtml(r.remediation.trim())}</pre>${refs}</article>`;
    });
  return `<section id="fixes"><h2>How to fix</h2>${items.join('')}</section>`;
}

function notesSection(report: Report): string {
  if (!report.notes.length) return '';
  return `<section id="notes"><h2>Notes</h2><ul>${report.notes.map((n) => `<li>${escapeHtml(n)}</li>`).join('')}</ul></section>`;
}

const CSS = `
:root{--fg:#111827;--bg:#fff;--dim:#6b7280;--line:#e5e7eb;--head:#f3f4f6;--crit:${SEVERITY_COLORS.critical};--high:${SEVERITY_COLORS.high};--med:${SEVERITY_COLORS.medium};--low:${SEVERITY_COLORS.low};--info:${SEVERITY_COLORS.info};--pass:#15803d;--skip:#9ca3af;--err:#a21caf}
*{box-sizing:border-box}
body{margin:0 auto;max-width:1200px;padding:1rem;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin:1.6rem 0 .6rem;border-bottom:2px solid var(--line)}h3{font-size:1rem}h4{margin:.6rem 0 .2rem;font-size:.9rem}
a,td,li{overflow-wrap:anywhere}
code,pre{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{white-space:pre-wrap;word-break:break-word;background:var(--head);padding:.5rem;border-radius:4px;margin:.2rem 0}
.dim{color:var(--dim)}.small{font-size:.85rem}.num{text-align:right;font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto}
dl.opts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem 1rem;margin:0}dl.opts dt{color:var(--dim)}dl.opts dd{margin:0;word-break:break-all}
.cards{display:flex;flex-wrap:wrap;gap:.5rem;margin:.5rem 0}
.card{border:1px solid var(--line);border-radius:6px;padding:.4rem .8rem;min-width:6.5rem;display:flex;flex-direction:column}
.card .n{font-size:1.4rem;font-weight:600}.card .l{color:var(--dim);font-size:.85rem}
.card.b-FAIL .n{color:var(--high)}.card.b-ERROR .n{color:var(--err)}.card.b-PASS .n{color:var(--pass)}.card.b-SKIP .n{color:var(--dim)}
.sev-card.sev-critical .n{color:var(--crit)}.sev-card.sev-high .n{color:var(--high)}.sev-card.sev-medium .n{color:var(--med)}.sev-card.sev-low .n{color:var(--low)}.sev-card.sev-info .n{color:var(--info)}
svg.chart{width:100%;max-width:720px;height:auto;display:block;margin:.5rem 0}
svg .lbl,svg .val,svg .lgd,svg .tick{font:12px system-ui,sans-serif;fill:var(--fg)}svg .tick{text-anchor:middle;font-size:10px}svg .axis{stroke:var(--dim)}
table{border-collapse:collapse;width:100%}th,td{border-bottom:1px solid var(--line);padding:.3rem .45rem;text-align:left;vertical-align:top}
thead th{background:var(--head);position:sticky;top:0}
th button{all:unset;cursor:pointer;font-weight:600}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.badge{display:inline-block;min-width:3.4rem;text-align:center;border-radius:3px;padding:0 .3rem;color:#fff;font-size:.8rem;font-weight:600}
.b-FAIL.badge{background:var(--high)}.b-ERROR.badge{background:var(--err)}.b-SKIP.badge{background:var(--skip)}.b-PASS.badge{background:var(--pass)}
.sev{font-weight:600}.sev-critical{color:var(--crit)}.sev-high{color:var(--high)}.sev-medium{color:var(--med)}.sev-low{color:var(--low)}.sev-info{color:var(--info)}
.title{display:block;color:var(--dim);font-size:.85rem}.groups .title{display:inline}
.is-suppressed{opacity:.6}
td.c-place code{word-break:break-all}
details summary{cursor:pointer;word-break:break-word}details .more{padding:.3rem 0 .3rem 1rem}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin:.5rem 0}.filters label{display:flex;flex-direction:column;font-size:.85rem;color:var(--dim)}
.filters select,.filters input{font:inherit;max-width:18rem;padding:.2rem}
#show-more{margin:.6rem 0;font:inherit;padding:.3rem 1rem}
.matrix-box{max-height:70vh;overflow:auto;border:1px solid var(--line);content-visibility:auto;contain-intrinsic-size:auto 600px}
#fixes,#notes,#run,#findings .scroll{content-visibility:auto;contain-intrinsic-size:auto 800px}
table.findings{table-layout:fixed}table.findings th:nth-child(1){width:5.5rem}table.findings th:nth-child(2){width:5.5rem}table.findings th:nth-child(3){width:22%}table.findings th:nth-child(4){width:24%}
table.matrix{width:auto;border-collapse:separate;border-spacing:1px}
table.matrix th,table.matrix td{border:0;padding:0}
table.matrix th.row{font:11px ui-monospace,monospace;white-space:nowrap;padding-right:.4rem;position:sticky;left:0;background:var(--bg)}
table.matrix th.col{font:10px ui-monospace,monospace;height:5.5rem;vertical-align:bottom;white-space:nowrap}
table.matrix th.col span{display:inline-block;writing-mode:vertical-rl;transform:rotate(180deg)}
.m{display:inline-block;width:14px;height:14px;vertical-align:middle}td.m{display:table-cell;cursor:pointer}
.m-critical{background:var(--crit)}.m-high{background:var(--high)}.m-medium{background:var(--med)}.m-low{background:var(--low)}.m-info{background:var(--info)}
.m-ERROR{background:var(--err)}.m-SKIP{background:#d1d5db}.m-PASS{background:#86efac}.m-suppressed{background:#c4b5fd}.m-none{background:transparent}
.legend{font-size:.85rem;margin:.3rem 0}.legend .m{margin:0 .2rem 0 .6rem}
.fix-item{border-left:3px solid var(--line);padding-left:.7rem;margin:.8rem 0}.fix-item h3{margin:.2rem 0}
@media (max-width:700px){
 body{padding:.5rem;font-size:14px}
 table.findings thead{display:none}
 table.findings{table-layout:auto}
 table.findings tr{display:block;border-bottom:2px solid var(--line);padding:.3rem 0}
 table.findings td{display:block;border:0;padding:.1rem .2rem}
 table.findings td.c-status,table.findings td.c-sev{display:inline-block}
 dl.opts{grid-template-columns:1fr}dl.opts dt{font-weight:600}
}
@media print{
 body{max-width:none;font-size:11px}
 .filters,#show-more,th button::after,.legend{display:none}
 thead th{position:static}
 .matrix-box{max-height:none;overflow:visible;border:0}
 .matrix-box,#fixes,#notes,#run,#findings .scroll{content-visibility:visible}
 details .more{display:block}
 tr,.fix-item,.card{break-inside:avoid}
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 a{color:inherit}
}
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export function renderHtml(report: Report, opts: HtmlOptions = {}): string {
  const agg = aggregateResults(report.results);
  const data = htmlData(report);
  const title = `mqtt-warden ${report.command} report, ${report.startedAt.slice(0, 16).replace('T', ' ')} UTC, ${report.targets.length} target${report.targets.length === 1 ? '' : 's'}`;
  // Only this page's own style and script run; nothing is fetched (default-src 'none').
  const csp = `default-src 'none'; style-src ${hash(CSS)}; script-src ${hash(HTML_CLIENT)}; img-src data:; base-uri 'none'; form-action 'none'`;
  const s = report.summary;
  const findings = SEVERITIES.reduce((n, x) => n + s.failuresBySeverity[x], 0);
  const verdict = findings > 0 ? `${count(findings)} finding${findings === 1 ? '' : 's'}` : s.ERROR > 0 ? `no findings, ${count(s.ERROR)} errors` : 'no findings';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>mqtt-warden ${escapeHtml(report.command)} report: ${escapeHtml(verdict)}</h1>
<p class="dim">${escapeHtml(report.tool.name)} ${escapeHtml(report.tool.version)}, started ${escapeHtml(report.startedAt)}, ${escapeHtml((report.durationMs / 1000).toFixed(2))} s, ${count(report.targets.length)} target(s)</p></header>
<main>
${summarySection(report)}
${trendSection(opts.trend ?? [])}
${fleetSection(agg)}
${findingsSection(report)}
${fixesSection(report)}
${notesSection(report)}
${runSection(report)}
</main>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script>${HTML_CLIENT}</script>
</body>
</html>
`;
}
