import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-001',
    name: 'anonymous-access',
    title: 'Anonymous clients can connect',
    strategy: 'access',
    severity: 'high',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'Sends a CONNECT without username and password (MQTT 5, or 3.1.1 when the broker refuses 5) and reads the CONNACK code. An accepted anonymous session lets anyone who reaches the port publish and subscribe within whatever the ACL leaves open.',
    remediation:
      'Require authentication. Mosquitto: `allow_anonymous false` plus `password_file` (or a plugin such as dynamic security); with `per_listener_settings true` set it on every listener. EMQX: configure an `authentication` chain (it is empty by default, which admits every client) and `enable_authn = true` on every listener.',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://docs.emqx.com/en/emqx/latest/access-control/authn/authn.html',
    ],
  },
  judge({ 'mqtt.probe': p }) {
    const a = p.anonymous;
    const evidence = { protocolVersion: a.protocolVersion === 5 ? '5' : '3.1.1', connackCode: a.code, connack: a.codeName };
    if (a.accepted) {
      return { status: 'FAIL', message: `the broker accepted an anonymous CONNECT (MQTT ${evidence.protocolVersion}, ${a.codeName})`, evidence };
    }
    return { status: 'PASS', message: `anonymous CONNECT refused: ${a.codeName} (code ${a.code})`, evidence };
  },
});
