/**
 * The training lab's estate in one place: its scenarios (one deliberately weak broker each, on a fixed
 * port of the documented block), the weaknesses each one plants and the check that must find every
 * weakness, the hints `lab score` gives for a missed one, and the exercises. docs/lab.md describes
 * the same table; test/lab.test.ts proves that an audit of the started lab finds every weakness.
 *
 * This module is data only (no side effects), so `lab list`, `lab exercise` and `lab score` load
 * nothing else.
 */

/** First port of the lab's block: scenario ports are this plus their offset (21883…21887, 21893). */
export const LAB_PORT_BASE = 21883;
/** The address the lab binds to unless --bind names another loopback address. */
export const LAB_DEFAULT_BIND = '127.0.0.1';
/** Credentials planted in the weak-login scenario: the first entry of ACC-007's built-in list that is not admin/public. */
export const LAB_WEAK_USER = { username: 'admin', password: 'admin' } as const;

export type LabScheme = 'mqtt' | 'mqtts' | 'ws';

export interface LabScenario {
  name: string;
  title: string;
  /** Port = port base + offset. */
  offset: number;
  scheme: LabScheme;
  /** WebSocket path (ws only). */
  path?: string;
  /** Runs a real Mosquitto (needs `mosquitto` on PATH and `lab start --real`) instead of an in-process Aedes broker. */
  real?: boolean;
  description: string;
}

export const LAB_SCENARIOS: readonly LabScenario[] = [
  {
    name: 'open',
    title: 'Open broker',
    offset: 0,
    scheme: 'mqtt',
    description:
      'Plaintext MQTT, anonymous clients, no ACL: `#` and `$SYS/#` readable, `$SYS` writable, retained training "secrets", empty client IDs accepted, sessions taken over by client ID.',
  },
  {
    name: 'weak-login',
    title: 'Broker with a default password',
    offset: 1,
    scheme: 'mqtt',
    description: `Requires a username and password, but ${LAB_WEAK_USER.username}/${LAB_WEAK_USER.password} is accepted and failed logins are never slowed down or banned. Every connection and refused login is written to the lab's Mosquitto-format log.`,
  },
  {
    name: 'websocket',
    title: 'Plaintext WebSocket listener',
    offset: 2,
    scheme: 'ws',
    path: '/mqtt',
    description: 'MQTT over plain WebSocket (`ws://`, no TLS) for anonymous clients.',
  },
  {
    name: 'legacy-tls',
    title: 'TLS listener with legacy protocols and a bad certificate',
    offset: 3,
    scheme: 'mqtts',
    description:
      'TLS 1.0 and 1.1 enabled (OpenSSL security level 0), a self-signed certificate that expired, with a 1024-bit RSA key, generated at start; anonymous clients without client certificate admitted.',
  },
  {
    name: 'mosquitto',
    title: 'Real Mosquitto with a weak generated config',
    offset: 10,
    scheme: 'mqtt',
    real: true,
    description:
      'Only with `lab start --real` and `mosquitto` installed: a real Mosquitto on loopback with a generated config that admits anonymous clients without ACL and publishes `$SYS` (its version included). `mqtt-warden lint` of the generated config shows the config side.',
  },
];

export interface LabWeakness {
  /** Stable ID of the planted weakness (scenario/weakness). */
  id: string;
  scenario: string;
  title: string;
  /** The check that must find it. */
  checkId: string;
  /** The check only runs with `audit --intrusive`. */
  intrusive: boolean;
  /** endpoint: the check's result for the scenario's endpoint; host: the host's result, whose message names the endpoint. */
  subject: 'endpoint' | 'host';
  /** Told to a trainee whose audit missed it. */
  hint: string;
}

const w = (scenario: string, name: string, checkId: string, title: string, hint: string, opts: { intrusive?: boolean; subject?: 'host' } = {}): LabWeakness => ({
  id: `${scenario}/${name}`,
  scenario,
  title,
  checkId,
  intrusive: opts.intrusive ?? false,
  subject: opts.subject ?? 'endpoint',
  hint,
});

