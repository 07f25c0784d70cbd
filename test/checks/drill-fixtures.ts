/** A drill journal for the drill checks' cases: one step, everything met, unless overridden. */
import type { FactTypes } from '../../src/core/facts.js';
import type { DrillJournal, ExpectationResult, JournalStep, SteadyResult } from '../../src/drill/model.js';

export function expectation(status: ExpectationResult['status'], message: string, over: Partial<ExpectationResult> = {}): ExpectationResult {
  return { expectation: { kind: 'guard-ban', in: 'any', within: '10s' }, status, message, waitedMs: 1200, ...(status === 'met' && { afterMs: 1200 }), ...over };
}

export function step(over: Partial<JournalStep> = {}): JournalStep {
  return {
    name: 'burst',
    kind: 'failed-login-burst',
    description: '20 failed logins at 5/s from one address',
    outcome: { startedAt: 10, endedAt: 2000, sources: ['10.77.0.2'], firstAttackAt: 12, firstBlockedAt: 900, connections: 5, failedLogins: 4, detail: {}, stoppedBy: 'blocked' },
    resistance: { resisted: 'yes', detail: 'blocked after 4 failed logins' },
    expectations: [expectation('met', 'guard-ban: 10.77.0.2 banned after 1.2 s (in guard state /tmp/g.db)')],
    timeToDetectMs: 1200,
    timeToBlockMs: 888,
    ...over,
  };
}

export function steady(kind: 'broker-answers' | 'known-client-publishes', phase: SteadyResult['phase'], ok = true, skipped?: string): SteadyResult {
  const probe = kind === 'broker-answers' ? ({ kind, timeout: '5s' } as const) : ({ kind, topic: 'mqtt-warden/drill/steady', timeout: '5s' } as const);
  return { probe, phase, ok, detail: ok ? 'CONNACK 0' : skipped ? `not run: ${skipped}` : 'no connection: ECONNREFUSED', ms: 5, ...(skipped && { skipped }) };
}

export function journal(over: Partial<DrillJournal> = {}): Pick<FactTypes, 'drill.journal'> {
  return {
    'drill.journal': {
      drill: { id: 'brute-force-burst', title: 'Brute-force burst', strategies: ['access', 'awareness'], checks: ['ACC-008'], mqtt5: ['repeated-authentication-attempts'] },
      target: 'mqtt://10.77.0.1:1883',
      authorized: true,
      startedAt: '2026-12-06T14:00:00.000Z',
      durationMs: 4000,
      safety: { targets: ['loopback', 'lab'], maxRate: 20, maxDuration: '60s', maxFailedLogins: 50, maxConnections: 200, used: { connections: 8, failedLogins: 4 } },
      steady: [steady('broker-answers', 'before'), steady('broker-answers', 'after')],
      steps: [step()],
      rollback: [{ kind: 'unban', ok: true, detail: '10.77.0.2: 1 ban(s) removed from /tmp/g.db' }],
      ...over,
    },
  };
}
