import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

const DAY_MS = 86_400_000;

export default defineCheck({
  meta: {
    id: 'CFG-110',
    name: 'drill-cadence',
    title: 'The policy\'s required drills held within its cadence',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['drill.history', 'policy'],
    description:
      'Drills prove that the defences react (guard bans a brute force, the ACL keeps `#` closed); a defence that was never rehearsed, or not since the last change, may not. The history database that `drill run --history` writes is read (never created); for each drill the policy requires (`drills.required`), the latest run that held (no FAIL, no ERROR, at least one PASS) must be at most `drills.cadenceDays` old. One verdict per required drill: FAIL when it never ran, only ran without holding, or last held too long ago; PASS with the broker and the date of the run that held (runs with expectations that could not be verified are named).',
    remediation:
      'Run the drill against each production broker and record it: `mqtt-warden drill run brute-force-burst --target mqtts://broker.example:8883 --authorized broker.example:8883 --source 10.0.0.77 --guard-state /var/lib/mqtt-warden/guard.db --history /srv/mqtt-warden/history.db`, and give the audit the same database (`--history /srv/mqtt-warden/history.db`, or `history:` in the project file): drills run from another machine than the broker\'s. A drill that does not hold names the defence to fix (docs/drill.md); change `drills.required` or `drills.cadenceDays` in the policy only with the policy\'s owner.',
    references: ['https://csrc.nist.gov/pubs/sp/800/84/final', 'https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901307'],
  },
  judge({ 'drill.history': h, policy }) {
    const { required, cadenceDays } = policy.drills;
    if (!required.length) return { status: 'PASS', message: 'the policy requires no drill (drills.required is empty)' };
    const now = Date.parse(h.readAt);
    const out: Verdict[] = [];
    for (const id of required) {
      const runs = h.runs.filter((r) => r.drill === id);
      const held = runs.find((r) => r.held);
      const ageDays = held ? Math.floor((now - Date.parse(held.startedAt)) / DAY_MS) : undefined;
      const key = id;
      if (!runs.length) {
        out.push({ status: 'FAIL', message: `drill ${id} was never recorded in ${h.db} (policy: every ${cadenceDays} days)`, evidence: { drill: id, runs: 0, cadenceDays }, key });
      } else if (!held) {
        out.push({ status: 'FAIL', severity: 'high', message: `drill ${id} ran ${runs.length} time(s), last on ${runs[0]!.startedAt.slice(0, 10)} against ${runs[0]!.target}, and never held: the defence it rehearses did not react`, evidence: { drill: id, runs: runs.length, lastRun: runs[0]!.startedAt, cadenceDays }, key });
      } else if (ageDays! > cadenceDays) {
        out.push({ status: 'FAIL', message: `drill ${id} last held ${ageDays} days ago (${held.startedAt.slice(0, 10)} against ${held.target}): more than the policy's ${cadenceDays} days (drills.cadenceDays)`, evidence: { drill: id, lastHeld: held.startedAt, ageDays, cadenceDays }, key });
      } else {
        const partly = held.unverified ? ` (${held.unverified} verdict(s) of that run could not be verified)` : '';
        out.push({ status: 'PASS', message: `drill ${id} held ${ageDays} day(s) ago against ${held.target}${partly}`, evidence: { drill: id, lastHeld: held.startedAt, ageDays, cadenceDays, unverified: held.unverified }, key });
      }
    }
    return out;
  },
});
