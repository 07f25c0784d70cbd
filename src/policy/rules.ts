/**
 * The security policy's rules: every value of the policy file (src/config/policy.ts) that drives a check,
 * with the sentence the readable policy states, the checks that enforce it and how the value reaches them.
 * `policy init` comments the file from this table, `policy render` writes the document from it, and
 * test/policy.test.ts keeps it true: every schema value has a rule, every rule's checks really read the value
 * (their judges are run with a policy that records what it is asked), and the values that reach a check through
 * a collector or an option are tested by changing them.
 */
import type { StrategyId } from '../core/types.js';
import type { Policy } from '../config/policy.js';

export interface PolicyRule {
  /** The value's path in the policy file. */
  key: string;
  strategy: StrategyId;
  title: string;
  /** What the organisation requires, with the value filled in (one or two sentences of the readable policy). */
  statement(p: Policy): string;
  /** The checks that enforce it (IDs of the catalogue). */
  checks: readonly string[];
  /**
   * How the value reaches those checks: `judge` (the check reads the `policy` fact), `collector` (the facts are
   * built with it), `option` (it is the default of a command option).
   */
  via: 'judge' | 'collector' | 'option';
  /** Our commands that apply it besides the checks (e.g. `passwd hash`). */
  commands?: readonly string[];
  /** Why this default (source), for the comment `policy init` writes. */
  rationale: string;
  /** For a value without default: the example `policy init` shows commented out (YAML flow text). */
  example?: string;
}

const list = (v: readonly (string | number)[]) => v.map(String).join(', ');

/** 300 → "5 minutes" (the policy's durations are seconds). */
function duration(secs: number): string {
  for (const [n, name] of [[86400, 'day'], [3600, 'hour'], [60, 'minute']] as const) if (secs % n === 0 && secs >= n) return `${secs / n} ${name}${secs / n === 1 ? '' : 's'}`;
  return `${secs} second${secs === 1 ? '' : 's'}`;
}

