import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-050',
    name: 'erlang-distribution-exposed',
    title: 'Erlang distribution port answers the handshake',
    strategy: 'services',
    severity: 'high',
    scope: 'host',
    intrusive: false,
    needs: ['erlang.exposure'],
    description:
      "Sends the first message of the Erlang distribution handshake (send_name, as a hidden node) to EMQX's distribution ports (4370 + the node name's numeric suffix: 4370–4373 by default, plus the ports epmd names and those of a port plan) and reads the status and the challenge, which carries the node's name. An answering distribution port is one guessed or default cookie away from remote code execution on the node; it must be reachable by cluster peers only.",
    remediation:
      'Firewall the distribution port (4370 + suffix) and cluster RPC (5370 + suffix or `rpc.server_port`) so that only the other cluster nodes reach them, set a long random `node.cookie`, and consider TLS distribution (`cluster.proto_dist = inet_tls` with `verify_peer`). `mqtt-warden ports --cluster cluster.yaml --for emqx1@10.0.0.11 --render nftables` prints the rules for one node of a cluster file; on that node `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it. From loopback, confirm from another machine.',
    references: [
      'https://www.erlang.org/doc/apps/erts/erl_dist_protocol.html',
      'https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html',
      'https://www.erlang.org/doc/system/distributed.html',
    ],
  },
  judge({ 'erlang.exposure': e }, ctx) {
    const answering = e.dist.filter((d) => d.result.state === 'erlang');
    const broken = e.dist.filter((d) => d.result.state === 'error');
    const evidence = {
      probed: e.dist.map((d) => `${d.port}/${d.result.state}`),
      nodes: answering.map((d) => (d.result.state === 'erlang' ? `${d.result.node ?? `(refused: ${d.result.status})`} on ${d.port}` : '')),
      vantage: ctx.loopback ? 'loopback' : 'network',
    };
    if (answering.length) {
      const names = evidence.nodes.join(', ');
      return {
        status: 'FAIL',
        severity: ctx.loopback ? 'low' : 'high',
        message: ctx.loopback
          ? `Erlang distribution answers on loopback: ${names}; check that the port is not exposed beyond this host`
          : `Erlang distribution is reachable from this vantage point: ${names}`,
        evidence,
      };
    }
    if (broken.length) {
      return {
        status: 'ERROR',
        message: `could not tell whether an Erlang node listens on ${e.host}: ${broken.map((d) => `${d.port}: ${d.result.state === 'error' ? d.result.detail : ''}`).join('; ')}`,
        evidence,
      };
    }
    return { status: 'PASS', message: `no Erlang distribution port answers on ${e.host} (probed ${e.dist.map((d) => d.port).join(', ')})`, evidence };
  },
});