export const LAB_WEAKNESSES: readonly LabWeakness[] = [
  w('open', 'anonymous', 'ACC-001', 'anonymous clients are admitted', 'audit the endpoint without -u: the probe connects anonymously first'),
  w('open', 'wildcard-read', 'ACC-002', 'every topic is readable through `#`', 'the `#` canary needs a session: audit without -u, and leave --window at its default'),
  w('open', 'sys-readable', 'ACC-003', '`$SYS/#` is readable', 'the `$SYS/#` subscription listens for --window ms; do not set --window 0'),
  w('open', 'retained-secrets', 'ACC-004', 'retained (fake, labelled training) secrets are readable by anyone', 'retained messages arrive on the `#` subscription: do not set --window 0'),
  w('open', 'zero-length-client-id', 'ACC-005', 'empty client IDs are accepted', 'the probe connects with an empty client ID as part of every session probe'),
  w('open', 'sys-writable', 'ACC-006', 'clients may publish into `$SYS`', 'the `$SYS` write probe runs with every session probe; do not set --window 0'),
  w('open', 'client-id-takeover', 'ACC-009', 'any anonymous client can take over a session by its client ID', 'client-ID takeover is an intrusive probe: add --intrusive', { intrusive: true }),
  w('open', 'plaintext', 'SVC-002', 'MQTT without TLS', 'SVC-002 judges all the endpoints of the host: audit the plaintext endpoints (mqtt://, ws://)', { subject: 'host' }),
  w('weak-login', 'default-password', 'ACC-007', `the default credentials ${LAB_WEAK_USER.username}/${LAB_WEAK_USER.password} are accepted`, 'credential guessing is intrusive: add --intrusive (the default --max-attempts and --max-seconds cover the built-in list)', { intrusive: true }),
  w('weak-login', 'no-login-restriction', 'ACC-008', 'failed logins are never restricted', 'the login-restriction test is intrusive: add --intrusive', { intrusive: true }),
  w('websocket', 'anonymous', 'ACC-001', 'anonymous clients are admitted over WebSocket', 'give the WebSocket endpoint as a ws:// URL with its path (ws://127.0.0.1:21885/mqtt): the port scan only knows the standard ports'),
  w('websocket', 'plaintext-websocket', 'SVC-002', 'MQTT over plain WebSocket (no TLS)', 'audit the ws:// URL: SVC-002 names every plaintext endpoint of the host', { subject: 'host' }),
  w('legacy-tls', 'legacy-protocols', 'TLS-002', 'TLS 1.0 and 1.1 are offered', 'give the endpoint as an mqtts:// URL: the TLS audit runs on TLS endpoints only'),
  w('legacy-tls', 'legacy-suites', 'TLS-005', 'cipher suites without forward secrecy and CBC suites are offered', 'the cipher enumeration runs on TLS endpoints: give the endpoint as an mqtts:// URL'),
  w('legacy-tls', 'untrusted-certificate', 'TLS-007', 'the certificate does not chain to a trusted CA', 'do not pass the lab certificate as --ca: then it is trusted'),
  w('legacy-tls', 'expired-certificate', 'TLS-010', 'the certificate has expired', 'the TLS audit reads the served certificate: give the endpoint as an mqtts:// URL'),
  w('legacy-tls', 'weak-key', 'TLS-011', 'the certificate key is 1024-bit RSA', 'the TLS audit reads the served certificate: give the endpoint as an mqtts:// URL'),
  w('legacy-tls', 'self-signed', 'TLS-013', 'the certificate is self-signed', 'the TLS audit reads the served certificate: give the endpoint as an mqtts:// URL'),
  w('legacy-tls', 'no-client-certificate', 'TLS-019', 'no client certificate is required', 'audit the mqtts:// URL without --cert/--key'),
  w('legacy-tls', 'anonymous', 'ACC-010', 'TLS clients need neither password nor client certificate: TLS only encrypts', 'audit the mqtts:// URL without -u and without --cert/--key'),
  w('mosquitto', 'anonymous', 'ACC-001', 'the real Mosquitto admits anonymous clients', 'start the lab with --real (needs mosquitto installed) and audit mqtt://127.0.0.1:21893'),
  w('mosquitto', 'wildcard-read', 'ACC-002', 'every topic is readable through `#` (no acl_file)', 'audit without -u and leave --window at its default'),
  w('mosquitto', 'version-disclosed', 'UPD-001', 'Mosquitto tells every client its version in `$SYS/broker/version`', 'the version is read from `$SYS`: do not set --window 0'),
];