export const POLICY_RULES: readonly PolicyRule[] = [
  {
    key: 'tls.minVersion',
    strategy: 'tls',
    title: 'Minimum TLS version',
    statement: (p) => `Broker listeners accept no TLS version older than ${p.tls.minVersion === 'tlsv1.3' ? 'TLS 1.3' : 'TLS 1.2'}; SSL 3.0, TLS 1.0 and TLS 1.1 are never offered.`,
    checks: ['TLS-030', 'TLS-040'],
    via: 'judge',
    rationale: 'TLS 1.0 and 1.1 are deprecated (RFC 8996); tlsv1.3 where every client supports it',
  },
  {
    key: 'tls.expiryWarningDays',
    strategy: 'tls',
    title: 'Certificate expiry warnings',
    statement: (p) =>
      `Certificates are renewed before they expire: a certificate served by a broker or found in its key files that expires within ${list(p.tls.expiryWarningDays)} days is a finding (the nearest bound a medium one).`,
    checks: ['TLS-010', 'TLS-054'],
    via: 'option',
    commands: ['audit (default of --expiry-warn-days)'],
    rationale: 'one or more day counts; the smallest gives the medium finding',
  },
  {
    key: 'tls.minRsaBits',
    strategy: 'tls',
    title: 'Minimum RSA and DH key size',
    statement: (p) => `Broker keys, certificates (management interfaces' included) and DH parameters use RSA or DH keys of at least ${p.tls.minRsaBits} bits.`,
    checks: ['TLS-053', 'SVC-082'],
    via: 'judge',
    rationale: 'NIST SP 800-57 part 1: 2048 bits for RSA and finite-field DH',
  },
  {
    key: 'tls.minEcBits',
    strategy: 'tls',
    title: 'Minimum elliptic-curve key size',
    statement: (p) => `Elliptic-curve keys of brokers and their management interfaces have at least ${p.tls.minEcBits} bits.`,
    checks: ['TLS-053', 'SVC-082'],
    via: 'judge',
    rationale: 'NIST SP 800-57 part 1: 256 bits (P-224 is deprecated)',
  },
  {
    key: 'passwords.minLength',
    strategy: 'access',
    title: 'Password length',
    statement: (p) => `Passwords of MQTT and management accounts have at least ${p.passwords.minLength} characters.`,
    checks: ['ACC-039'],
    via: 'collector',
    commands: ['passwd check', 'passwd hash (refuses weaker passwords)'],
    rationale: 'long random passwords; `mqtt-warden passwd gen` makes them',
  },
  {
    key: 'passwords.minClasses',
    strategy: 'access',
    title: 'Password character classes',
    statement: (p) => `Passwords mix at least ${p.passwords.minClasses} of the four character classes (lower case, upper case, digits, symbols).`,
    checks: ['ACC-039'],
    via: 'collector',
    commands: ['passwd check', 'passwd hash'],
    rationale: 'a floor against dictionary words; length and entropy matter more',
  },
  {
    key: 'passwords.minEntropyBits',
    strategy: 'access',
    title: 'Password guessing entropy',
    statement: (p) => `Passwords resist guessing: about ${p.passwords.minEntropyBits} bits of entropy or more, and none is on the list of common passwords.`,
    checks: ['ACC-039'],
    via: 'collector',
    commands: ['passwd check', 'passwd hash'],
    rationale: 'estimated from the password\'s structure and the bundled common-password list',
  },
  {
    key: 'passwords.mosquittoMinIterations',
    strategy: 'access',
    title: 'Mosquitto password hash strength',
    statement: (p) => `Mosquitto password files store PBKDF2-SHA512 ($7$) hashes with at least ${p.passwords.mosquittoMinIterations.toLocaleString('en-US')} iterations, or argon2id; no plain-text or $6$ entries.`,
    checks: ['ACC-036'],
    via: 'judge',
    rationale: 'mosquitto_passwd 2.0 writes 101 iterations and 2.1 writes 1,000: both are far below current guidance for PBKDF2-SHA512',
  },
  {
    key: 'passwords.hashIterations',
    strategy: 'access',
    title: 'Iterations of new password entries',
    statement: (p) => `New Mosquitto password entries are written with ${p.passwords.hashIterations.toLocaleString('en-US')} PBKDF2-SHA512 iterations (\`mqtt-warden passwd hash\`).`,
    checks: ['ACC-036'],
    via: 'option',
    commands: ['passwd hash (default of --iterations)'],
    rationale: 'at least passwords.mosquittoMinIterations, so new entries pass ACC-036',
  },
  {
    key: 'emqx.minCookieLength',
    strategy: 'access',
    title: 'EMQX Erlang cookie',
    statement: (p) => `Every EMQX node has its own random Erlang cookie of at least ${p.emqx.minCookieLength} characters; the packaged default cookies are never used.`,
    checks: ['ACC-050'],
    via: 'judge',
    rationale: 'the cookie is the only secret of the Erlang distribution',
  },
  {
    key: 'emqx.minBcryptRounds',
    strategy: 'access',
    title: 'EMQX bcrypt cost',
    statement: (p) => `EMQX password authenticators that use bcrypt have a cost (salt_rounds) of at least ${p.emqx.minBcryptRounds}.`,
    checks: ['ACC-056'],
    via: 'judge',
    rationale: 'OWASP Password Storage Cheat Sheet: bcrypt cost 10 or more',
  },
  {
    key: 'emqx.minPbkdf2Iterations',
    strategy: 'access',
    title: 'EMQX PBKDF2 iterations',
    statement: (p) => `EMQX password authenticators that use PBKDF2 run at least ${p.emqx.minPbkdf2Iterations.toLocaleString('en-US')} iterations; plain, MD5 and single SHA hashes are not used.`,
    checks: ['ACC-056'],
    via: 'judge',
    rationale: 'single fast hashes are brute-forced at billions per second',
  },
  {
    key: 'listeners.allowed',
    strategy: 'services',
    title: 'Allowed listeners',
    statement: (p) =>
      p.listeners.allowed
        ? `Brokers listen only on ${list(p.listeners.allowed)}; any other listener is a finding.`
        : 'Brokers do not listen on all interfaces without need; the policy lists no allowed listeners yet (set listeners.allowed to make every other listener a finding).',
    checks: ['SVC-030', 'SVC-040', 'SVC-071'],
    via: 'judge',
    rationale: 'e.g. ["127.0.0.1:1883", "*:8883"]: plaintext on loopback only, TLS for the network',
    example: '["127.0.0.1:1883", "*:8883"]',
  },
  {
    key: 'networks.clients',
    strategy: 'services',
    title: 'Networks MQTT clients connect from',
    statement: (p) =>
      p.networks.clients
        ? `MQTT client ports are opened only to ${list(p.networks.clients)}; a port plan that opens them wider, or to anyone, is a finding.`
        : 'MQTT client ports are opened only to the networks that need them; the policy lists no client networks yet (set networks.clients to make any other network a finding).',
    checks: ['SVC-090'],
    via: 'judge',
    rationale: 'addresses or CIDR networks; held against the port plan of audit --port-plan (the networks its firewall opens)',
    example: '["10.20.0.0/16"]',
  },
  {
    key: 'networks.management',
    strategy: 'services',
    title: 'Networks that reach management and cluster ports',
    statement: (p) =>
      p.networks.management
        ? `Cluster ports (Erlang distribution, cluster RPC, epmd) and management ports (dashboards, REST APIs, SSH) are opened only to ${list(p.networks.management)}.`
        : 'Cluster and management ports are opened only to the cluster peers and the administrators\' network; the policy lists no management networks yet (set networks.management to make any other network a finding).',
    checks: ['SVC-090'],
    via: 'judge',
    rationale: 'the cluster nodes\' own network and the admins\' network; never the client networks',
    example: '["10.0.0.0/24", "192.168.1.0/24"]',
  },
  {
    key: 'loginAttempts.maxFailures',
    strategy: 'access',
    title: 'Failed logins before a limit',
    statement: (p) =>
      `Repeated failed logins are stopped: after at most ${p.loginAttempts.maxFailures} failed logins a client's further attempts are refused, dropped or slowed (tested live with \`audit --intrusive\`), and an EMQX dashboard account locks after at most ${p.loginAttempts.maxFailures} failed logins.`,
    checks: ['ACC-008', 'CFG-053'],
    via: 'judge',
    rationale: 'fail2ban, mqtt-warden guard and the EMQX 6 dashboard lock after 5; audit --intrusive must send more (--login-attempts, default 12)',
  },
  {
    key: 'loginAttempts.window',
    strategy: 'access',
    title: 'Period over which failed logins are counted',
    statement: (p) => `A broker's own limit on repeated connects (EMQX flapping detection) counts them over at least ${duration(p.loginAttempts.window)}, so a slower guesser is caught too.`,
    checks: ['CFG-050'],
    via: 'judge',
    rationale: 'seconds, or "1m", "10m"; the default is EMQX\'s flapping_detect.window_time',
  },
  {
    key: 'loginAttempts.banFor',
    strategy: 'access',
    title: 'Ban after repeated failed logins',
    statement: (p) => `A source or account stopped for repeated failed logins stays stopped for at least ${duration(p.loginAttempts.banFor)} (EMQX flapping detection's ban time, the EMQX dashboard lock).`,
    checks: ['CFG-050', 'CFG-053'],
    via: 'judge',
    rationale: 'seconds, or "5m", "1h"; the default is EMQX\'s flapping_detect.ban_time',
  },
  {
    key: 'logging.requireConnectionLog',
    strategy: 'awareness',
    title: 'Connection and failed-login log',
    statement: (p) =>
      p.logging.requireConnectionLog
        ? 'Brokers log every connection and every refused login with the client\'s address (Mosquitto: `connection_messages true` and the notice level of `log_type`), so that a ban daemon (`mqtt-warden guard`) can act on them and incidents can be traced.'
        : 'The organisation does not require brokers to log connections and refused logins; a broker must still log somewhere (not `log_dest none`).',
    checks: ['CFG-007', 'CFG-031'],
    via: 'judge',
    rationale: 'needed by mqtt-warden guard and fail2ban, and to trace an incident; false only where another layer logs connections',
  },
  {
    key: 'logging.minRetentionDays',
    strategy: 'awareness',
    title: 'Log retention',
    statement: (p) => `The broker log (its file, or the systemd journal it writes to) is kept for at least ${p.logging.minRetentionDays} days.`,
    checks: ['CFG-100'],
    via: 'judge',
    rationale: 'long enough to look back at an incident found late; logrotate `weekly` with `rotate 13` keeps about 91 days',
  },
  {
    key: 'updates.maxListsAgeDays',
    strategy: 'updates',
    title: 'Update cadence',
    statement: (p) =>
      `Every broker host refreshes its package lists at least every ${p.updates.maxListsAgeDays} day${p.updates.maxListsAgeDays === 1 ? '' : 's'} and installs the updates they name, security updates first; "no update pending" is only accepted from lists that fresh.`,
    checks: ['UPD-050', 'UPD-002', 'UPD-003'],
    via: 'judge',
    rationale: 'apt-daily refreshes the lists every day; a week allows for a host that was off',
  },
  {
    key: 'drills.required',
    strategy: 'awareness',
    title: 'Required drills',
    statement: (p) =>
      `The drills ${list(p.drills.required)} are rehearsed against the production brokers (\`mqtt-warden drill run NAME --target URL --history\`)${p.drills.owner ? `, run by ${p.drills.owner}` : ''}; a drill whose expectations are not met is handled as a security incident until the defence is fixed and the drill holds again.`,
    checks: ['CFG-110'],
    via: 'judge',
    rationale: 'the brute-force drill proves the login restriction (guard) reacts, the sweep that the ACL keeps topics closed: the two defences of the access-control strategy an attacker tries first',
  },
  {
    key: 'drills.cadenceDays',
    strategy: 'awareness',
    title: 'Drill cadence',
    statement: (p) => `Every required drill has held at least once in the last ${p.drills.cadenceDays} days.`,
    checks: ['CFG-110'],
    via: 'judge',
    rationale: 'a quarter keeps every drill within one change cycle of most brokers; run them after every change to the broker, its ACL or guard too',
  },
];

/** The schema's values that are not rules: who the policy belongs to (shown in the document, judged by nothing). */
export const POLICY_METADATA: readonly string[] = ['organisation.name', 'organisation.owner', 'organisation.contact', 'organisation.reviewed', 'drills.owner'];

/** A value of the policy by its dotted path. */
export function policyValue(p: Policy, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), p);
}
