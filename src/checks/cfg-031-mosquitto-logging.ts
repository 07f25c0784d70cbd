import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { flag } from '../config/mosquitto.js';
import { at, failuresOr, NO_MOSQUITTO_CONFIG } from './config-util.js';

/** Log types that include the connection and "not authorised" lines (logged at notice level). */
const CONNECTION_LEVELS = new Set(['notice', 'information', 'debug', 'all']);

export default defineCheck({
  meta: {
    id: 'CFG-031',
    name: 'mosquitto-logging',
    title: 'Mosquitto logging too thin for auditing and ban daemons',
    strategy: 'awareness',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.mosquitto', 'policy'],
    description:
      'Failed logins show up in the log only as "New connection from IP" followed by "Client … disconnected, not authorised" — both need `connection_messages true` (the default) and the notice level in `log_type` (the default set is error, warning, notice, information; any explicit `log_type` line replaces it). `log_dest none` turns logging off. Without these, fail2ban-style banning and incident review have nothing to read. Both are judged while the security policy requires a connection log (`logging.requireConnectionLog`, default true); `log_dest none` and `log_timestamp false` always.',
    remediation:
      'Keep `connection_messages true`, use `log_type error`, `log_type warning`, `log_type notice`, `log_type information` (or remove the explicit lines), and log to a file or syslog (`log_dest file /var/log/mosquitto/mosquitto.log`). Enable `log_timestamp true`. The "New connection" and "not authorised" lines at notice level are what `mqtt-warden guard --log /var/log/mosquitto/mosquitto.log` reads to ban addresses that keep failing logins (ACC-008); `mqtt-warden guard test /var/log/mosquitto/mosquitto.log` shows whether a log has them.',
    references: ['https://mosquitto.org/man/mosquitto-conf-5.html', 'https://github.com/eclipse/mosquitto/issues/2076'],
  },
  judge({ 'config.mosquitto': m, policy }) {
    const requireConnections = policy.logging.requireConnectionLog;
    if (!m.configs.length) return NO_MOSQUITTO_CONFIG;
    const fails: Verdict[] = [];
    for (const cfg of m.configs) {
      const cm = cfg.global.connection_messages;
      if (requireConnections && flag(cm) === false) fails.push({ status: 'FAIL', message: 'connection_messages false: connections and failed logins are not logged', location: at(cm!) });
      const types = cfg.globalAll.log_type ?? [];
      if (requireConnections && types.length && !types.some((d) => CONNECTION_LEVELS.has(d.args[0] ?? ''))) {
        fails.push({ status: 'FAIL', message: `log_type ${types.map((d) => d.args[0]).join(', ')}: the notice level with connection and authorisation messages is not logged`, location: at(types[0]!) });
      }
      const dests = cfg.globalAll.log_dest ?? [];
      if (dests.length && dests.every((d) => d.args[0] === 'none')) fails.push({ status: 'FAIL', severity: 'high', message: 'log_dest none: Mosquitto logs nothing', location: at(dests[0]!) });
      const ts = cfg.global.log_timestamp;
      if (flag(ts) === false) fails.push({ status: 'FAIL', severity: 'low', message: 'log_timestamp false: log lines carry no time', location: at(ts!) });
    }
    return failuresOr(fails, requireConnections ? 'connection messages are logged at notice level' : 'Mosquitto logs, with timestamps (the policy does not require connection messages)');
  },
});
