import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { identified, interfaceEvidence, interfaceName, probedPorts, unjudged } from './mgmt-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-080',
    name: 'management-api-unauthenticated',
    title: 'A management HTTP API answers without credentials',
    strategy: 'services',
    severity: 'high',
    scope: 'host',
    intrusive: false,
    needs: ['mgmt.http'],
    description:
      'Asks the management HTTP interfaces of the host (the EMQX dashboard and REST API, the Mosquitto 2.1 `http_api` listener, the NanoMQ HTTP server; ports in docs/management-probes.md) for one API resource without credentials: EMQX `GET /api/v5/nodes`, Mosquitto `GET /api/v1/version` and `/api/v1/listeners`, NanoMQ `GET /api/v4/brokers`. An API that answers with data lets anyone who reaches the port read the broker\'s state; on NanoMQ (no `auth_type`) it also lets them change the configuration and publish. Only GET requests are made. Whether the port is reachable at all is SVC-001; whether the default password logs in is ACC-071 (`--intrusive`).',
    remediation:
      'Mosquitto: bind the HTTP API to loopback (`listener 9883 127.0.0.1` with `protocol http_api`) and refuse anonymous requests on it (`listener_allow_anonymous false` under that listener, with a password file or plugin), or remove the listener. NanoMQ: set `http_server.auth_type = basic` with its own `username` and `password`, or `http_server.enable = false`. EMQX: its API always needs a token or API key; an answer without one means a proxy in front strips or adds credentials: fix the proxy. In every case firewall the port to admin networks (`mqtt-warden ports --admins CIDR --render nftables`).',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://nanomq.io/docs/en/latest/api/v4.html',
      'https://docs.emqx.com/en/emqx/latest/admin/api.html',
    ],
  },
  judge({ 'mgmt.http': m }, ctx) {
    const open = m.interfaces.filter((i) => i.auth === 'not-required');
    const verdicts: Verdict[] = open.map((i) => ({
      status: 'FAIL',
      // From loopback this shows the API is open, not that it is exposed beyond the host.
      severity: ctx.loopback ? 'medium' : 'high',
      message: `${interfaceName(i)} answers ${i.openApiPath} without credentials${ctx.loopback ? ' (seen from loopback: check who else reaches the port)' : ''}`,
      evidence: interfaceEvidence(i),
      key: String(i.port),
    }));
    verdicts.push(...unjudged(m));
    if (verdicts.length) return verdicts;
    const found = identified(m);
    return {
      status: 'PASS',
      message: found.length
        ? `every management API on ${m.host} refuses requests without credentials: ${found.map(interfaceName).join('; ')}`
        : `no management HTTP interface answers on ${m.host} (ports ${probedPorts(m)})`,
      evidence: { interfaces: found.map(interfaceEvidence) },
    };
  },
});
