import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { reachability } from '../collectors/system/firewall.js';

const WHAT: Record<string, string> = {
  mqtt: 'plaintext MQTT',
  ws: 'plaintext MQTT over WebSocket',
  dashboard: 'management dashboard / HTTP API',
  'erlang-dist': 'Erlang distribution',
  'cluster-rpc': 'cluster RPC',
};

export default defineCheck({
  meta: {
    id: 'CFG-002',
    name: 'firewall-mqtt-exposure',
    title: 'Plaintext MQTT, dashboard or cluster ports are open to everyone in the firewall',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.firewall'],
    description:
      'Evaluates the input chains of the firewall (see CFG-001) for a new TCP connection from an arbitrary remote address to each broker port that should not be public: the plaintext MQTT and WebSocket listeners the configs declare on non-loopback addresses, and for EMQX the dashboard (18083), Erlang distribution (4370) and cluster RPC (5370). Rules that match only some sources (address sets, interfaces) count as restricted. nftables and firewalld configs are not evaluated offline (their result is SKIP).',
    remediation:
      'Allow these ports only from the networks that need them: MQTT from the client networks (prefer the TLS listeners 8883/8084), the dashboard from the admin networks, the cluster ports only between cluster peers. `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables` prints that ruleset for your networks (EMQX: `--emqx-config /etc/emqx/emqx.conf` instead of `--mosquitto-config`; a cluster: `--cluster cluster.yaml --for NODE`, which adds the peers). On the host, `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it. By hand: `ip saddr @clients tcp dport 1883 accept` in an nftables input chain with policy drop.',
    references: ['https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html', 'https://wiki.nftables.org/wiki-nftables/index.php/Sets'],
  },
  judge({ 'sys.firewall': fw }) {
    if (!fw.ports.length) return { status: 'SKIP', message: 'no plaintext, dashboard or cluster broker port to judge' };
    if (!fw.backends.length) return { status: 'SKIP', message: `no firewall tool or persisted ruleset found (looked for: ${fw.looked.join(', ')})` };
    return fw.ports.map((p): Verdict => {
      const r = reachability(fw, p.port);
      const label = `${WHAT[p.kind] ?? p.kind} port ${p.port}${p.product ? ` (${p.product})` : ''}`;
      const evidence = { port: p.port, kind: p.kind, reach: r.reach, by: r.by };
      if (r.reach === 'everywhere') return { status: 'FAIL', severity: p.kind === 'mqtt' || p.kind === 'ws' ? 'medium' : 'high', message: `${label} is open to every source (${r.by})`, evidence };
      if (r.reach === 'unknown') return { status: 'SKIP', message: `${label}: ${r.by}`, evidence };
      return { status: 'PASS', message: `${label} is ${r.reach === 'blocked' ? 'blocked' : 'allowed from some sources only'} (${r.by})`, evidence };
    });
  },
});
