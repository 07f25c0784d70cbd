import { defineCheck } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-009',
    name: 'client-id-takeover',
    title: 'Sessions can be taken over by client ID',
    strategy: 'access',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: true,
    needs: ['mqtt.takeover'],
    description:
      'Intrusive (`--intrusive`). Opens a session with a random client ID, then connects a second time with the same client ID, as anonymous when the broker admits anonymous clients (else with the same identity), and watches whether the first session is disconnected. MQTT requires the takeover for the same client; it is a finding when a different identity or any anonymous client can do it (high), and low when only the same authenticated identity can. A second CONNECT refused for its duplicate client ID passes; refused for another reason (busy, banned) it is inconclusive, because any holder of a shared credential can kick devices off by guessing their IDs.',
    remediation:
      'Bind client IDs to identities. Mosquitto: `use_username_as_clientid true`, or `clientid_prefixes`, and ACL `pattern` rules with `%c`; avoid shared credentials. EMQX: authorization rules on `${clientid}` and per-device credentials; `flapping_detect` limits kick-loops.',
    references: [
      'https://docs.oasis-open.org/mqtt/mqtt/v5.0/os/mqtt-v5.0-os.html#_Toc3901073',
      'https://mosquitto.org/man/mosquitto-conf-5.html',
    ],
  },
  judge({ 'mqtt.takeover': t }) {
    const evidence = {
      firstIdentity: t.firstIdentity,
      secondIdentity: t.secondIdentity,
      secondAccepted: t.secondAccepted,
      ...(t.secondRefusal ? { secondRefusal: t.secondRefusal } : {}),
      detail: t.detail,
    };
    if (!t.tookOver) {
      if (t.secondAccepted || t.secondRefusal === 'identifier') return { status: 'PASS', message: `the session was not taken over: ${t.detail}`, evidence };
      // Refused as busy, banned, or an identity that connected a moment ago: nothing was learnt about takeover.
      return { status: 'SKIP', message: `inconclusive: ${t.detail}`, evidence };
    }
    if (t.firstAnonymous || t.secondAnonymous !== t.firstAnonymous) {
      // Anonymous is no identity: anyone who reaches the port can kick any device whose client ID it learns.
      const who = t.secondAnonymous ? 'any anonymous client' : t.secondIdentity;
      return { status: 'FAIL', severity: 'high', message: `${who} can take over a session of ${t.firstIdentity} by reusing its client ID: ${t.detail}`, evidence };
    }
    return {
      status: 'FAIL',
      severity: 'low',
      message: `any client authenticated as ${t.firstIdentity} can take over another session with the same client ID: ${t.detail}`,
      evidence,
    };
  },
});
