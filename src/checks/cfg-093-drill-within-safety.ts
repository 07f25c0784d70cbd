import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-093',
    name: 'drill-within-safety',
    title: 'Drill: the run completed within its safety caps',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'drill',
    intrusive: false,
    needs: ['drill.journal'],
    description:
      'A `drill run` draws every connection and failed login from the caps of its safety block and stops at its maxDuration. FAIL when the run was aborted (maxDuration reached, interrupted, the broker not answering before the first step) or a step stopped early for want of budget: its expectations judge an incomplete rehearsal. The caps and what was used are in the evidence.',
    remediation:
      'Raise `safety.maxDuration`, `safety.maxConnections` or `safety.maxFailedLogins` in the drill file (up to the hard ceilings, docs/drill.md), or lower the steps\' counts and the expectations\' `within`; make sure the broker answers before the drill starts.',
    references: ['https://csrc.nist.gov/pubs/sp/800/115/final'],
  },
  judge({ 'drill.journal': j }) {
    const s = j.safety;
    const evidence = {
      used: s.used,
      caps: { maxConnections: s.maxConnections, maxFailedLogins: s.maxFailedLogins, maxRate: s.maxRate, maxDuration: s.maxDuration },
      durationMs: j.durationMs,
      ...(j.aborted && { aborted: j.aborted }),
    };
    if (s.used.connections > s.maxConnections || s.used.failedLogins > s.maxFailedLogins) {
      return { status: 'FAIL', severity: 'high', message: `the run used more than its caps: ${s.used.connections}/${s.maxConnections} connections, ${s.used.failedLogins}/${s.maxFailedLogins} failed logins`, evidence };
    }
    if (j.aborted) return { status: 'FAIL', message: `the run was aborted: ${j.aborted}`, evidence };
    const short = j.steps.filter((st) => st.outcome.stoppedBy === 'budget' || st.outcome.stoppedBy === 'deadline' || st.outcome.stoppedBy === 'abort');
    if (short.length) return { status: 'FAIL', message: `step(s) stopped early: ${short.map((st) => `${st.name} (${st.outcome.stoppedBy})`).join(', ')}`, evidence };
    return { status: 'PASS', message: `completed in ${(j.durationMs / 1000).toFixed(1)} s with ${s.used.connections}/${s.maxConnections} connections and ${s.used.failedLogins}/${s.maxFailedLogins} failed logins`, evidence };
  },
});
