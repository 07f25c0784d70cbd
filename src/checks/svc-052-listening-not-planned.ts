import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'SVC-052',
    name: 'listening-not-planned',
    title: 'Sockets listen on the network that the port plan does not know',
    strategy: 'services',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['ports.check'],
    description:
      "Compares the TCP and UDP sockets listening on non-loopback addresses (from /proc/net) with the port plan of this host (`mqtt-warden ports`). Every listener the plan does not list is a service nobody decided to expose: an extra EMQX listener, a debug port, a forgotten daemon.",
    remediation:
      'Stop or rebind the service (to 127.0.0.1 if only local tools use it), or add the port to the plan (cluster file `listeners`) if it is really needed. Until then the planned firewall drops it once it is live: `mqtt-warden ports --cluster cluster.yaml --apply --dry-run` shows the difference from the live table and the same command without `--dry-run` loads it (use the plan file given to `--port-plan`).',
    references: ['https://docs.emqx.com/en/emqx/latest/configuration/listener.html', 'https://mosquitto.org/man/mosquitto-conf-5.html'],
  },
  judge({ 'ports.check': c }) {
    if (!c.sockets.length && c.socketProblems.length) return { status: 'ERROR', message: `cannot read the listening sockets: ${c.socketProblems.join('; ')}` };
    const planned = new Set(c.planned.map((p) => `${p.proto}/${p.port}`));
    const extra = c.sockets.filter((s) => !s.loopback && !planned.has(`${s.proto}/${s.port}`));
    const label = (s: (typeof extra)[number]) => `${s.proto}/${s.port} on ${s.family === 6 ? `[${s.address}]` : s.address}${s.processes.length ? ` (${s.processes.join(', ')})` : ''}`;
    const evidence = { nodes: c.nodes, plan: c.source, unplanned: extra.map(label), ...(c.socketProblems.length && { problems: c.socketProblems }) };
    if (!extra.length) return { status: 'PASS', message: `every network listener is in the port plan of ${c.nodes.join(', ')}`, evidence };
    return { status: 'FAIL', message: `listening but not in the port plan: ${evidence.unplanned.join(', ')}`, evidence };
  },
});
