/** A report envelope around hand-made results, for reporter and suppression tests. */
import { summarize } from '../../src/core/report.js';
import type { CheckResult, Report } from '../../src/core/types.js';

/** The envelope with fixed times and options; `over` sets what a test cares about (the summary too, for an independent count). */
export function fixtureReport(results: CheckResult[], over: Partial<Omit<Report, 'results'>> = {}): Report {
  return {
    schemaVersion: 1,
    tool: { name: 'mqtt-warden', version: '0.1.0' },
    command: 'audit',
    startedAt: '2025-01-15T10:00:00.000Z',
    finishedAt: '2025-01-15T10:00:01.000Z',
    durationMs: 1000,
    options: { intrusive: false, host: false, network: true, failOn: 'medium', identity: 'anonymous' },
    targets: [],
    notes: [],
    ...over,
    results,
    summary: over.summary ?? summarize(results),
  };
}
