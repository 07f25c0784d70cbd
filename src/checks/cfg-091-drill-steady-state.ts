import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-091',
    name: 'drill-steady-state',
    title: 'Drill: the broker served legitimate clients before and after the rehearsal',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'drill',
    intrusive: false,
    needs: ['drill.journal'],
    description:
      'A defence that stops an attack by stopping the service has not helped. The steady-state probes of a `drill run` (the broker answers a CONNECT; the known client publishes with QoS 1) run before the first step and after the last one, from this host\'s own address, not the attack\'s: FAIL when one that held before fails afterwards (the drill or the defence broke the service), or when the broker did not answer before the drill began (nothing was rehearsed); SKIP when a probe could not run (no known client given).',
    remediation:
      'If the broker stopped answering after the drill: make sure the ban covers only the attacking address (guard bans single addresses; check `ban.allow` for your clients and that the drill\'s `--source` is not the address legitimate clients use), and that connection limits (`max_connections` in mosquitto.conf) are not exhausted by the drill. If the known client could not publish: give it with `-u USER --password-env VAR` and allow it to publish to the probe\'s topic.',
    references: ['https://principlesofchaos.org/', 'https://csrc.nist.gov/pubs/sp/800/84/final'],
  },
  judge({ 'drill.journal': j }) {
    if (!j.steady.length) return { status: 'SKIP', message: 'the drill has no steady-state probes' };
    const before = j.steady.filter((s) => s.phase === 'before');
    const after = j.steady.filter((s) => s.phase === 'after');
    const evidence = { steady: j.steady.map((s) => ({ probe: s.probe.kind, phase: s.phase, ok: s.ok, ...(s.skipped && { skipped: s.skipped }), ms: s.ms })) };
    const brokeBefore = before.filter((s) => !s.ok && !s.skipped);
    if (brokeBefore.length) return { status: 'FAIL', message: `before the drill: ${brokeBefore.map((s) => `${s.probe.kind}: ${s.detail}`).join('; ')}`, evidence };
    const broke = after.filter((s) => !s.ok && !s.skipped && before.some((b) => b.probe.kind === s.probe.kind && b.ok));
    if (broke.length) return { status: 'FAIL', message: `held before the drill, not after it: ${broke.map((s) => `${s.probe.kind}: ${s.detail}`).join('; ')}`, evidence };
    const ran = j.steady.filter((s) => !s.skipped);
    if (!ran.length || !after.some((s) => !s.skipped)) {
      const why = [...new Set(j.steady.filter((s) => s.skipped).map((s) => `${s.probe.kind}: ${s.skipped}`))];
      return { status: 'SKIP', message: `steady state not verified: ${why.join('; ') || 'no probe ran after the drill'}`, evidence };
    }
    const skipped = j.steady.filter((s) => s.skipped);
    return {
      status: 'PASS',
      message: `${[...new Set(ran.map((s) => s.probe.kind))].join(', ')} held before and after the drill${skipped.length ? ` (not run: ${[...new Set(skipped.map((s) => s.probe.kind))].join(', ')})` : ''}`,
      evidence,
    };
  },
});
