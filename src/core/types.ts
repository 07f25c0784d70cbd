/**
 * Core model of mqtt-warden: strategies, severities, check metadata, facts and results.
 * Collectors produce facts (side effects), checks judge facts (pure), reporters render results.
 */

export const SEVERITIES = ['info', 'low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export const STRATEGIES = [
  { id: 'updates', code: 'UPD', number: 1, title: 'Keep software updated' },
  { id: 'tls', code: 'TLS', number: 2, title: 'Strengthen TLS/OpenSSL' },
  { id: 'services', code: 'SVC', number: 3, title: 'Disable unused services and ports' },
  { id: 'access', code: 'ACC', number: 4, title: 'Access control' },
  { id: 'awareness', code: 'CFG', number: 5, title: 'Additional configuration and awareness' },
] as const;
export type StrategyId = (typeof STRATEGIES)[number]['id'];

export const STATUSES = ['PASS', 'FAIL', 'SKIP', 'ERROR'] as const;
export type Status = (typeof STATUSES)[number];

/** Names of the facts collectors produce; checks declare which ones they need. */
export const FACT_KEYS = [
  'net.ports', // host scope: which standard ports answer
  'mqtt.endpoints', // host scope: the MQTT probes of every endpoint on the host (derived)
  'mqtt.probe', // endpoint scope: non-intrusive MQTT session probe
  'mqtt.credentials', // endpoint scope, intrusive: default/weak credential guessing
  'mqtt.loginRestriction', // endpoint scope, intrusive: failed-login restriction test
  'mqtt.takeover', // endpoint scope, intrusive: client-ID takeover test
  'tls.protocols', // endpoint scope (mqtts/wss): protocol versions offered
  'tls.ciphers', // endpoint scope (mqtts/wss): cipher suites accepted per version, server order
  'tls.certificate', // endpoint scope (mqtts/wss): served chain, trust, hostname data, validity
  'tls.revocation', // endpoint scope (mqtts/wss): CRL (local, online) and OCSP status of the chain
  'tls.clientAuth', // endpoint scope (mqtts/wss): mutual TLS without and with a client certificate
  // system scope (host audit, src/collectors/system/):
  'sys.updates', // pending (security) updates of the package manager
  'sys.reboot', // reboot required after a kernel/libc update
  'sys.software', // OpenSSL/Mosquitto/EMQX versions in use + the advisory database
  'sys.keys', // TLS key material referenced by broker configs or at common paths
  'sys.brokers', // broker configs, declared listeners, run-as user, running broker processes
  'sys.listeners', // listening sockets from /proc/net, mapped to processes
  'sys.firewall', // firewall rulesets (nftables, iptables, ufw, firewalld)
  'sys.mac', // SELinux / AppArmor state and broker confinement
  'sys.disk', // dm-crypt of the broker's data/log directories and swap
  'sys.logging', // broker logging, journald persistence, auditd
  'sys.hardening', // Lynis / OpenSCAP presence and the Lynis report
  'sys.ssh', // sshd PermitRootLogin / PasswordAuthentication
  'sys.accounts', // accounts with empty passwords (/etc/shadow)
  'config.mosquitto', // system scope: Mosquitto configs with their ACL/password/PSK files
  'config.emqx', // system scope: EMQX configs (layered, with defaults) and acl.conf
  'config.passwords', // system scope: credential stores (Mosquitto password files)
  'config.dynsec', // system scope: Mosquitto dynamic-security JSON files (given, or named by plugin_opt_config_file)
  'config.nanomq', // system scope: NanoMQ configs with their password and ACL files
  'policy', // every scope: the security policy (thresholds), the default one unless --policy
  'erlang.exposure', // host scope: epmd NAMES and the Erlang distribution handshake (cookie test with --intrusive)
  'ports.check', // system scope: the port plan against the listening sockets and the live firewall
  'drill.history', // system scope: the drill runs recorded in this machine's history database (audit of this host)
  'drill.journal', // drill scope: the journal of one `drill run` (src/drill/run.ts): steps, expectations, timings, rollback
  'mgmt.http', // host scope: management HTTP interfaces (EMQX dashboard/REST API, Mosquitto http_api, NanoMQ HTTP server); one login with --intrusive
] as const;
export type FactKey = (typeof FACT_KEYS)[number];

/**
 * endpoint: one result per MQTT endpoint; host: one per network host audited;
 * system: one per machine whose files and processes are inspected (this host, or --root DIR);
 * drill: one per `drill run` (its journal).
 */
export type Scope = 'endpoint' | 'host' | 'system' | 'drill';

