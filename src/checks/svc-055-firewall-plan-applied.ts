import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-055',
    name: 'firewall-plan-applied',
    title: 'The planned nftables table is live and unchanged',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['ports.check'],
    description:
      "Lists mqtt-warden's nftables table (`nft list table inet NAME`) and compares it with the rendering of the port plan, both in nft's own canonical listing (the rendering is loaded into a throw-away network namespace to get it). A missing table means the plan is not enforced; a different one means the rules drifted from the plan (hand edits, an old plan).",
    remediation:
      'Apply the plan on the host: `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` prints the diff against the live table, and the same command without `--dry-run` loads it (use the plan file given to `--port-plan`). If the live table was changed on purpose, change the plan instead.',
    references: ['https://wiki.nftables.org/wiki-nftables/index.php/Atomic_rule_replacement', 'https://www.netfilter.org/projects/nftables/manpage.html'],
  },
  judge({ 'ports.check': c }) {
    const f = c.firewall;
    if (!f.tested) return { status: f.error ? 'ERROR' : 'SKIP', message: f.reason };
    if (f.state === 'equal') return { status: 'PASS', message: `table ${f.table} is live and equal to the plan of ${c.nodes.join(', ')}` };
    if (f.state === 'absent') return { status: 'FAIL', message: `table ${f.table} is not loaded: the port plan of ${c.nodes.join(', ')} is not enforced by nftables`, evidence: { table: f.table } };
    return { status: 'FAIL', message: `table ${f.table} differs from the plan of ${c.nodes.join(', ')}`, evidence: { table: f.table, diff: f.diff ?? '' } };
  },
});