export interface LabExercise {
  name: string;
  title: string;
  steps: readonly string[];
}

export const LAB_EXERCISES: readonly LabExercise[] = [
  {
    name: 'find',
    title: 'Find the weaknesses',
    steps: [
      'Start the lab: `mqtt-warden lab start --detach`.',
      'Audit it without host checks: `mqtt-warden audit mqtt://127.0.0.1:21883 mqtt://127.0.0.1:21884 ws://127.0.0.1:21885/mqtt mqtts://127.0.0.1:21886 --no-host --intrusive -f json -o lab-report.json` (the intrusive probes only ever run against a broker you own, as here).',
      'Score your audit: `mqtt-warden lab score lab-report.json`. It lists the planted weaknesses your audit found and, for each it missed, a hint.',
      'Read one finding per check in docs/checks/ and explain to a colleague how an attacker would use it.',
    ],
  },
  {
    name: 'harden',
    title: 'Harden the config',
    steps: [
      'Start the lab with `--real` (needs `mosquitto` installed); `mqtt-warden lab status` names the generated mosquitto.conf.',
      'Lint it: `mqtt-warden lint <that mosquitto.conf>`: every finding names the line and the setting that fixes it.',
      'Copy the config, fix it until `mqtt-warden lint` passes at --fail-on low (password_file, acl_file, allow_anonymous false, a TLS listener), and start a Mosquitto of your own on it (`mosquitto -c yours.conf`).',
      'Audit your broker as in "find": the weaknesses the lab planted must be gone.',
    ],
  },
  {
    name: 'brute-force',
    title: 'Stop the brute force',
    steps: [
      'Start the lab (`lab start --detach`); `lab status` names its broker log, written in Mosquitto 2.0 format.',
      'Run a guessing attack against the weak-login broker: `mqtt-warden audit mqtt://127.0.0.1:21884 --no-host --intrusive` (ACC-007, ACC-008 fail).',
      'Replay the log as the guard would: `mqtt-warden guard test <log> --no-allow-defaults` (loopback is never banned by default, and the lab only listens on loopback).',
      'Watch it live in another terminal: write `ban: { allowDefaults: false }` into lab-guard.yaml, run `mqtt-warden guard -c lab-guard.yaml --log <log> --backend log-only --dry-run`, repeat the attack and read the ban decisions it logs.',
      'Explain why Mosquitto needs the guard (no built-in login limit, ACC-008) and which settings it needs on a real broker (`connection_messages true`, a `log_dest file`).',
    ],
  },
];

export function scenarioPort(s: LabScenario, base = LAB_PORT_BASE): number {
  return base + s.offset;
}

/** The URL an audit is given for the scenario's endpoint (IPv6 literals in brackets). */
export function scenarioUrl(s: LabScenario, host = LAB_DEFAULT_BIND, base = LAB_PORT_BASE): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${s.scheme}://${h}:${scenarioPort(s, base)}${s.path ?? ''}`;
}

export function scenarioByName(name: string): LabScenario | undefined {
  return LAB_SCENARIOS.find((s) => s.name === name);
}
