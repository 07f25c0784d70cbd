import { defineCheck } from '../core/check.js';
import { DEFAULT_EMQX_COOKIES } from '../collectors/erlang.js';

export default defineCheck({
  meta: {
    id: 'ACC-070',
    name: 'erlang-default-cookie',
    title: "Erlang node accepts EMQX's default cookie",
    strategy: 'access',
    severity: 'critical',
    scope: 'host',
    intrusive: true,
    needs: ['erlang.exposure'],
    description: `Completes the Erlang distribution handshake on every answering distribution port with the cookies EMQX packages ship (${DEFAULT_EMQX_COOKIES.map((c) => `\`${c}\``).join(' of 5.x, then ')} of 6.x), one handshake each, stopping at the first accepted: answers the node's challenge with MD5(cookie + challenge) and checks the node's acknowledgement digest. The connection is closed right after the acknowledgement; nothing is ever sent after the handshake, so nothing runs on the node. A node that refuses the cookie logs the attempt (OTP: \`** Connection attempt from node 'mqtt_warden_…@mqtt-warden.invalid' rejected. Invalid challenge reply. **\`). A node that accepts the cookie gives anyone who reaches the port full remote code execution (\`rpc:call(Node, os, cmd, …)\`).`,
    remediation:
      'Set a long random `node.cookie` (the same on every node of the cluster, different per cluster; env `EMQX_NODE__COOKIE`), restart the nodes, and firewall the distribution port to the cluster peers. `mqtt-warden ports --cluster cluster.yaml --for emqx1@10.0.0.11 --render nftables` prints the rules for one node of a cluster file; on that node `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it.',
    references: [
      'https://docs.emqx.com/en/emqx/latest/deploy/cluster/security.html',
      'https://www.erlang.org/doc/apps/erts/erl_dist_protocol.html',
      'https://www.erlang.org/doc/system/distributed.html',
    ],
  },
  judge({ 'erlang.exposure': e }) {
    const tested = e.dist.flatMap((d) => (d.result.state === 'erlang' && d.result.cookie.tested ? [{ port: d.port, node: d.result.node ?? '?', cookie: d.result.cookie }] : []));
    const accepted = tested.filter((t) => t.cookie.accepted);
    if (accepted.length) {
      return {
        status: 'FAIL',
        message: `the packaged default cookie is accepted by ${accepted.map((t) => `${t.node} (port ${t.port}${t.cookie.cookie ? `, cookie ${t.cookie.cookie}` : ''})`).join(', ')}: remote code execution for anyone who reaches the port`,
        evidence: { accepted: accepted.map((t) => ({ node: t.node, port: t.port, detail: t.cookie.detail })) },
      };
    }
    if (tested.length) {
      return { status: 'PASS', message: `the packaged default cookies were refused by ${tested.map((t) => `${t.node}${t.cookie.cookie ? ` (${t.cookie.cookie})` : ''}`).join(', ')}`, evidence: { refused: tested.map((t) => t.node), cookies: DEFAULT_EMQX_COOKIES } };
    }
    const untestable = e.dist.flatMap((d) => (d.result.state === 'erlang' && !d.result.cookie.tested ? [`${d.port}: ${d.result.cookie.reason}`] : []));
    if (untestable.length) return { status: 'SKIP', message: `no cookie test: ${untestable.join('; ')}` };
    const broken = e.dist.filter((d) => d.result.state === 'error');
    if (broken.length) return { status: 'ERROR', message: `the distribution probes failed: ${broken.map((d) => `${d.port}: ${d.result.state === 'error' ? d.result.detail : ''}`).join('; ')}` };
    return { status: 'SKIP', message: `no Erlang distribution port answered on ${e.host}: no cookie to test` };
  },
});