export interface CheckMeta {
  /** Stable identifier, `<strategy code>-<NNN>`, never reused. */
  id: string;
  /** Short kebab-case name, also the docs page name: docs/checks/<id>.md */
  name: string;
  title: string;
  strategy: StrategyId;
  /** Severity of a FAIL unless the judge raises or lowers it for a concrete case. */
  severity: Severity;
  scope: Scope;
  /** Intrusive checks only run with --intrusive. */
  intrusive: boolean;
  needs: readonly FactKey[];
  /**
   * Facts the judge reads when they were collected, without needing them: a missing,
   * skipped or broken one is passed as undefined instead of turning the check into SKIP/ERROR.
   */
  uses?: readonly FactKey[];
  description: string;
  remediation: string;
  references: readonly string[];
}

/** Where in a file a verdict points (a config directive, a key file): reported instead of the subject. */
export interface FileLocation {
  /** Path as collected (relative paths stay relative, for SARIF uploads from a checkout). */
  file: string;
  line?: number;
  column?: number;
}

/** What a judge says about one subject (endpoint, host or system), optionally about one place in a file. */
export type Verdict = (
  | { status: 'PASS'; message: string; evidence?: Evidence }
  | { status: 'FAIL'; message: string; evidence?: Evidence; severity?: Severity }
  | { status: 'SKIP'; message: string; evidence?: Evidence }
  /** The facts record that the probe was attempted and broke: not a verdict on the broker's security. */
  | { status: 'ERROR'; message: string; evidence?: Evidence }
) & {
  location?: FileLocation;
  /**
   * What identifies this finding among the subject's other verdicts of the same check
   * (a directive, a listener, a user, a file): part of the stable fingerprint, so an
   * edit that moves lines does not make it a new finding.
   */
  key?: string;
};

export type Evidence = Record<string, unknown>;

/** A fact as seen by the engine: collected, failed, or deliberately not collected. */
export type Fact<T> =
  /**
   * partial: collected, but part of the input could not be read or parsed (why): a
   * check judging it may find a weakness, but its PASS becomes a SKIP with the reason.
   */
  | { state: 'ok'; value: T; ms: number; partial?: string }
  | { state: 'error'; error: string; ms: number }
  /**
   * notApplicable: the fact cannot exist for this subject (TLS facts of a plaintext
   * endpoint): the checks that need it are counted, not listed per subject.
   */
  | { state: 'skipped'; reason: string; notApplicable?: true };

export type TransportScheme = 'mqtt' | 'mqtts' | 'ws' | 'wss';

export interface Endpoint {
  /** Canonical URI without credentials, e.g. mqtt://127.0.0.1:1883 or ws://h:8083/mqtt */
  uri: string;
  scheme: TransportScheme;
  host: string;
  port: number;
  /** WebSocket path (ws/wss only). */
  path?: string;
  /** Given by the operator (true) or discovered on a standard port (false). */
  explicit: boolean;
}

export interface Location {
  /** Target URI, or file URI/path when a config file is known. */
  uri: string;
  kind: 'target' | 'file';
  line?: number;
  column?: number;
}

export interface CheckResult {
  checkId: string;
  name: string;
  title: string;
  strategy: StrategyId;
  /** Effective severity (the FAIL's own severity, else the check's default). */
  severity: Severity;
  status: Status;
  /** The endpoint URI or host the result is about. */
  subject: string;
  location: Location;
  message: string;
  evidence: Evidence;
  remediation: string;
  references: readonly string[];
  intrusive: boolean;
  /** Stable identity of the finding across runs (src/core/fingerprint.ts): no line numbers in it. */
  fingerprint: string;
  /** Set when a waiver or the baseline suppresses the result: reported, but not counted as a finding. */
  suppression?: Suppression;
}

export interface Suppression {
  kind: 'waiver' | 'baseline';
  /** The waiver's reason, or which baseline report held the finding. */
  reason: string;
  /** Waivers: the expiry date (YYYY-MM-DD). */
  expires?: string;
  /** Where the waiver is written (file:line). */
  source?: string;
}

export interface ReportSummary {
  PASS: number;
  FAIL: number;
  SKIP: number;
  ERROR: number;
  /** FAIL results per effective severity (suppressed ones not counted). */
  failuresBySeverity: Record<Severity, number>;
  /** Results suppressed by a waiver or the baseline (also counted under their status). */
  suppressed: number;
  /** Check × subject pairs left out because the check cannot apply to the subject (TLS checks on plaintext). */
  notApplicable: number;
}

export interface Report {
  schemaVersion: 1;
  tool: { name: 'mqtt-warden'; version: string };
  /** audit: probes and host checks; lint: config files only; passwd: password files; ports: this host against a port plan. */
  command: 'audit' | 'lint' | 'passwd' | 'ports' | 'drill';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  options: {
    intrusive: boolean;
    host: boolean;
    network: boolean;
    /** Lowest FAIL severity that makes the exit code 1; none: never. */
    failOn: Severity | 'none';
    /** Identity used for the probes: username or "anonymous"; passwords are never reported. */
    identity: string;
  };
  targets: { uri: string; explicit: boolean }[];
  notes: string[];
  results: CheckResult[];
  summary: ReportSummary;
}
