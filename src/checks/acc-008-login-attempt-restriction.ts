import { defineCheck } from '../core/check.js';
import type { LoginAttempt } from '../core/facts.js';

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
    needs: ['mqtt.loginRestriction', 'policy'],
    description:
      'Intrusive (`--intrusive`). Sends up to `--login-attempts` failed CONNECTs (paced by `--rate`, bounded by `--max-seconds`) with one random, non-existent username, so no real account can be locked, and one client ID. Restricted: a later attempt is refused at TCP level, dropped without CONNACK, answered with banned/busy/rate-exceeded, or answers slow down markedly. Unrestricted: every attempt is refused promptly. Mosquitto has no built-in limit (upstream issue #2076); EMQX has `flapping_detect`, off by default. Note that EMQX flapping detection keys on the client ID: an attacker who varies it is not caught. Mosquitto refuses a wrong password with "not authorized", the code it also gives a client ID outside the deprecated `clientid_prefixes`. The security policy sets how many failed logins may pass before the limit (`loginAttempts.maxFailures`, default 5): a limit that only begins after more failures is a finding, and a series of prompt refusals no longer than that allowance proves nothing (SKIP: raise `--login-attempts`). When no CONNECT with a random client ID was seen accepted (audited without `--username`), the series is judged all the same (repeated CONNECTs refused promptly are unrestricted either way) and the message and evidence say what was not ruled out.',
    remediation:
      'Restrict login attempts. Mosquitto has no built-in limit: run `mqtt-warden guard --log /var/log/mosquitto/mosquitto.log` on the broker host, which follows the log, counts refused logins per address on every listener port and bans offenders with nftables (or ipset); it needs `connection_messages true` and a log file (CFG-007, CFG-031), `mqtt-warden guard test /var/log/mosquitto/mosquitto.log` shows what it finds in a log, and `--allow CIDR` keeps an admin network from being banned (docs/guard.md describes the options and the systemd unit). Firewall the listeners too: `mqtt-warden ports --mosquitto-config /etc/mosquitto/mosquitto.conf --clients 10.0.0.0/8 --admins 192.168.1.0/24 --render nftables` (CFG-002). EMQX: `flapping_detect.enable = true` (with `max_count`, `window_time`, `ban_time`), the banned API and listener `max_conn_rate`, together with `mqtt-warden guard --log /var/log/emqx/emqx.log --log-format emqx`; EMQX throttles its `authentication_failure` log lines, so the guard sees only part of the attempts and flapping detection stays the main limit.',
    references: [
      'https://github.com/eclipse-mosquitto/mosquitto/issues/2076',
      'https://docs.emqx.com/en/emqx/latest/configuration/configuration-manual.html#flapping_detect',
    ],
  },
  judge({ 'mqtt.loginRestriction': r, policy }) {
    const allowed = policy.loginAttempts.maxFailures;
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
      case 'restricted': {
        const after = failuresBeforeLimit(r.attempts);
        if (after !== undefined && after > allowed) {
          return { status: 'FAIL', severity: 'low', message: `failed logins are restricted only after ${after} failures (${r.reason}): the policy allows ${allowed} (loginAttempts.maxFailures)`, evidence: { ...evidence, failuresBeforeLimit: after, maxFailures: allowed } };
        }
        return { status: 'PASS', message: `failed logins are restricted: ${r.reason}${after !== undefined ? ` (after ${after} failures; the policy allows ${allowed})` : ''}`, evidence };
      }
      case 'unrestricted': {
        const refused = r.attempts.filter((a) => a.outcome === 'refused').length;
        if (refused <= allowed) {
          return { status: 'SKIP', message: `${refused} failed logins were refused promptly, but the policy allows ${allowed} before a limit (loginAttempts.maxFailures): the test proves nothing; raise --login-attempts to ${allowed + 2} or more`, evidence: { ...evidence, maxFailures: allowed } };
        }
        return { status: 'FAIL', message: `${ambiguous ? `${r.reason}; ${AMBIGUITY}` : r.reason} (the policy allows ${allowed} failed logins before a limit)`, evidence: { ...evidence, maxFailures: allowed } };
      }
      case 'no-authentication':
        return { status: 'SKIP', message: `${r.reason} (see ACC-001)`, evidence };
      default:
        return { status: 'SKIP', message: `inconclusive: ${r.reason}`, evidence };
    }
  },
});

/**
 * How many failed logins passed before the limit took effect, read from the series as the collector's
 * verdict reads it (src/collectors/mqtt/intrusive.ts judgeAttempts): a ban or rate code, two dropped
 * connections in a row, or answers that slowed down (the first slow one).
 */
function failuresBeforeLimit(attempts: readonly LoginAttempt[]): number | undefined {
  const limit = attempts.find((a) => a.outcome === 'banned' || a.outcome === 'throttled-code');
  if (limit) return limit.n - 1;
  const dropped = (a: LoginAttempt | undefined) => a?.outcome === 'no-connack' || a?.outcome === 'connect-failed';
  const last = attempts[attempts.length - 1];
  const prev = attempts[attempts.length - 2];
  if (dropped(last) && dropped(prev)) return prev!.n - 1;
  const refused = attempts.filter((a) => a.outcome === 'refused');
  const early = refused.slice(0, 3).map((a) => a.ms).sort((x, y) => x - y);
  const base = early[Math.floor(early.length / 2)];
  if (base === undefined) return undefined;
  const slow = refused.find((a) => a.ms > Math.max(base * 4, base + 500));
  return slow ? slow.n - 1 : undefined;
}
