/** Value types of the host ("system") facts. See FactTypes in src/core/facts.ts. */
import type { FileLocation } from '../../core/types.js';
import type { Advisory } from '../../advisories/db.js';
import type { SocketTable } from './sockets.js';

export type BrokerProduct = 'mosquitto' | 'emqx';

/** A pending update as the package manager's simulation reports it. */
export interface PendingUpdate {
  name: string;
  from?: string;
  to: string;
  /** From a security origin (Debian-Security / *-security, dnf --security, …). */
  security: boolean;
  origin?: string;
}

export interface UpdateStatus {
  manager: 'apt' | 'dnf' | 'yum' | 'apk' | 'zypper';
  /** The command (or files) the list comes from, for the report. */
  source: string;
  pending: PendingUpdate[];
  /** The package lists may be stale: age of the newest list in days, when known. */
  listsAgeDays?: number;
  /**
   * Package lists the package manager could not use (APT: list files it ignores, e.g.
   * for an architecture it does not know, with no usable list beside them): what
   * those suites hold is unknown, so "nothing pending" cannot be said.
   */
  unusedLists?: string[];
}

export interface RebootStatus {
  required: boolean;
  /** Why neither the reboot flag nor the kernels could tell (an offline root without them): not judged. */
  unknown?: string;
  /** Packages that asked for it (reboot-required.pkgs), or the reason. */
  packages: string[];
  source: string;
}

export interface SoftwareComponent {
  product: 'openssl' | BrokerProduct;
  /** The version as reported (e.g. "3.0.11", "3.0.11-1~deb12u2"). */
  version: string;
  /** The upstream release compared with the advisories ("3.0.11"). */
  release: string;
  source: 'binary' | 'package' | 'process' | 'node' | 'release-files';
  /** What was read: a path, a package name, a process. */
  where: string;
  /** Built by a distribution (package, or a binary owned by one): fixes may be backported. */
  distro?: { manager: 'dpkg' | 'apk' | 'rpm'; package: string; version: string };
  /** A running process maps a library file deleted since (upgraded on disk, not restarted). */
  deleted?: boolean;
}

export interface SoftwareInventory {
  components: SoftwareComponent[];
  /** What was looked at, for a SKIP that says why nothing was found. */
  looked: string[];
  db: { snapshot: string; file: string; advisories: Advisory[] };
}

export interface KeyFile {
  /** Path inside the audited system ("/etc/mosquitto/certs/server.key"). */
  path: string;
  /** The real path read (under --root). */
  file: string;
  role: 'key' | 'cert' | 'ca' | 'crl' | 'dhparam';
  product?: BrokerProduct;
  /** Config lines that reference the file (absent when found at a common path). */
  refs: FileLocation[];
  exists: boolean;
  readError?: string;
  mode?: number;
  uid?: number;
  gid?: number;
  owner?: string;
  group?: string;
  key?: { type: string; bits?: number; curve?: string; encrypted: boolean; parseError?: string };
  certs?: { subject: string; notAfter: string; notBefore: string; keyType?: string; bits?: number }[];
  /** The distribution's trust store (ca-certificates bundle): maintained by its package, not by the broker's operator. */
  systemStore?: boolean;
  /** A passphrase for the key is configured (EMQX ssl_options.password). */
  passphraseConfigured?: boolean;
}

export interface KeyMaterial {
  files: KeyFile[];
  /** Users the broker runs as (config `user`, package defaults): they may own keys. */
  brokerUsers: string[];
  /** Directories searched for key material besides the config references. */
  searched: string[];
  /** Collection time (ISO): certificate expiry is judged against it. */
  now: string;
  /** Warning thresholds in days, e.g. [30, 60]. */
  warnDays: number[];
}

export interface DeclaredListener {
  product: BrokerProduct;
  port: number;
  /** Address or interface the config binds; absent = all interfaces. */
  bind?: string;
  kind: 'mqtt' | 'mqtts' | 'ws' | 'wss' | 'dashboard' | 'erlang-dist' | 'cluster-rpc' | 'other';
  location?: FileLocation;
}

export interface BrokerProcess {
  product: BrokerProduct;
  pid: number;
  name: string;
  uid?: number;
  user?: string;
  /** AppArmor/SELinux label of the process (/proc/PID/attr/current). */
  label?: string;
  /** Why /proc/PID/maps could not be read (another user's process without privileges): its libraries are unknown. */
  mapsUnreadable?: string;
  /** OpenSSL libraries the process maps (empty when mapsUnreadable). */
  libs: { path: string; deleted: boolean; /** First mapped address range (for /proc/PID/map_files). */ range: string }[];
}

export interface BrokerSetup {
  /** Broker config files found (or given with --config), with parse problems. */
  configs: { product: BrokerProduct; file: string; problems: string[] }[];
  declared: DeclaredListener[];
  /** Who the broker runs as according to its config/unit. */
  runAs: { product: BrokerProduct; user: string; location?: FileLocation; source: string }[];
  /** Running broker processes; undefined offline (with the reason). */
  processes?: BrokerProcess[];
  processesSkipped?: string;
  live: boolean;
  /** Notes on what could not be derived (e.g. EMQX cluster ports). */
  notes: string[];
}

export interface Listeners extends SocketTable {
  live: boolean;
}

