import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'CFG-001',
    name: 'firewall-active',
    title: 'No host firewall filters incoming traffic',
    strategy: 'awareness',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.firewall'],
    description:
      'Reads the live ruleset (`nft -j list ruleset`, `iptables-save`, `ip6tables-save`, `ufw status`, `firewall-cmd --state`) or, for `--root DIR`, the persisted rules (etc/iptables/rules.v4|v6, etc/sysconfig/iptables, ufw\'s ufw.conf/user.rules, nftables.conf and firewalld with their service links). A host whose input hook filters nothing exposes every listening service, including broker cluster and management ports.',
    remediation:
      'Enable a default-deny input policy that lets in only SSH from the admin networks and the broker ports from the networks that use them. `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables` prints such a ruleset for your client and admin networks (EMQX: `--emqx-config /etc/emqx/emqx.conf` instead of `--mosquitto-config`; a cluster: `--cluster cluster.yaml --for NODE`; `--render ufw`, `firewalld` or `iptables` for those tools). On the host, `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it. Without mqtt-warden: nftables `policy drop` on an inet filter input chain, ufw (`ufw default deny incoming && ufw allow 8883/tcp && ufw enable`) or firewalld zones.',
    references: ['https://wiki.nftables.org/wiki-nftables/index.php/Simple_ruleset_for_a_server', 'https://wiki.debian.org/nftables'],
  },
  judge({ 'sys.firewall': fw }) {
    const evidence = { looked: fw.looked, source: fw.source, backends: fw.backends.map((b) => ({ name: b.name, active: b.active, detail: b.detail })) };
    if (!fw.backends.length) return { status: 'SKIP', message: `no firewall tool or persisted ruleset found (looked for: ${fw.looked.join(', ')})`, evidence };
    const active = fw.backends.filter((b) => b.active);
    if (!active.length) {
      return { status: 'FAIL', message: `no input filtering: ${fw.backends.map((b) => `${b.name}: ${b.detail}`).join('; ')}`, evidence };
    }
    const drops = active.some((b) => b.chains.some((c) => c.input && (c.policy === 'drop' || c.rules.some((r) => r.verdict === 'drop' || r.verdict === 'reject'))));
    const opaque = active.every((b) => !b.chains.length);
    if (!drops && !opaque) return { status: 'FAIL', severity: 'medium', message: `input chains accept by default and drop nothing: ${active.map((b) => `${b.name}: ${b.detail}`).join('; ')}`, evidence };
    return { status: 'PASS', message: `input filtering active: ${active.map((b) => `${b.name} (${b.detail})`).join('; ')}`, evidence };
  },
});
