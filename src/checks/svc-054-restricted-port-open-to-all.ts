import { defineCheck } from '../core/check.js';

const SENSITIVE = new Set(['erlang-dist', 'cluster-rpc', 'epmd']);

export default defineCheck({
  meta: {
    id: 'SVC-054',
    name: 'restricted-port-open-to-all',
    title: 'Restricted ports listen on every interface without the planned firewall',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['ports.check'],
    description:
      "Finds planned ports meant for a restricted audience (cluster peers, clients, admins, or loopback only) that listen on a wildcard address (0.0.0.0 / ::) while the plan's nftables table is not live and equal to its rendering. Then nothing restricts them: the Erlang distribution and RPC ports are open to everyone who can route to the host.",
    remediation:
      'Apply the planned firewall, or bind the listeners to the addresses that need them (loopback-only ones to 127.0.0.1). On the host, `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it (use the plan file given to `--port-plan`; `--render iptables`, `ufw` or `firewalld` print the same plan for those tools).',
    references: ['https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html', 'https://wiki.nftables.org/wiki-nftables/index.php/Simple_ruleset_for_a_server'],
  },
  judge({ 'ports.check': c }) {
    if (!c.sockets.length && c.socketProblems.length) return { status: 'ERROR', message: `cannot read the listening sockets: ${c.socketProblems.join('; ')}` };
    const open = c.planned.filter((p) => p.audience !== 'any' && c.sockets.some((s) => s.proto === p.proto && s.port === p.port && (s.wildcard || (p.audience === 'local' && !s.loopback))));
    const labels = open.map((p) => `${p.proto}/${p.port} (${p.service}, planned for ${p.audience === 'local' ? 'loopback only' : p.audience})`);
    const enforced = c.firewall.tested && c.firewall.state === 'equal';
    const evidence = { nodes: c.nodes, openToAll: labels, firewall: c.firewall.tested ? c.firewall.state : c.firewall.reason };
    if (!open.length) return { status: 'PASS', message: 'no restricted port listens on a wildcard address', evidence };
    if (enforced) {
      return { status: 'PASS', message: `${labels.join(', ')} listen on every interface, but the planned firewall (${c.firewall.tested ? c.firewall.table : ''}) is live and restricts them`, evidence };
    }
    if (!c.firewall.tested && c.firewall.error) {
      return { status: 'ERROR', message: `${labels.join(', ')} listen on every interface and the firewall could not be compared: ${c.firewall.reason}`, evidence };
    }
    return {
      status: 'FAIL',
      severity: open.some((p) => SENSITIVE.has(p.service)) ? 'high' : 'medium',
      message: `listening on every interface with no planned firewall in force (${c.firewall.tested ? `table ${c.firewall.state}` : c.firewall.reason}): ${labels.join(', ')}`,
      evidence,
    };
  },
});
