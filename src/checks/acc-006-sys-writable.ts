import { defineCheck, untested } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-006',
    name: 'sys-writable',
    title: 'Clients can publish into `$SYS`',
    strategy: 'access',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'On a connection of its own, subscribes to a unique topic under `$SYS/mqtt-warden-probe/`, publishes one non-retained QoS 1 message to it and watches: delivered back (FAIL), refused with an MQTT 5 reason code >= 0x80 or by the broker closing the connection (PASS), or neither (SKIP: a broker that filters reads per message looks the same as one that dropped the publish, and MQTT 3.1.1 has no reason codes). A writable `$SYS` lets clients forge broker statistics that monitoring trusts.',
    remediation:
      'Deny publishing to `$SYS/#` for every client. Mosquitto 2 refuses it by design; with plugins or bridges check their ACLs. EMQX: `{deny, all, publish, ["$SYS/#"]}` in `acl.conf`.',
    references: ['https://mosquitto.org/man/mosquitto-8.html', 'https://docs.emqx.com/en/emqx/latest/access-control/authz/file.html'],
  },
  judge({ 'mqtt.probe': p }) {
    const w = p.sysWrite;
    if (!w.tested) return untested(w);
    const evidence = { identity: p.identity, outcome: w.outcome, detail: w.detail };
    switch (w.outcome) {
      case 'delivered':
        return { status: 'FAIL', message: `${p.identity} published into $SYS: ${w.detail}`, evidence };
      case 'refused':
        return { status: 'PASS', message: `publishing into $SYS was refused: ${w.detail}`, evidence };
      default:
        return { status: 'SKIP', message: `inconclusive: ${w.detail}`, evidence };
    }
  },
});
