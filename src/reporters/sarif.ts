import { severityRank } from '../core/types.js';
import type { CheckMeta, CheckResult, Report, Severity, StrategyId, Suppression } from '../core/types.js';
import { aggregateResults } from './aggregate.js';

/** SARIF 2.1.0 output, shaped for GitHub code scanning. */

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
/** Results per run accepted by GitHub code scanning; the rest are dropped with a notification. */
export const SARIF_MAX_RESULTS = 25_000;
const FINGERPRINT_KEY = 'mqttWarden/v1';

type SarifLevel = 'error' | 'warning' | 'note';

interface SarifMessage {
  text: string;
  markdown?: string;
}

interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  help: SarifMessage;
  defaultConfiguration: { level: SarifLevel };
  properties: { tags: string[]; 'security-severity': string };
}

interface SarifLocation {
  physicalLocation: {
    artifactLocation: { uri: string };
    region?: { startLine: number; startColumn?: number };
  };
}

/** SARIF 2.1.0 §3.35. */
interface SarifSuppression {
  kind: 'inSource' | 'external';
  status: 'accepted';
  justification: string;
  location?: SarifLocation;
  properties?: { kind: Suppression['kind']; expires?: string };
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: SarifLevel;
  message: SarifMessage;
  locations: SarifLocation[];
  partialFingerprints: Record<string, string>;
  suppressions?: SarifSuppression[];
  /** Only when the run was compared with a baseline (SARIF 2.1.0 §3.27.24). */
  baselineState?: 'new' | 'unchanged';
  properties: { severity: Severity; strategy: StrategyId; subject: string; evidence: Record<string, unknown> };
}

interface SarifNotification {
  level: SarifLevel;
  message: SarifMessage;
  descriptor?: { id: string };
  associatedRule?: { id: string; index: number };
}

const LEVELS: Record<Severity, SarifLevel> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

/** GitHub's `security-severity` scale (0.1–10, a number written as a string). */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '1.0',
};

type RuleSource = Pick<CheckMeta, 'id' | 'name' | 'title' | 'strategy' | 'severity' | 'description' | 'remediation' | 'references'>;

function rule(check: RuleSource): SarifRule {
  const refs = check.references;
  return {
    id: check.id,
    name: check.name,
    shortDescription: { text: check.title },
    fullDescription: { text: check.description },
    help: {
      text: refs.length > 0 ? `${check.remediation}\n\nReferences:\n${refs.map((r) => `- ${r}`).join('\n')}` : check.remediation,
      markdown: refs.length > 0 ? `${check.remediation}\n\n**References**\n\n${refs.map((r) => `- <${r}>`).join('\n')}` : check.remediation,
    },
    defaultConfiguration: { level: LEVELS[check.severity] },
    properties: { tags: ['security', check.strategy], 'security-severity': SECURITY_SEVERITY[check.severity] },
  };
}

/** A rule for a result whose check is not in the catalogue, so that every result still has one. */
function ruleFromResult(result: CheckResult): RuleSource {
  return { ...result, id: result.checkId, description: result.title };
}

/**
 * Both kinds are `external` (SARIF 2.1.0 §3.35.2): `inSource` means the suppression is
 * written in the analysed artifact itself (a comment in the broker config); waivers live
 * in the project file and baselines in an earlier report, both outside it. The
 * suppression's `location` points at the waiver in the project file.
 */
function sarifSuppression(s: Suppression): SarifSuppression {
  const at = s.source !== undefined ? /^(.*):(\d+)$/.exec(s.source) : null;
  return {
    kind: 'external',
    status: 'accepted',
    justification: s.kind === 'waiver' && s.expires !== undefined ? `${s.reason} (waiver until ${s.expires})` : s.reason,
    ...(at && { location: { physicalLocation: { artifactLocation: { uri: at[1]! }, region: { startLine: Number(at[2]) } } } }),
    properties: { kind: s.kind, ...(s.expires !== undefined && { expires: s.expires }) },
  };
}

function sarifResult(result: CheckResult, ruleIndex: number, baseline: ReadonlySet<string> | undefined): SarifResult {
  const { location } = result;
  return {
    ruleId: result.checkId,
    ruleIndex,
    level: LEVELS[result.severity],
    message: { text: `${result.message} (${result.subject})` },
    locations: [
      {
        physicalLocation: {
          // GitHub rejects the whole file if a single result has no artifact URI.
          artifactLocation: { uri: location.uri },
          ...(location.line !== undefined && {
            region: { startLine: location.line, ...(location.column !== undefined && { startColumn: location.column }) },
          }),
        },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: result.fingerprint },
    ...(result.suppression && { suppressions: [sarifSuppression(result.suppression)] }),
    ...(baseline && { baselineState: baseline.has(result.fingerprint) ? ('unchanged' as const) : ('new' as const) }),
    properties: { severity: result.severity, strategy: result.strategy, subject: result.subject, evidence: result.evidence },
  };
}

export interface SarifOptions {
  /** Fingerprints of the baseline the run was compared with: every result gets a baselineState. */
  baseline?: { fingerprints: ReadonlySet<string> };
}

export function renderSarif(report: Report, catalogue: readonly CheckMeta[], opts: SarifOptions = {}): string {
  const rules = catalogue.map(rule);
  const ruleIndexes = new Map(catalogue.map((check, index) => [check.id, index]));
  const ruleIndex = (result: CheckResult): number => {
    let index = ruleIndexes.get(result.checkId);
    if (index === undefined) {
      index = rules.push(rule(ruleFromResult(result))) - 1;
      ruleIndexes.set(result.checkId, index);
    }
    return index;
  };

  // Findings before suppressed results, most severe first, so that truncation drops the least important.
  const failures = report.results
    .filter((r) => r.status === 'FAIL')
    .sort((a, b) => Number(!!a.suppression) - Number(!!b.suppression) || severityRank(b.severity) - severityRank(a.severity));
  const results = failures.slice(0, SARIF_MAX_RESULTS).map((r) => sarifResult(r, ruleIndex(r), opts.baseline?.fingerprints));

  const notifications: SarifNotification[] = report.results
    .filter((r) => r.status === 'ERROR')
    .map((r) => ({
      level: 'error',
      message: { text: `${r.checkId} ${r.title} (${r.subject}): ${r.message}` },
      descriptor: { id: r.checkId },
      associatedRule: { id: r.checkId, index: ruleIndex(r) },
    }));
  if (failures.length > SARIF_MAX_RESULTS) {
    notifications.push({
      level: 'warning',
      message: {
        text: `SARIF allows at most ${SARIF_MAX_RESULTS} results per run: the ${failures.length - SARIF_MAX_RESULTS} least severe of ${failures.length} failures were left out (suppressed results before any finding). The JSON report has them all.`,
      },
    });
  }

  // A fleet: the identical findings across targets as groups, in the run's property bag (SARIF 2.1.0 §3.8).
  const aggregate = aggregateResults(report.results);
  const fleet = aggregate.subjects > 1 ? { properties: { aggregate } } : {};

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            toolExecutionNotifications: notifications,
          },
        ],
        results,
        ...fleet,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}
