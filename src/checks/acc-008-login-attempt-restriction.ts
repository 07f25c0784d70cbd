import { defineCheck } from '../core/check.js';

const AMBIGUITY =
  'the refusals were "not authorized", which Mosquitto also sends for a client ID outside clientid_prefixes: give --username (an account that can log in) to rule that out';

export default defineCheck({
  meta: {
    id: 'ACC-008',
    name: 'login-attempt-restriction',
    title: 'Failed logins are not restricted',
    strategy: 'access',
    severity: 'medium',
    scope: 'endpoint',
    intrusive: true,
    needs: ['mqtt.loginRestriction'],
    description:
      'Intrusive (`--intrusive`). Sends up to `--login-attempts` failed CONNECTs (paced by `--rate`, bounded by `--max-seconds`) with one random, non-existent username, so no real account can be locked, and one client ID. Restricted: a later attempt is refused at TCP level, dropped without CONNACK, answered with banned/busy/rate-exceeded, or answers slow down markedly. Unrestricted: every attempt is refused promptly. Mosquitto has no built-in limit (upstream issue #2076); EMQX has `flapping_detect`, off by default. Note that EMQX flapping detection keys on the client ID: an attacker who varies it is not caught. Mosquitto refuses a wrong password with "not authorized", the code it also gives a client ID outside the deprecated `clientid_prefixes`. When no CONNECT with a random client ID was seen accepted (audited without `--username`), the series is judged all the same (repeated CONNECTs refused promptly are unrestricted either way) and the message and evidence say what was not ruled out.',
    remediation:
      'Restrict login attempts. Mosquitto: run a log-driven ban daemon on the broker host (fail2ban with a filter for the failed-login lines that `connection_messages true` produces, on every listener port) and firewall the listeners. EMQX: `flapping_detect.enable = true` (with `max_count`, `window_time`, `ban_time`), the banned API, and listener `max_conn_rate`.',
    references: [
      'https://github.com/eclipse-mosquitto/mosquitto/issues/2076',
      'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html#flapping_detect',
    ],
  },
  judge({ 'mqtt.loginRestriction': r }) {
    // Mosquitto refuses a wrong password and a client ID outside clientid_prefixes with the same code.
    const ambiguous = !r.clientIdProven && r.attempts.some((a) => a.outcome === 'refused' && a.notAuthorized);
    const evidence = {
      username: r.username,
      attempts: r.attempts.length,
      durationMs: r.durationMs,
      series: r.attempts.map((a) => `${a.n}:${a.outcome}${a.code !== undefined ? `(${a.code})` : ''}@${a.ms}ms`),
      clientIdProven: r.clientIdProven,
      ...(ambiguous && { ambiguity: AMBIGUITY }),
    };
    switch (r.verdict) {
      case 'restricted':
        return { status: 'PASS', message: `failed logins are restricted: ${r.reason}`, evidence };
      case 'unrestricted':
        return { status: 'FAIL', message: ambiguous ? `${r.reason}; ${AMBIGUITY}` : r.reason, evidence };
      case 'no-authentication':
        return { status: 'SKIP', message: `${r.reason} (see ACC-001)`, evidence };
      default:
        return { status: 'SKIP', message: `inconclusive: ${r.reason}`, evidence };
    }
  },
});
