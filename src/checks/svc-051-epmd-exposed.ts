import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-051',
    name: 'epmd-exposed',
    title: 'epmd lists the Erlang nodes',
    strategy: 'services',
    severity: 'medium',
    scope: 'host',
    intrusive: false,
    needs: ['erlang.exposure'],
    description:
      "Sends epmd's NAMES request (`00 01 6e`) to port 4369. An answering epmd tells anyone the names and distribution ports of the Erlang nodes on the host — the map an attacker needs before trying cookies. EMQX 5 never starts epmd; EMQX 4.x does with WITH_EPMD=1, and other Erlang software (RabbitMQ, CouchDB) on the same host does by default.",
    remediation:
      'Do not run epmd on broker hosts (EMQX 5 needs none; for 4.x do not set WITH_EPMD=1), or firewall 4369 to the cluster peers only. Stop stray `epmd -daemon` processes left by other Erlang tools. The ruleset of `mqtt-warden ports --cluster cluster.yaml --for emqx1@10.0.0.11 --render nftables` plans no epmd for EMQX 5 and so drops 4369.',
    references: ['https://www.erlang.org/doc/apps/erts/epmd_cmd.html', 'https://www.erlang.org/doc/apps/erts/erl_dist_protocol.html'],
  },
  judge({ 'erlang.exposure': e }, ctx) {
    const r = e.epmd.result;
    if (r.state === 'error') return { status: 'ERROR', message: `port ${e.epmd.port} on ${e.host} answered, but not as epmd: ${r.detail}` };
    if (r.state !== 'epmd') return { status: 'PASS', message: `epmd does not answer on ${e.host}:${e.epmd.port} (${r.state})`, evidence: { state: r.state } };
    const nodes = r.nodes.map((n) => `${n.name} (port ${n.port})`);
    return {
      status: 'FAIL',
      severity: ctx.loopback ? 'low' : 'medium',
      message: `epmd answers on ${e.host}:${e.epmd.port}${ctx.loopback ? ' (loopback)' : ''} and lists ${nodes.length ? nodes.join(', ') : 'no nodes right now'}`,
      evidence: { nodes: r.nodes, vantage: ctx.loopback ? 'loopback' : 'network' },
    };
  },
});
