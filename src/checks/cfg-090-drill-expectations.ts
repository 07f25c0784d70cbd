import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-090',
    name: 'drill-expectations',
    title: 'Drill: the defences reacted as expected, within their deadlines',
    strategy: 'awareness',
    severity: 'high',
    scope: 'drill',
    intrusive: false,
    needs: ['drill.journal'],
    description:
      'One verdict per expectation of a `drill run`: PASS when it was met within its deadline (counted from the step\'s first attack), with the time it took; FAIL when it was not, naming what was expected, where it was looked for and how long the drill waited; SKIP when it could not be verified (the place to look was not given, e.g. no `--guard-state` for a guard-ban expectation), never PASS; ERROR when the run stopped before any step (the broker did not answer, the run was interrupted): nothing was rehearsed. The step\'s time-to-detect and time-to-block are in the evidence.',
    remediation:
      'For a guard-ban or refused-after-ban that was not met: run the guard on the broker\'s log (`mqtt-warden guard --log /var/log/mosquitto/mosquitto.log`, nftables backend) with `detect.auth.maxretry` below the drill\'s failed logins, and make the broker log refusals (`connection_messages true`, `log_type notice` in mosquitto.conf). For a resisted subscription sweep: deny `#` and `$SYS/#` in the ACL (an `acl_file` without `topic read #`). For an expectation that was not verified, give the place on the command line (`--guard-state`, `--nft-table`, `--redis`, `--broker-log`, `--emqx-api`, `--webhook-port`), see docs/drill.md.',
    references: ['https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901307', 'https://csrc.nist.gov/pubs/sp/800/84/final'],
  },
  judge({ 'drill.journal': j }) {
    const out: Verdict[] = [];
    for (const step of j.steps) {
      const timing = {
        step: step.name,
        inject: step.kind,
        ...(step.timeToDetectMs !== undefined && { timeToDetectMs: step.timeToDetectMs }),
        ...(step.timeToBlockMs !== undefined && { timeToBlockMs: step.timeToBlockMs }),
        connections: step.outcome.connections,
        failedLogins: step.outcome.failedLogins,
        resisted: step.resistance.resisted,
      };
      step.expectations.forEach((r, i) => {
        const evidence = { ...timing, expectation: r.expectation.kind, waitedMs: r.waitedMs, ...(r.afterMs !== undefined && { afterMs: r.afterMs }) };
        const key = `${step.name}/${i}/${r.expectation.kind}`;
        const message = `${step.name}: ${r.message}`;
        if (r.status === 'met') out.push({ status: 'PASS', message, evidence, key });
        else if (r.status === 'failed') out.push({ status: 'FAIL', message, evidence, key });
        else out.push({ status: 'SKIP', message, evidence, key });
      });
    }
    if (out.length) return out;
    // Nothing was rehearsed because the run stopped first (broker down, interrupted): the drill could not be
    // performed, which is an ERROR (exit 2), never a quiet SKIP that --fail-on none would turn into exit 0.
    if (!j.steps.length) return j.aborted ? { status: 'ERROR', message: `no step ran: ${j.aborted}` } : { status: 'SKIP', message: 'the drill has no step' };
    return { status: 'SKIP', message: 'the drill states no expectations: nothing to judge (add `expect:` to its steps)' };
  },
});
