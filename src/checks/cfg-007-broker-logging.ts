import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'CFG-007',
    name: 'broker-logging',
    title: 'Broker logging is not durable or omits connection messages',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['sys.logging', 'policy'],
    description:
      'Mosquitto: `log_dest` must name a durable destination (`file PATH` or `syslog`; the default stderr only persists under systemd\'s journal) and `connection_messages` must stay on: without the "New connection from IP" and "disconnected, not authorised" lines no ban daemon (fail2ban, mqtt-warden guard) can see failed logins, and incidents cannot be traced. The connection messages are judged while the security policy requires a connection log (`logging.requireConnectionLog`, default true). EMQX logging is not judged in this version (its failed-login log lines are throttled anyway: see the EMQX notes of ACC-008).',
    remediation:
      'mosquitto.conf: `log_dest file /var/log/mosquitto/mosquitto.log` (or `log_dest syslog`), `connection_messages true`, one `log_type` line per type (`log_type error`, `log_type warning`, `log_type notice`, `log_type information`; Mosquitto reads only the first type of a line), and rotate the file (Debian ships /etc/logrotate.d/mosquitto). The notice-level connection lines are what `mqtt-warden guard --log /var/log/mosquitto/mosquitto.log` reads to ban addresses that keep failing logins (ACC-008); `mqtt-warden guard test /var/log/mosquitto/mosquitto.log` shows whether it finds them.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://docs.emqx.com/en/emqx/latest/observability/log.html'],
  },
  judge({ 'sys.logging': l, policy }) {
    const requireConnections = policy.logging.requireConnectionLog;
    if (!l.brokers.length) return { status: 'SKIP', message: 'no broker config with logging settings found' };
    return l.brokers.flatMap((b): Verdict[] => {
      const out: Verdict[] = [];
      const evidence = { ...b };
      if (requireConnections && !b.connectionMessages.value) {
        out.push({ status: 'FAIL', message: `${b.product}: connection_messages false: failed logins and client addresses are not logged`, evidence, ...(b.connectionMessages.location && { location: b.connectionMessages.location }) });
      }
      if (!b.durable) {
        const first = b.destinations.find((d) => d.location);
        out.push({ status: 'FAIL', severity: 'low', message: `${b.product}: log_dest ${b.destinations.map((d) => d.dest).join(', ')}: no file or syslog destination (stderr reaches the journal only under systemd)`, evidence, ...(first?.location && { location: first.location }) });
      }
      if (!out.length) out.push({ status: 'PASS', message: `${b.product}: logs to ${b.destinations.map((d) => d.dest).join(', ')} ${b.connectionMessages.value ? 'with' : 'without (the policy does not require them)'} connection messages (${b.file})`, evidence });
      return out;
    });
  },
});
