import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { contains, parseNetwork } from '../ports/net.js';

/** Ports whose exposure hands over the node or the cluster (high); other management ports medium. */
const CLUSTER = new Set(['erlang-dist', 'cluster-rpc', 'epmd']);

/** The plan's networks not inside any of the allowed ones (ipaddr.js does the containment in src/ports/net.ts). */
function outside(plan: readonly string[], allowed: readonly string[]): string[] {
  const ok = allowed.map((a) => parseNetwork(a, 'policy'));
  return plan.filter((n) => {
    const net = parseNetwork(n, 'plan');
    return !ok.some((a) => contains(a, net));
  });
}

export default defineCheck({
  meta: {
    id: 'SVC-090',
    name: 'plan-networks-outside-policy',
    title: 'The port plan opens ports to networks the security policy does not allow',
    strategy: 'services',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['ports.check', 'policy'],
    description:
      'Holds the port plan of this host (`audit --port-plan FILE`: the networks its firewall opens each port to) against the security policy\'s allowed networks. `networks.management` bounds the cluster ports (Erlang distribution, cluster RPC, epmd: the peers) and the management ports (dashboards, REST APIs, SSH: the admins); `networks.clients` bounds the MQTT client ports. A planned network that is not inside one of the allowed ones is a finding, and so is a port planned for anyone (no `--clients`, or `clients: any`) when `networks.clients` is set. Cluster ports outside the policy are high (whoever reaches the Erlang distribution with the cookie runs code on the node), the others medium. Without allowed networks in the policy the check says SKIP; whether the plan\'s firewall is live is SVC-054/SVC-055\'s question.',
    remediation:
      'Narrow the plan to the policy\'s networks (cluster file `clients:`, `admins:` and node `addresses:`, or `--clients`, `--admins`, `--peers`), then apply it: `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the change, without `--dry-run` loads it. If the network is meant to be there, add it to the policy (`networks.clients` / `networks.management`) so the written policy says so.',
    references: ['https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html', 'https://csrc.nist.gov/pubs/sp/800/41/r1/final'],
  },
  judge({ 'ports.check': c, policy }) {
    const { clients, management } = policy.networks;
    if (!clients && !management) return { status: 'SKIP', message: 'the security policy lists no allowed networks (networks.clients, networks.management)' };
    const fails: Verdict[] = [];
    const evidence = { plan: c.source, planNetworks: c.networks, allowed: { ...(clients && { clients }), ...(management && { management }) } };
    const ports = (audience: string) => c.planned.filter((p) => p.audience === audience);
    const label = (list: typeof c.planned) => list.map((p) => `${p.proto}/${p.port} (${p.service})`).join(', ');
    if (management) {
      for (const [audience, what] of [['peers', 'cluster peers'], ['admins', 'admins']] as const) {
        const own = ports(audience);
        const bad = own.length ? outside(c.networks[audience], management) : [];
        if (!bad.length) continue;
        fails.push({
          status: 'FAIL',
          severity: own.some((p) => CLUSTER.has(p.service)) ? 'high' : 'medium',
          message: `the port plan (${c.source}) opens ${label(own)} to ${what} at ${bad.join(', ')}, outside the policy's management networks (${management.join(', ')}; networks.management)`,
          evidence,
          key: audience,
        });
      }
    }
    if (clients) {
      const own = ports('clients');
      const bad = own.length ? outside(c.networks.clients, clients) : [];
      if (bad.length) {
        fails.push({ status: 'FAIL', severity: 'medium', message: `the port plan (${c.source}) opens ${label(own)} to clients at ${bad.join(', ')}, outside the policy's client networks (${clients.join(', ')}; networks.clients)`, evidence, key: 'clients' });
      }
      const anyone = ports('any');
      const everything = ['0.0.0.0/0', '::/0'].every((n) => outside([n], clients).length === 0);
      if (anyone.length && !everything) {
        fails.push({
          status: 'FAIL',
          severity: anyone.some((p) => CLUSTER.has(p.service)) ? 'high' : 'medium',
          message: `the port plan (${c.source}) opens ${label(anyone)} to anyone (no client networks), where the policy allows clients only from ${clients.join(', ')} (networks.clients)`,
          evidence,
          key: 'any',
        });
      }
    }
    if (fails.length) return fails;
    return { status: 'PASS', message: `the port plan (${c.source}) opens ports only to networks the policy allows`, evidence };
  },
});