export type FirewallVerdict = 'accept' | 'drop' | 'reject' | 'unknown';

/** A firewall rule reduced to what reachability needs. */
export interface FwRule {
  /** Protocol matched; undefined = any. */
  proto?: 'tcp' | 'udp' | 'other';
  /** Destination ports matched; undefined = any. */
  dports?: number[];
  /** Matches only some sources (saddr, set of addresses, input interface). */
  restricted: boolean;
  /** Matches only established/related traffic (never a new connection). */
  establishedOnly: boolean;
  /** Matches only the loopback interface. */
  loopbackOnly: boolean;
  verdict: FirewallVerdict | { jump: string } | { goto: string } | 'return' | 'continue';
  text: string;
}

export interface FwChain {
  name: string;
  /** Base chain on the input hook (inet/ip/ip6 filter INPUT). */
  input: boolean;
  family: 'ip' | 'ip6' | 'inet' | 'other';
  policy?: 'accept' | 'drop';
  rules: FwRule[];
}

export interface FirewallState {
  /** Tools and files looked at, in order. */
  looked: string[];
  /** Offline: persisted rules; live: the kernel's ruleset. */
  source: 'live' | 'persisted';
  backends: { name: 'nftables' | 'iptables' | 'ip6tables' | 'ufw' | 'firewalld'; active: boolean; detail: string; chains: FwChain[] }[];
  /** Ports to judge: MQTT plaintext, dashboard, cluster — from the configs and the standard ports. */
  ports: { port: number; kind: DeclaredListener['kind']; product?: BrokerProduct }[];
}

export interface MacState {
  selinux?: { mode: 'enforcing' | 'permissive' | 'disabled'; source: string };
  apparmor?: { enabled: boolean; profiles?: number; source: string };
  looked: string[];
  /** Broker confinement: label of the running process, or an installed profile offline. */
  brokers: { product: BrokerProduct; pid?: number; label?: string; confined: boolean; source: string }[];
}

export interface DiskState {
  /** `unknown`: the device's layers could not be followed (never judged as unencrypted). */
  dirs: { path: string; purpose: 'data' | 'log'; product: BrokerProduct; mount?: string; device?: string; encrypted: boolean; chain: string[]; unknown?: string }[];
  swap: { device: string; encrypted: boolean; chain: string[]; unknown?: string }[];
  /** Why /proc/swaps could not be read: swap use is then unknown, not "none". */
  swapUnknown?: string;
  source: string;
}

export interface LoggingState {
  brokers: {
    product: BrokerProduct;
    file: string;
    destinations: { dest: string; location?: FileLocation }[];
    connectionMessages: { value: boolean; location?: FileLocation };
    durable: boolean;
  }[];
  journald: { persistent: boolean; storage: string; source: string } | { unknown: string };
  auditd: { installed: boolean; running?: boolean; source: string };
  /** How long the broker logs are kept (src/collectors/system/log-retention.ts). */
  retention: LogRetention;
}

/** The logrotate rule that covers a log file, reduced to what decides how long it is kept. */
export interface LogrotateRule {
  /** Where the block starts. */
  location: FileLocation;
  /** The block's pattern that matched the file. */
  pattern: string;
  /** Rotated files kept (logrotate's default 0: removed at once). */
  rotate: number;
  /** What rotates it: a period, a size (the last of them given wins), or neither. */
  trigger: { kind: 'time'; period: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly' } | { kind: 'size'; size: string } | { kind: 'none' };
  /** maxage: rotated files older than this many days are removed. */
  maxage?: number;
}

export interface LogRetention {
  /** journald's limits from journald.conf and its drop-ins (last wins); absent: not set. */
  journal: {
    /** MaxRetentionSec (0: no time limit); `seconds` absent when the value could not be read. */
    maxRetention?: { seconds?: number; text: string; source: string };
    systemMaxUse?: { text: string; source: string };
  };
  /** Each broker log file (log_dest file PATH) with the logrotate rule that covers it, if any. */
  files: { file: string; rule?: LogrotateRule }[];
  /** logrotate config files read. */
  looked: string[];
  /** logrotate config files or lines that could not be read. */
  problems: string[];
}

export interface LynisReport {
  file: string;
  hardeningIndex?: number;
  version?: string;
  date?: string;
  warnings: { id: string; text: string; details: string; solution: string; line: number }[];
  suggestions: { id: string; text: string; details: string; solution: string; line: number }[];
}

export interface HardeningTools {
  lynis: { installed: boolean; where?: string };
  openscap: { installed: boolean; where?: string };
  report?: LynisReport;
  /** --lynis-report given (or the default file exists) but unreadable. */
  reportError?: string;
  looked: string[];
}

export interface SshdSetting {
  value: string;
  /** Default value of sshd (no directive). */
  isDefault: boolean;
  location?: FileLocation;
}

export interface SshState {
  files: string[];
  permitRootLogin: SshdSetting;
  passwordAuthentication: SshdSetting;
  /** Match blocks that override a setting (not evaluated, listed). */
  matchOverrides: { setting: string; value: string; location: FileLocation }[];
  problems: string[];
}

export interface AccountsState {
  file: string;
  emptyPassword: { user: string; line: number }[];
  /** Accounts with a usable password hash. */
  withPassword: number;
}
