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
      'Sends a CONNECT without username, password or client certificate (MQTT 5, or 3.1.1 when the broker refuses 5) and reads the CONNACK code. Only an authentication refusal (3.1.1 codes 4/5, MQTT 5 0x86/0x87/0x8C) or a connection dropped without CONNACK while the configured identity gets one pass; other codes (server busy, banned, identifier rejected) are inconclusive. An accepted anonymous session lets anyone who reaches the port publish and subscribe within whatever the ACL leaves open.',
    remediation:
      'Require authentication. Mosquitto: `allow_anonymous false` plus `password_file` (or a plugin such as dynamic security); with `per_listener_settings true` set it on every listener. EMQX: configure an `authentication` chain (it is empty by default, which admits every client) and `enable_authn = true` on every listener.',
    references: [
      'https://mosquitto.org/man/mosquitto-conf-5.html',
      'https://docs.emqx.com/en/emqx/latest/access-control/authn/authn.html',
    ],
  },
  judge({ 'mqtt.probe': p }) {
    if ('dropped' in p.anonymous) {
      return {
        status: 'PASS',
        message: `the broker dropped the anonymous CONNECT without a CONNACK, while ${p.identity} got one`,
        evidence: { dropped: p.anonymous.dropped, identity: p.identity },
      };
    }
    const a = p.anonymous.connack;
    const evidence = { protocolVersion: a.protocolVersion === 5 ? '5' : '3.1.1', connackCode: a.code, connack: a.codeName };
    if (a.accepted) {
      return { status: 'FAIL', message: `the broker accepted an anonymous CONNECT (MQTT ${evidence.protocolVersion}, ${a.codeName})`, evidence };
    }
    if (a.refusal === 'auth' || (a.refusal === 'not-authorized' && p.randomClientIdAccepted)) {
      return { status: 'PASS', message: `anonymous CONNECT refused: ${a.codeName} (code ${a.code})`, evidence };
    }
    if (a.refusal === 'not-authorized') {
      // The usual answer of Mosquitto to anonymous clients, but also to a client ID outside clientid_prefixes.
      return {
        status: 'PASS',
        message: `anonymous CONNECT refused: ${a.codeName} (code ${a.code}); Mosquitto gives the same answer to a client ID outside clientid_prefixes (deprecated), which --username would rule out`,
        evidence: { ...evidence, clientIdRuledOut: false },
      };
    }
    return {
      status: 'SKIP',
      message: `inconclusive: the broker answered the anonymous CONNECT with "${a.codeName}" (code ${a.code}), which says nothing about authentication`,
      evidence,
    };
  },
});
