import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-053',
    name: 'planned-port-closed',
    title: 'Planned ports have no listener',
    strategy: 'services',
    severity: 'low',
    scope: 'system',
    intrusive: false,
    needs: ['ports.check'],
    description:
      'Lists the ports the plan opens to the network that nothing listens on (or only on loopback). Either the plan is stale — and the firewall opens a port for nothing, ready for whatever binds it next — or a node or listener is down.',
    remediation: 'Remove the listener from the plan (cluster file, `--listeners`) and re-render the firewall, or start the missing node or listener.',
    references: ['https://docs.emqx.com/en/emqx/latest/deploy/cluster/create-cluster.html'],
  },
  judge({ 'ports.check': c }) {
    if (!c.sockets.length && c.socketProblems.length) return { status: 'ERROR', message: `cannot read the listening sockets: ${c.socketProblems.join('; ')}` };
    const networked = c.planned.filter((p) => p.audience !== 'local');
    const missing = networked.flatMap((p) => {
      const socks = c.sockets.filter((s) => s.proto === p.proto && s.port === p.port);
      if (!socks.length) return [`${p.proto}/${p.port} (${p.service}): nothing listens`];
      if (socks.every((s) => s.loopback)) return [`${p.proto}/${p.port} (${p.service}): loopback only`];
      return [];
    });
    const evidence = { nodes: c.nodes, plan: c.source, missing };
    if (!missing.length) return { status: 'PASS', message: `all ${networked.length} planned network ports have a listener`, evidence };
    return { status: 'FAIL', message: `planned but not listening on the network: ${missing.join('; ')}`, evidence };
  },
});
