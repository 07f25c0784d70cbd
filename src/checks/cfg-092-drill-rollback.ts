import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-092',
    name: 'drill-rollback',
    title: 'Drill: the rollback undid what the rehearsal left behind',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'drill',
    intrusive: false,
    needs: ['drill.journal'],
    description:
      'A `drill run` always attempts the rollback its file states (unban the drill\'s own source addresses in guard\'s state, nft set and Redis; clear the retained messages and sessions it left), also after a failed or aborted step. FAIL when a rollback action failed: the rehearsal left a ban, a retained message or a session behind.',
    remediation:
      'Undo by hand what the rollback names: `mqtt-warden guard unban ADDRESS` (state, firewall and with `--redis` the cluster), an empty retained message on each named topic (`mosquitto_pub -t TOPIC -r -n`), a clean-start connection with each named client ID. Then give the drill the places it needs (`--guard-state`, `--nft-table`, `--redis`, `-u/--password-env` of a client allowed to clear the topics).',
    references: ['https://csrc.nist.gov/pubs/sp/800/84/final'],
  },
  judge({ 'drill.journal': j }) {
    if (!j.rollback.length) return { status: 'PASS', message: 'the drill leaves nothing to roll back (no rollback actions)' };
    const evidence = { rollback: j.rollback };
    const failed = j.rollback.filter((r) => !r.ok);
    if (failed.length) return { status: 'FAIL', message: `rollback incomplete: ${failed.map((r) => `${r.kind}: ${r.detail}`).join('; ')}`, evidence };
    return { status: 'PASS', message: j.rollback.map((r) => `${r.kind}: ${r.detail}`).join('; '), evidence };
  },
});
