/**
 * `lab score REPORT.json`: which of the lab's planted weaknesses an audit report found (the check that
 * must find it FAILed for the scenario's endpoint), which it missed (with the check's own verdict and a
 * hint), and which scenarios it did not audit at all. Pure: the report is parsed by the caller.
 */
import { z } from 'zod';
import { LAB_WEAKNESSES, scenarioByName, scenarioUrl, type LabWeakness } from './catalogue.js';

const ReportSchema = z.object({
  command: z.string(),
  options: z.object({ intrusive: z.boolean() }).loose(),
  targets: z.array(z.object({ uri: z.string() }).loose()),
  results: z.array(
    z
      .object({
        checkId: z.string(),
        subject: z.string(),
        status: z.enum(['PASS', 'FAIL', 'SKIP', 'ERROR']),
        message: z.string(),
        evidence: z.unknown().optional(),
      })
      .loose(),
  ),
});

export type AuditReportInput = z.infer<typeof ReportSchema>;

/** The report as the scorer needs it; throws an Error naming the file and the failing field. */
export function parseAuditReport(data: unknown, file: string): AuditReportInput {
  const r = ReportSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${file}: not a JSON report of \`mqtt-warden audit -f json\` (${issue.path.join('.') || '(top)'}: ${issue.message})`);
  }
  if (r.data.command !== 'audit') throw new Error(`${file}: a report of \`mqtt-warden ${r.data.command}\`, not of \`mqtt-warden audit\``);
  return r.data;
}

export type ScoreStatus = 'found' | 'missed' | 'not-audited';

export interface ScoredWeakness {
  weakness: LabWeakness;
  url: string;
  status: ScoreStatus;
  /** The check's verdict for the endpoint, when the report has one. */
  verdict?: { status: string; message: string };
  hint?: string;
}

export interface Score {
  found: number;
  total: number;
  results: ScoredWeakness[];
}

/** scheme://host:port[/path] in one spelling, so that `mqtt://localhost:21883` and the lab's URL compare equal. */
function endpointKey(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    const host = u.hostname === 'localhost' ? '127.0.0.1' : u.hostname.replace(/^\[(.*)\]$/, '$1');
    return `${u.protocol}//${host}:${u.port}${u.protocol.startsWith('ws') ? u.pathname : ''}`;
  } catch {
    return undefined;
  }
}

export interface ScoreLayout {
  bind: string;
  portBase: number;
  /** The scenarios that ran (the state file's, else the in-process ones). */
  scenarios: readonly string[];
}

export function scoreReport(report: AuditReportInput, layout: ScoreLayout): Score {
  const audited = new Set(report.targets.map((t) => endpointKey(t.uri)).concat(report.results.map((r) => endpointKey(r.subject))));
  const results: ScoredWeakness[] = [];
  for (const w of LAB_WEAKNESSES) {
    if (!layout.scenarios.includes(w.scenario)) continue;
    const s = scenarioByName(w.scenario)!;
    const url = scenarioUrl(s, layout.bind, layout.portBase);
    const key = endpointKey(url);
    if (!audited.has(key)) {
      results.push({ weakness: w, url, status: 'not-audited', hint: `audit ${url} (it is not among the report's targets)` });
      continue;
    }
    const candidates = report.results.filter((r) => {
      if (r.checkId !== w.checkId) return false;
      if (w.subject === 'endpoint') return endpointKey(r.subject) === key;
      // Host-scope checks (SVC-002) judge all the endpoints of the host at once and name them.
      return r.subject === layout.bind && (r.message.includes(url) || JSON.stringify(r.evidence ?? null).includes(url));
    });
    const verdict = candidates.find((r) => r.status === 'FAIL') ?? candidates[0] ?? report.results.find((r) => r.checkId === w.checkId && w.subject === 'host' && r.subject === layout.bind);
    if (verdict?.status === 'FAIL') {
      results.push({ weakness: w, url, status: 'found', verdict: { status: verdict.status, message: verdict.message } });
      continue;
    }
    const hint = w.intrusive && !report.options.intrusive ? `${w.checkId} only runs with --intrusive: audit again with --intrusive` : verdict ? w.hint : `${w.checkId} has no result for ${url} in this report: ${w.hint}`;
    results.push({ weakness: w, url, status: 'missed', hint, ...(verdict ? { verdict: { status: verdict.status, message: verdict.message } } : {}) });
  }
  return { found: results.filter((r) => r.status === 'found').length, total: results.length, results };
}
