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
      'Publishes one non-retained QoS 1 message to a unique topic under `$SYS/mqtt-warden-probe/` and watches whether it is refused (MQTT 5 PUBACK reason code) or delivered to `$SYS/#` subscribers. A writable `$SYS` lets clients forge broker statistics that monitoring trusts.',
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
      case 'not-delivered':
        return { status: 'PASS', message: w.detail, evidence };
      default:
        return { status: 'SKIP', message: `could not observe whether $SYS is writable: ${w.detail}`, evidence };
    }
  },
});
