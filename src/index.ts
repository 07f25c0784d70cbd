/**
 * mqtt-warden as a library: the auditor, the linter, the port planner with its
 * firewall renderers and the log replay of the ban daemon, for embedding in other
 * tools. The command line (bin `mqtt-warden`) is built on exactly these.
 *
 * ```ts
 * import { runAudit, auditOptions, lint, planPorts, renderFirewall, replayLog } from 'mqtt-warden';
 * const report = await runAudit(auditOptions(['mqtt://127.0.0.1:1883']));
 * ```
 */
import { CATALOGUE } from './checks/index.js';
import { runAudit as runAuditWith, type AuditOptions } from './core/engine.js';
import { DEFAULT_LIMITS } from './collectors/mqtt/limits.js';
import { parseTarget } from './core/targets.js';
import type { Check } from './core/check.js';
import type { Report } from './core/types.js';
import { loadConfig, type GuardConfig } from './guard/config.js';
import { replayFile, type ReplayResult } from './guard/replay.js';
import type { Format } from './guard/pipeline.js';
import { buildPlan } from './ports/plan.js';
import type { PlanInput, PortPlan } from './ports/types.js';
import { firewallSpec, type FirewallOptions } from './ports/spec.js';
import { DEFAULT_FIREWALL_OPTIONS, type Renderer } from './ports/firewall-options.js';
import { RENDER } from './ports/render/index.js';

export type { AuditOptions, RunRequest, CheckSelection } from './core/engine.js';
export { runChecks, selectChecks } from './core/engine.js';
export type { Check, JudgeContext } from './core/check.js';
export type { CheckMeta, CheckResult, Report, ReportSummary, Severity, Status, StrategyId, Verdict, Suppression } from './core/types.js';
export { SEVERITIES, STRATEGIES } from './core/types.js';
export { exitCodeFor } from './core/report.js';
export { CATALOGUE } from './checks/index.js';
export { renderReport, REPORT_FORMATS, type ReportFormat, type RenderOptions } from './reporters/index.js';
export { REPORT_SCHEMA_ID } from './reporters/json.js';
export type { PlanInput, PortPlan } from './ports/types.js';
export type { ReplayResult } from './guard/replay.js';
export type { GuardConfig } from './guard/config.js';
export { runLint as lint, type LintOptions } from './cli/impl/lint.js';

/** Audit options with the command line's defaults: non-intrusive, no host checks, no port scan. */
export function auditOptions(targets: readonly string[], over: Partial<AuditOptions> = {}): AuditOptions {
  return {
    endpoints: targets.map((t, i) => parseTarget(t, `target ${i + 1}`).endpoint),
    scanPorts: [],
    defaultHost: '127.0.0.1',
    network: true,
    host: false,
    intrusive: false,
    limits: { ...DEFAULT_LIMITS },
    wordlist: [],
    timeoutMs: 3000,
    targetTimeoutMs: 20000,
    windowMs: 1000,
    concurrency: 4,
    showPayloads: false,
    showSecrets: false,
    failOn: 'medium',
    tls: {},
    ...over,
  };
}

/** Audit MQTT endpoints (and, with `host: true` and `system`, the machine): every check of the catalogue, or the given ones. */
export function runAudit(opts: AuditOptions, checks: readonly Check[] = CATALOGUE): Promise<Report> {
  return runAuditWith(opts, checks);
}

/** The port plan of EMQX nodes and Mosquitto brokers (pure). */
export function planPorts(input: PlanInput): PortPlan {
  return buildPlan(input);
}

export type { Renderer as FirewallKind } from './ports/firewall-options.js';

/** Firewall rules for one host of a plan (pure); `host` is a node name or address (default: the plan's only host). */
export function renderFirewall(plan: PortPlan, kind: Renderer, opts: { host?: string; firewall?: FirewallOptions; zone?: string } = {}): string {
  return RENDER[kind](firewallSpec(plan, opts.host), { firewall: opts.firewall ?? DEFAULT_FIREWALL_OPTIONS, ...(opts.zone && { zone: opts.zone }) });
}

/** Replay a broker log like the ban daemon would (nothing is banned): failures, per-address counts, the bans it would issue. */
export function replayLog(file: string, opts: { format?: Format; config?: GuardConfig | string; top?: number } = {}): ReplayResult {
  const cfg = typeof opts.config === 'object' ? opts.config : loadConfig(opts.config);
  return replayFile(file, opts.format ?? 'mosquitto', cfg, opts.top ?? 100);
}
