import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { identified, interfaceEvidence, interfaceName, probedPorts, unjudged } from './mgmt-util.js';

export default defineCheck({
  meta: {
    id: 'SVC-081',
    name: 'management-info-disclosed',
    title: 'Management interface discloses version or node details without credentials',
    strategy: 'services',
    severity: 'low',
    scope: 'host',
    intrusive: false,
    needs: ['mgmt.http'],
    description:
      'Lists what the management HTTP interfaces tell anyone who reaches them, without credentials: EMQX `/status?format=json` (release version `rel_vsn` and the Erlang node name, the name the distribution and the cookie attack need), `/api-docs/swagger.json` (the description of every API endpoint, with the version) or, on newer releases, the API index `/api-spec.json` and the dashboard page; the Mosquitto HTTP API version and listener list (ports, TLS, anonymous access); the NanoMQ version. A version tells an attacker which advisories apply. The config-side counterpart of the Swagger finding is SVC-042; the version the MQTT broker itself announces is UPD-001.',
    remediation:
      'Keep the management ports away from clients: firewall them to admin networks (`mqtt-warden ports --admins CIDR --render nftables`) or bind them to loopback (`dashboard.listeners.http.bind = "127.0.0.1:18083"`, `listener 9883 127.0.0.1`). EMQX answers `/status` by design (health checks): expose it only to the load balancer. Turn off the API description with `dashboard.swagger_support = false`. Mosquitto: `listener_allow_anonymous false` on the `http_api` listener.',
    references: [
      'https://docs.emqx.com/en/emqx/latest/admin/api.html',
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://owasp.org/www-project-web-security-testing-guide/latest/4-Web_Application_Security_Testing/01-Information_Gathering/02-Fingerprint_Web_Server',
    ],
  },
  judge({ 'mgmt.http': m }) {
    const verdicts: Verdict[] = [];
    for (const i of identified(m)) {
      if (!i.disclosures.length) continue;
      verdicts.push({
        status: 'FAIL',
        // A version or a node name raises it: both feed the next attack directly.
        severity: i.disclosures.some((d) => d.kind === 'version' || d.kind === 'node-name' || d.kind === 'listeners') ? 'medium' : 'low',
        message: `${interfaceName(i)} discloses without credentials: ${i.disclosures.map((d) => `${d.kind} "${d.value}" (${d.path})`).join('; ')}`,
        evidence: { ...interfaceEvidence(i), disclosures: i.disclosures },
        key: String(i.port),
      });
    }
    verdicts.push(...unjudged(m));
    if (verdicts.length) return verdicts;
    const found = identified(m);
    return {
      status: 'PASS',
      message: found.length ? `no version or node details without credentials: ${found.map(interfaceName).join('; ')}` : `no management HTTP interface answers on ${m.host} (ports ${probedPorts(m)})`,
    };
  },
});
