import { defineCheck } from '../core/check.js';

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
      'Intrusive (`--intrusive`). Sends up to `--login-attempts` failed CONNECTs (paced by `--rate`, bounded by `--max-seconds`) with one random, non-existent username, so no real account can be locked, and one client ID. Restricted: a later attempt is refused at TCP level, dropped without CONNACK, answered with banned/busy/rate-exceeded, or answers slow down markedly. Unrestricted: every attempt is refused promptly. Mosquitto has no built-in limit (upstream issue #2076); EMQX has `flapping_detect`, off by default. Note that EMQX flapping detection keys on the client ID: an attacker who varies it is not caught.',
    remediation:
      'Restrict login attempts. Mosquitto: run a log-driven ban daemon on the broker host (fail2ban with a filter for the failed-login lines that `connection_messages true` produces, on every listener port) and firewall the listeners. EMQX: `flapping_detect.enable = true` (with `max_count`, `window_time`, `ban_time`), the banned API, and listener `max_conn_rate`.',
    references: [
      'https://github.com/eclipse-mosquitto/mosquitto/issues/2076',
      'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html#flapping_detect',
    ],
  },
  judge({ 'mqtt.loginRestriction': r }) {
    const evidence = {
      username: r.username,
      attempts: r.attempts.length,
      durationMs: r.durationMs,
      series: r.attempts.map((a) => `${a.n}:${a.outcome}${a.code !== undefined ? `(${a.code})` : ''}@${a.ms}ms`),
    };
    switch (r.verdict) {
      case 'restricted':
        return { status: 'PASS', message: `failed logins are restricted: ${r.reason}`, evidence };
      case 'unrestricted':
        return { status: 'FAIL', message: r.reason, evidence };
      case 'no-authentication':
        return { status: 'SKIP', message: `${r.reason} (see ACC-001)`, evidence };
      default:
        return { status: 'SKIP', message: `inconclusive: ${r.reason}`, evidence };
    }
  },
});
