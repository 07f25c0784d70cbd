import { defineCheck, untested } from '../core/check.js';

export default defineCheck({
  meta: {
    id: 'ACC-003',
    name: 'sys-subscription',
    title: 'Broker internals (`$SYS/#`) readable',
    strategy: 'access',
    severity: 'low',
    scope: 'endpoint',
    intrusive: false,
    needs: ['mqtt.probe'],
    description:
      'With the identity used, subscribes to `$SYS/#` and counts the `$SYS` topics that arrive within `--window`. A refused SUBACK passes; `$SYS` messages arriving fail; a granted SUBACK with nothing arriving is inconclusive (SKIP), because Mosquitto grants every SUBACK and filters per message, and EMQX publishes `$SYS` only every `sys_msg_interval`. The `$SYS` tree reveals the broker version, uptime, client counts and load, which helps an attacker plan and time an attack.',
    remediation:
      'Restrict `$SYS` to monitoring users. Mosquitto: grant `topic read $SYS/#` only to an admin user in the `acl_file` (or `sys_interval 0`). EMQX: `{deny, all, subscribe, ["$SYS/#"]}` in `acl.conf` before any allow rule, with an exception for the monitoring client.',
    references: ['https://mosquitto.org/man/mosquitto-8.html', 'https://docs.emqx.com/en/emqx/latest/observability/mqtt-system-topics.html'],
  },
  judge({ 'mqtt.probe': p }) {
    if (!p.session.tested) return untested(p.session);
    const s = p.session.sys;
    const evidence = { identity: p.identity, subackCode: s.code, messages: s.messages, topics: s.topics, windowMs: p.session.windowMs };
    if (!s.granted) return { status: 'PASS', message: `subscription to $SYS/# refused for ${p.identity} (SUBACK 0x${s.code.toString(16)})`, evidence };
    if (s.topics === 0) {
      // Mosquitto grants every SUBACK and filters per message; EMQX publishes $SYS only every sys_msg_interval.
      return {
        status: 'SKIP',
        message: `inconclusive: $SYS/# was granted at SUBACK but no $SYS message arrived within ${p.session.windowMs} ms (filtered by ACL, disabled, or published rarely)`,
        evidence,
      };
    }
    // Counts and timing stay in the evidence, so that the same finding reads the same on every endpoint.
    return { status: 'FAIL', message: `subscription to $SYS/# granted to ${p.identity}: $SYS topics arrived`, evidence };
  },
});
