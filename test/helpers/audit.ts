/** Shared helpers for the audit integration tests. */
import type { AuditOptions } from '../../src/core/engine.js';
import { runAudit } from '../../src/core/engine.js';
import { CATALOGUE } from '../../src/checks/index.js';
import { auditOptions as libraryAuditOptions } from '../../src/index.js';
import { DEFAULT_LIMITS } from '../../src/collectors/mqtt/intrusive.js';
import type { CheckResult, Report } from '../../src/core/types.js';

/** The library's audit options with the tests' tighter timing and limits. */
export function auditOptions(targets: string[], over: Partial<AuditOptions> = {}): AuditOptions {
  return libraryAuditOptions(targets, { limits: { ...DEFAULT_LIMITS, rate: 25, maxSeconds: 10, loginAttempts: 8 }, timeoutMs: 2000, targetTimeoutMs: 10000, windowMs: 600, ...over });
}

export function audit(targets: string[], over: Partial<AuditOptions> = {}): Promise<Report> {
  return runAudit(auditOptions(targets, over), CATALOGUE);
}

/** The single result of a check for a subject (endpoint URI or host); fails loudly when absent or ambiguous. */
export function result(report: Report, checkId: string, subject?: string): CheckResult {
  const found = report.results.filter((r) => r.checkId === checkId && (subject === undefined || r.subject === subject));
  if (found.length !== 1) {
    throw new Error(`expected one ${checkId} result${subject ? ` for ${subject}` : ''}, got ${found.length}: ${JSON.stringify(report.results.map((r) => [r.checkId, r.subject, r.status]))}`);
  }
  return found[0]!;
}
