import { defineCheck, untested } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'UPD-001',
    name: 'broker-version-disclosed',
    title: 'Broker discloses its product and version to clients',
    strategy: 'updates',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'Reads the broker identity the probe identity can see: `$SYS/broker/version` (Mosquitto), `$SYS/brokers/<node>/version` (EMQX), the `$SYS` topic layout and MQTT 5 CONNACK properties. A version readable by ordinary clients tells an attacker which advisories apply; the version is also what the update checks compare against advisories.',
    remediation:
      'Keep the broker patched first. Then hide the identity from ordinary clients: Mosquitto — deny `$SYS/#` in the `acl_file` for non-admin users (or `sys_interval 0` to disable $SYS); EMQX — deny `$SYS/#` in `acl.conf` (`{deny, all, subscribe, ["$SYS/#"]}`) for non-admin clients.',
    references: [
      'https://mosquitto.org/man/mosquitto-8.html#idm290',
      'https://docs.emqx.com/en/emqx/latest/observability/mqtt-system-topics.html',
    ],
  },
  judge({ 'mqtt.probe': p }) {
    if (!p.session.tested) return untested(p.session, 'no session to read $SYS with: ');
    const b = p.broker;
    if (b.version) {
      return {
        status: 'FAIL',
        message: `${p.identity} can read the broker version: "${b.version}"`,
        evidence: { product: b.product, version: b.version, sources: b.sources, identity: p.identity },
      };
    }
    const evidence = { product: b.product, sources: b.sources, sysSubscriptionGranted: p.session.sys.granted, sysTopics: p.session.sys.topics };
    if (!p.session.sys.granted) return { status: 'PASS', message: `${p.identity} may not subscribe to $SYS, where brokers announce their version`, evidence };
    if (p.session.sys.topics > 0 && b.product !== 'unknown') {
      // A $SYS layout we know, seen in full enough to hold the version topic, but without it.
      return { status: 'PASS', message: `${p.session.sys.topics} $SYS topics of ${b.product} arrived within ${p.session.windowMs} ms, none announcing a version`, evidence };
    }
    // Nothing (or an unknown layout) arrived: filtered per message, or a broker that publishes $SYS only periodically (EMQX).
    return {
      status: 'SKIP',
      message: `inconclusive: $SYS/# was granted but ${p.session.sys.topics ? 'the $SYS layout is unknown' : 'nothing arrived'} within ${p.session.windowMs} ms`,
      evidence,
    };
  },
});
