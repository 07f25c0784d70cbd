/**
 * Mosquitto 2.x configuration: `mosquitto.conf` with `include_dir`, the listeners
 * it really opens (with what each one inherits), and the ACL, password and PSK files.
 *
 * Semantics follow mosquitto 2.0 `src/conf.c` (config__read, config__read_file_core)
 * and mosquitto.conf(5), with the options Mosquitto 2.1 added (man page and conf.c of
 * v2.1.2: `listener_allow_anonymous`, `plugin_load`/`plugin_use`, `global_plugin`,
 * `enable_proxy_protocol`, `protocol http_api`, the new bridge options …; see NEW_IN_2_1):
 * - one directive per line, `key args…` split on blanks; `#` starts a comment only at
 *   the beginning of a line (string options take the rest of the line, so a trailing
 *   `# x` after a path becomes part of the path; 2.0.11 ignores extra words after a boolean);
 * - `include_dir DIR` reads DIR's `*.conf` files in sorted order at that point;
 * - `listener PORT [ADDRESS]` starts a listener; listener options (certfile, protocol, …)
 *   apply to the current listener, or to the "default listener" before the first one;
 * - security options (password_file, acl_file, psk_file, allow_anonymous, plugin, …) are
 *   global unless `per_listener_settings true`, then per listener;
 * - the default listener (1883, all interfaces) exists only if certain listener options
 *   were set before the first `listener` line (measured on 2.0.11, see DEFAULT_LISTENER_TRIGGERS); with no listener at all, 2.0 listens on loopback
 *   port 1883 only and lets anonymous clients in (unless allow_anonymous is set false).
 */
import { basename, dirname, join } from 'node:path';
import { HASH_BYTES, MAX_PBKDF2_ITERATIONS, SALT_BYTES } from '../credentials/mosquitto-hash.js';
import { ConfigReadError, errCode, fsIO, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';
import { READ_LIMITS } from '../io/read.js';

export interface Directive extends SourceLoc {
  key: string;
  args: string[];
  /** 1-based column of each argument. */
  argColumns: number[];
  /** The rest of the line after the key, trimmed: what mosquitto reads for string options (paths may hold blanks). */
  value: string;
}

export interface MosquittoListener {
  port: number;
  /** The bind address; absent = all interfaces. */
  bind?: string;
  /** bind_interface (Linux SO_BINDTODEVICE). */
  bindInterface?: string;
  /** `http_api` is Mosquitto 2.1's HTTP API listener. */
  protocol: 'mqtt' | 'websockets' | 'http_api';
  /** A certificate or a PSK hint makes a listener TLS. */
  tls: boolean;
  /**
   * The plugins that serve this listener, in the order Mosquitto runs them: global ones
   * (`global_plugin`; `plugin`/`auth_plugin` without per_listener_settings), then the
   * listener's own (`plugin` with per_listener_settings, `plugin_use NAME` of a `plugin_load`).
   */
  plugins: MosquittoPlugin[];
  /** Every `websockets_origin` of the listener (repeatable; none = any origin). */
  websocketsOrigins: Directive[];
  /**
   * Effective settings: the listener's own options, plus the security options it
   * gets (its own with per_listener_settings, the global ones otherwise), each with
   * the directive that set it. Unset keys are absent (defaults are the checks' business).
   */
  settings: Record<string, Directive>;
  /** The `listener` line; for the default or implicit listener, the first directive that made it. */
  location: SourceLoc;
  kind: 'explicit' | 'default' | 'implicit-local';
}

/** What a plugin is known to do, from its file name (the plugins shipped with Mosquitto); others count as both. */
export type MosquittoPluginKind = 'dynamic-security' | 'password-file' | 'acl-file' | 'other';

/**
 * A plugin the config loads, with its options. `plugin_opt_*` (and the deprecated
 * `auth_opt_*`) lines apply to the most recent `plugin`, `auth_plugin`, `global_plugin`
 * or `plugin_load` before them. For the dynamic security plugin, `options.plugin_opt_config_file`
 * is the JSON file with its clients, groups and roles (see `dynsecConfigFiles`).
 */
export interface MosquittoPlugin {
  /** The directive that loads it. */
  via: 'plugin' | 'auth_plugin' | 'global_plugin' | 'plugin_load';
  /** `plugin_load NAME PATH`: the name `plugin_use` refers to. */
  name?: string;
  /** The shared object (as written). */
  path: string;
  location: SourceLoc;
  kind: MosquittoPluginKind;
  /** Checks usernames/passwords (authentication). */
  authenticates: boolean;
  /** Checks topic access (authorization). */
  authorizes: boolean;
  /** Applies to every listener (global_plugin, or plugin/auth_plugin without per_listener_settings). */
  global: boolean;
  /** Its `plugin_opt_*`/`auth_opt_*` lines, by full key (`plugin_opt_config_file` …). */
  options: Record<string, Directive>;
  /** `plugin_load`: the `plugin_use` lines that attach it to listeners (none = it serves no listener). */
  usedAt?: SourceLoc[];
}

/** The kind of a plugin from its path (mosquitto_dynamic_security.so, mosquitto_password_file.so, mosquitto_acl_file.so). */
export function pluginKind(path: string): MosquittoPluginKind {
  const base = basename(path).toLowerCase();
  if (/dynamic[-_]?security/.test(base)) return 'dynamic-security';
  if (/password[-_]?file/.test(base)) return 'password-file';
  if (/acl[-_]?file/.test(base)) return 'acl-file';
  return 'other';
}

/** The Mosquitto version a config is judged for (`lint --mosquitto-version`, or the installed package in an audit). */
export interface MosquittoTarget {
  /** "2.1", "2.0.18" … */
  version: string;
  /** Where it comes from ("--mosquitto-version", "dpkg package mosquitto 2.0.11-1.2+deb12u1"). */
  source: string;
}

/** Version-dependent defaults (mosquitto.conf(5), mosquitto_passwd(1), ChangeLog of 2.1.0). */
export const MOSQUITTO_DEFAULTS = {
  '2.0': { maxPacketSize: 268_435_455, maxPacketSizeText: 'no limit (packets up to 256 MB)', pbkdf2Iterations: 101, saltBytes: 12 },
  '2.1': { maxPacketSize: 2_000_000, maxPacketSizeText: '2,000,000 bytes', pbkdf2Iterations: 1000, saltBytes: 64 },
} as const;

/** The defaults series of a version: 2.1 and later behave as 2.1, everything before as 2.0; undefined when unknown or unreadable. */
export function mosquittoSeries(version: string | undefined): keyof typeof MOSQUITTO_DEFAULTS | undefined {
  const m = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!m) return undefined;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 2 || (major === 2 && minor >= 1) ? '2.1' : '2.0';
}

export interface MosquittoBridge {
  name: string;
  location: SourceLoc;
  settings: Record<string, Directive>;
}

export interface MosquittoConfig {
  /** The top-level file. */
  file: string;
  /** Every file read (top-level first, then include_dir files in order). */
  files: string[];
  directives: Directive[];
  perListenerSettings: boolean;
  listeners: MosquittoListener[];
  bridges: MosquittoBridge[];
  /** Global (non-listener) settings: the last directive of each key. */
  global: Record<string, Directive>;
  /** Every value of repeatable global keys (log_type, log_dest, plugin …), in order. */
  globalAll: Record<string, Directive[]>;
  /** Every plugin the config loads, in file order (listeners list the ones that serve them). */
  plugins: MosquittoPlugin[];
  issues: ConfigIssue[];
}

/** Options that belong to a listener (mosquitto.conf(5) "Listeners" and "Certificate/PSK based SSL/TLS support"). */
export const LISTENER_KEYS = new Set([
  'bind_address',
  'bind_interface',
  'port',
  'http_dir',
  'max_connections',
  'max_qos',
  'max_topic_alias',
  'mount_point',
  'protocol',
  'socket_domain',
  'use_username_as_clientid',
  'websockets_headers_size',
  'cafile',
  'capath',
  'certfile',
  'keyfile',
  'ciphers',
  'ciphers_tls1.3',
  'crlfile',
  'dhparamfile',
  'require_certificate',
  'tls_engine',
  'tls_engine_kpass_sha1',
  'tls_keyform',
  'tls_version',
  'use_identity_as_username',
  'use_subject_as_username',
  'psk_hint',
  // Mosquitto 2.1 (mosquitto.conf(5) "Listeners", src/conf.c of v2.1.2)
  'enable_proxy_protocol',
  'proxy_protocol_v2_require_tls',
  'accept_protocol_versions',
  'listener_allow_anonymous',
  'listener_auto_id_prefix',
  'disable_client_cert_date_checks',
  'websockets_origin',
  'max_topic_alias_broker',
  'packet_buffer_size',
  'plugin_use',
  'mptcp',
]);

/** Listener options that, before the first `listener` line, create the default listener (measured on 2.0.11). */
const DEFAULT_LISTENER_TRIGGERS = new Set([
  'port',
  'bind_address',
  'bind_interface',
  'socket_domain',
  'max_connections',
  'max_qos',
  'use_username_as_clientid',
  'use_identity_as_username',
  'use_subject_as_username',
  'cafile',
  'capath',
  'certfile',
  'keyfile',
  'ciphers',
  'ciphers_tls1.3',
  'crlfile',
  'dhparamfile',
  'psk_hint',
  'require_certificate',
]);
/** With per_listener_settings, these security options before the first listener create it too (2.0.11); allow_anonymous, acl_file and auto_id_prefix do not. */
const DEFAULT_LISTENER_SECURITY_TRIGGERS = new Set(['password_file', 'psk_file', 'allow_zero_length_clientid', 'plugin', 'auth_plugin']);

/** Options that are global, or per listener with `per_listener_settings true`. */
export const SECURITY_KEYS = new Set([
  'acl_file',
  'allow_anonymous',
  'allow_zero_length_clientid',
  'auto_id_prefix',
  'password_file',
  'psk_file',
  'plugin',
  'auth_plugin',
  'auth_plugin_deny_special_chars',
]);
const isSecurityKey = (k: string) => SECURITY_KEYS.has(k) || k.startsWith('plugin_opt_') || k.startsWith('auth_opt_');

/** Bridge options (after `connection NAME`). */
/** Bridge options Mosquitto 2.1 added (bridge scope, and refused by 2.0). */
const BRIDGE_KEYS_2_1 = [
  'bridge_tls_use_os_certs',
  'bridge_receive_maximum',
  'bridge_session_expiry_interval',
  'bridge_tcp_keepalive',
  'bridge_tcp_user_timeout',
  'bridge_max_topic_alias',
  'bridge_ciphers_tls1.3',
  'bridge_mptcp',
];

const BRIDGE_KEYS = new Set([
  'address',
  'addresses',
  'topic',
  'bridge_attempt_unsubscribe',
  'bridge_bind_address',
  'bridge_protocol_version',
  'bridge_cafile',
  'bridge_capath',
  'bridge_certfile',
  'bridge_keyfile',
  'bridge_alpn',
  'bridge_insecure',
  'bridge_require_ocsp',
  'bridge_tls_version',
  'bridge_ciphers',
  'bridge_identity',
  'bridge_psk',
  'bridge_outgoing_retain',
  'bridge_max_packet_size',
  'bridge_reload_type',
  ...BRIDGE_KEYS_2_1,
  'cleansession',
  'local_cleansession',
  'idle_timeout',
  'keepalive_interval',
  'local_clientid',
  'local_password',
  'local_username',
  'notifications',
  'notifications_local_only',
  'notification_topic',
  'remote_clientid',
  'remote_password',
  'remote_username',
  'restart_timeout',
  'round_robin',
  'start_type',
  'threshold',
  'try_private',
  'clientid',
  'username',
  'password',
]);

/** Other global options (mosquitto.conf(5)); an unknown key makes mosquitto refuse to start. */
const GLOBAL_KEYS = new Set([
  'per_listener_settings',
  'autosave_interval',
  'autosave_on_changes',
  'check_retain_source',
  'clientid_prefixes',
  'connection_messages',
  'include_dir',
  'log_dest',
  'log_facility',
  'log_timestamp',
  'log_timestamp_format',
  'log_type',
  'max_inflight_bytes',
  'max_inflight_messages',
  'max_keepalive',
  'max_packet_size',
  'max_queued_bytes',
  'max_queued_messages',
  'memory_limit',
  'message_size_limit',
  'persistence',
  'persistence_file',
  'persistence_location',
  'persistent_client_expiration',
  'pid_file',
  'queue_qos0_messages',
  'retain_available',
  'retained_persistence',
  'set_tcp_nodelay',
  'sys_interval',
  'upgrade_outgoing_qos',
  'user',
  'websockets_log_level',
  'listener',
  'connection',
  'allow_duplicate_messages',
  // Mosquitto 2.1
  'global_plugin',
  'plugin_load',
  'global_max_clients',
  'global_max_connections',
  'enable_control_api',
  'retain_expiry_interval',
]);

/**
 * Options Mosquitto 2.1 added (mosquitto.conf(5) and src/conf.c of v2.1.2): a 2.0 broker
 * refuses to start on them.
 */
export const NEW_IN_2_1 = new Set([
  'listener_allow_anonymous',
  'listener_auto_id_prefix',
  'accept_protocol_versions',
  'enable_proxy_protocol',
  'proxy_protocol_v2_require_tls',
  'disable_client_cert_date_checks',
  'enable_control_api',
  'global_max_clients',
  'global_max_connections',
  'global_plugin',
  'plugin_load',
  'plugin_use',
  'websockets_origin',
  'max_topic_alias_broker',
  'packet_buffer_size',
  'retain_expiry_interval',
  'mptcp',
  ...BRIDGE_KEYS_2_1,
]);

const isKnownKey = (k: string) => LISTENER_KEYS.has(k) || isSecurityKey(k) || BRIDGE_KEYS.has(k) || GLOBAL_KEYS.has(k);
/** The canonical string of each known key (directives share it). */
const KNOWN_KEYS = new Map([...LISTENER_KEYS, ...SECURITY_KEYS, ...BRIDGE_KEYS, ...GLOBAL_KEYS].map((k) => [k, k]));

const MAX_INCLUDE_DEPTH = 8;
const MAX_LINE = 65536;
/** The largest config text parsed (the reader's limit for config files; real configs are kilobytes). */
const MAX_CONFIG_CHARS = READ_LIMITS.config.maxBytes;
/** Located problems kept per config: a file of garbage gives a bounded list, not one object per line. */
const MAX_ISSUES = 1000;

const SCRATCH_ARGS: string[] = [];
const SCRATCH_COLS: number[] = [];

/** Split a config line into directives (no trailing comments: mosquitto has none). */
function splitLine(line: string, file: string, lineNo: number): Directive | undefined {
  const re = /\S+/g;
  const first = re.exec(line);
  if (!first || first[0].startsWith('#')) return undefined;
  // Collected in shared scratch arrays, then copied at their exact size (an array grown by
  // push keeps 17 slots: most of the memory of a parsed config).
  SCRATCH_ARGS.length = 0;
  SCRATCH_COLS.length = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) {
    SCRATCH_ARGS.push(m[0]);
    SCRATCH_COLS.push(m.index + 1);
  }
  const args = SCRATCH_ARGS.slice();
  const argColumns = SCRATCH_COLS.slice();
  // Memory per directive is most of a parsed config: known keys share one string, and the
  // value of a one-word directive is that word (not one more copy of it).
  const value = args.length ? line.slice(argColumns[0]! - 1).trimEnd() : '';
  return {
    key: KNOWN_KEYS.get(first[0]) ?? first[0],
    args,
    argColumns,
    value: args.length === 1 && value === args[0] ? args[0] : value,
    file,
    line: lineNo,
    column: first.index + 1,
  };
}

interface ReadState {
  io: ConfigIO;
  files: string[];
  directives: Directive[];
  issues: ConfigIssue[];
  stack: string[];
  besideConfig: boolean;
}

function readInto(st: ReadState, file: string, text: string) {
  st.files.push(file);
  if (text.length > MAX_CONFIG_CHARS) {
    st.issues.push({ file, line: 1, column: 1, message: `${file} is over the ${MAX_CONFIG_CHARS / (1024 * 1024)} MiB limit for a config file: not parsed` });
    return;
  }
  st.stack.push(file);
  // Line by line without an array of every line (peak memory of large files).
  for (let i = 0, start = 0; start <= text.length; i++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    let line = text.slice(start, end);
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (line.length > MAX_LINE) {
      st.issues.push({ file, line: i + 1, column: 1, message: `line longer than ${MAX_LINE} characters`, incomplete: true });
      continue;
    }
    const d = splitLine(line, file, i + 1);
    if (!d) continue;
    st.directives.push(d);
    if (d.key === 'include_dir') {
      const dir = d.args[0];
      if (!dir) {
        st.issues.push({ ...loc(d), message: 'include_dir needs a directory' });
        continue;
      }
      if (st.stack.length > MAX_INCLUDE_DEPTH) {
        st.issues.push({ ...loc(d), message: `include_dir nested deeper than ${MAX_INCLUDE_DEPTH}`, incomplete: true });
        continue;
      }
      let names: string[] | undefined;
      let where = dir;
      try {
        names = st.io.listDir(dir);
      } catch (e) {
        // Lint of a checkout: /etc/mosquitto/conf.d may live next to the config as conf.d/.
        const beside = join(dirname(file), basename(dir));
        if (st.besideConfig && beside !== dir) {
          try {
            names = st.io.listDir(beside);
            where = beside;
          } catch {
            names = undefined;
          }
        }
        if (!names) {
          st.issues.push({ ...loc(d), message: `include_dir ${dir}: cannot list the directory (${errCode(e)}); mosquitto refuses to start`, incomplete: true });
          continue;
        }
      }
      // mosquitto sorts the file names (strcasecmp on 2.0) and reads only *.conf
      for (const name of names.filter((n) => n.endsWith('.conf')).sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase()))) {
        const path = join(where, name);
        if (st.stack.includes(path)) {
          st.issues.push({ ...loc(d), message: `include cycle: ${path}` });
          continue;
        }
        try {
          readInto(st, path, st.io.readFile(path));
        } catch (e) {
          st.issues.push({ ...loc(d), message: `cannot read ${path}: ${errCode(e)}`, incomplete: true });
        }
      }
    }
  }
  st.stack.pop();
}

const loc = (d: SourceLoc): SourceLoc => ({ file: d.file, line: d.line, column: d.column });

const BOOL_KEYS = new Set([
  'allow_anonymous',
  'listener_allow_anonymous',
  'proxy_protocol_v2_require_tls',
  'disable_client_cert_date_checks',
  'enable_control_api',
  'bridge_tls_use_os_certs',
  'mptcp',
  'bridge_mptcp',
  'allow_duplicate_messages',
  'allow_zero_length_clientid',
  'per_listener_settings',
  'connection_messages',
  'require_certificate',
  'use_identity_as_username',
  'use_subject_as_username',
  'use_username_as_clientid',
  'persistence',
  'log_timestamp',
  'retain_available',
  'set_tcp_nodelay',
  'queue_qos0_messages',
  'upgrade_outgoing_qos',
  'check_retain_source',
  'autosave_on_changes',
]);
const INT_KEYS = new Set(['max_connections', 'max_keepalive', 'max_packet_size', 'sys_interval', 'max_inflight_messages', 'max_queued_messages', 'message_size_limit', 'max_qos', 'websockets_headers_size', 'memory_limit', 'autosave_interval', 'max_inflight_bytes', 'max_queued_bytes', 'max_topic_alias',
  'global_max_clients', 'global_max_connections', 'max_topic_alias_broker', 'packet_buffer_size', 'bridge_receive_maximum', 'bridge_tcp_user_timeout', 'bridge_max_topic_alias', 'retain_expiry_interval']);

function validate(d: Directive, issues: ConfigIssue[]) {
  const at = (i: number) => ({ file: d.file, line: d.line, column: d.argColumns[i] ?? d.column });
  if (!isKnownKey(d.key)) {
    issues.push({ ...loc(d), message: `unknown directive "${d.key}" (mosquitto 2.0 and 2.1 refuse to start on unknown options)` });
    return;
  }
  const hash = d.args.findIndex((a) => a.startsWith('#'));
  if (hash > 0 && /(file|path|dir|location|prefix)$/.test(d.key)) {
    issues.push({ ...at(hash), message: `"${d.key}": mosquitto has no trailing comments; the value read is "${d.value}"` });
  }
  if (BOOL_KEYS.has(d.key)) {
    if (d.args.length !== 1 || !['true', 'false'].includes(d.args[0]!)) issues.push({ ...at(0), message: `${d.key} takes true or false` });
  } else if (INT_KEYS.has(d.key)) {
    if (d.args.length !== 1 || !/^-?\d+$/.test(d.args[0]!)) issues.push({ ...at(0), message: `${d.key} takes a whole number` });
  } else if (d.key === 'listener') {
    const p = Number(d.args[0]);
    if (!/^\d+$/.test(d.args[0] ?? '') || p > 65535 || d.args.length > 2) issues.push({ ...at(0), message: 'listener takes a port (0–65535) and an optional bind address' });
  } else if (d.key === 'protocol') {
    if (!['mqtt', 'websockets', 'http_api'].includes(d.args[0] ?? '')) issues.push({ ...at(0), message: 'protocol takes mqtt, websockets or (Mosquitto 2.1) http_api' });
  } else if (d.key === 'enable_proxy_protocol') {
    if (d.args.length !== 1 || !['1', '2'].includes(d.args[0]!)) issues.push({ ...at(0), message: 'enable_proxy_protocol takes 1 or 2 (the PROXY protocol version)' });
  } else if (d.key === 'accept_protocol_versions') {
    const versions = d.value.split(',').map((v) => v.trim());
    if (!d.value || versions.some((v) => !['3', '4', '5'].includes(v))) issues.push({ ...at(0), message: 'accept_protocol_versions takes a comma-separated list of 3, 4 and 5' });
  } else if (d.key === 'plugin_load') {
    if (d.args.length < 2) issues.push({ ...at(0), message: 'plugin_load takes a name and the path of the plugin' });
  } else if (d.key === 'plugin_use') {
    if (d.args.length !== 1) issues.push({ ...at(0), message: 'plugin_use takes the name of a plugin_load' });
  } else if (d.key !== 'clientid_prefixes' && d.key !== 'auto_id_prefix' && d.key !== 'listener_auto_id_prefix' && d.args.length === 0) {
    issues.push({ ...loc(d), message: `${d.key} needs a value` });
  }
}

/** True/false value of a boolean directive (undefined when unset or malformed). */
export function flag(d: Directive | undefined): boolean | undefined {
  if (!d) return undefined;
  if (d.args[0] === 'true') return true;
  if (d.args[0] === 'false') return false;
  return undefined;
}

/** Whole-number value of a directive (undefined when unset or malformed). */
export function intArg(d: Directive | undefined): number | undefined {
  if (!d || !/^-?\d+$/.test(d.args[0] ?? '')) return undefined;
  return Number(d.args[0]);
}

/** Parse mosquitto.conf text (and its include_dir files through `io`). */
export function parseMosquittoConfig(text: string, file: string, io: ConfigIO = fsIO(), opts: { besideConfig?: boolean } = {}): MosquittoConfig {
  const st: ReadState = { io, files: [], directives: [], issues: [], stack: [], besideConfig: opts.besideConfig ?? false };
  readInto(st, file, text);
  for (const d of st.directives) {
    if (st.issues.length >= MAX_ISSUES) {
      st.issues.push({ file, line: d.line, column: 1, message: `more than ${MAX_ISSUES} problems: the rest of the file was not checked (is it a mosquitto.conf?)`, incomplete: true });
      break;
    }
    validate(d, st.issues);
  }

  const plsDirective = st.directives.filter((d) => d.key === 'per_listener_settings').at(-1);
  const perListener = flag(plsDirective) === true;
  if (plsDirective) {
    const firstSecurity = st.directives.find((d) => isSecurityKey(d.key));
    if (firstSecurity && st.directives.indexOf(firstSecurity) < st.directives.indexOf(plsDirective)) {
      st.issues.push({ ...loc(plsDirective), message: 'per_listener_settings must come before any security option (mosquitto refuses to start otherwise)' });
    }
  }

  interface Section {
    settings: Record<string, Directive>;
    all: Record<string, Directive[]>;
    /** Plugins loaded for this listener only (`plugin` with per_listener_settings). */
    plugins: MosquittoPlugin[];
    location?: SourceLoc;
    port?: number;
    bind?: string;
  }
  const newSection = (): Section => ({ settings: {}, all: {}, plugins: [] });
  const plugins: MosquittoPlugin[] = [];
  let lastPlugin: MosquittoPlugin | undefined;
  const defaultListener = newSection();
  const listeners: (Section & { location: SourceLoc })[] = [];
  const bridges: MosquittoBridge[] = [];
  const global: Record<string, Directive> = {};
  const globalAll: Record<string, Directive[]> = {};
  let current: Section = defaultListener;
  let bridge: MosquittoBridge | undefined;

  const put = (sec: { settings: Record<string, Directive>; all?: Record<string, Directive[]> }, d: Directive) => {
    sec.settings[d.key] = d;
    if (sec.all) (sec.all[d.key] ??= []).push(d);
  };
  for (const d of st.directives) {
    // Unknown keys are issues (above), not settings: a file of garbage must not become a dictionary of every word.
    if (!isKnownKey(d.key)) continue;
    if (d.key === 'listener') {
      const port = Number(d.args[0]);
      current = { ...newSection(), location: loc(d), port: Number.isFinite(port) ? port : 0, ...(d.args[1] ? { bind: d.args[1] } : {}) };
      listeners.push(current as Section & { location: SourceLoc });
      bridge = undefined;
      continue;
    }
    if (d.key === 'connection') {
      bridge = { name: d.args[0] ?? '', location: loc(d), settings: {} };
      bridges.push(bridge);
      continue;
    }
    if (bridge && BRIDGE_KEYS.has(d.key)) {
      put(bridge, d);
      continue;
    }
    // Plugins: what loads them, what their options are, which listeners they serve.
    if (d.key === 'plugin' || d.key === 'auth_plugin' || d.key === 'global_plugin' || d.key === 'plugin_load') {
      const named = d.key === 'plugin_load';
      const path = named ? d.value.slice((d.args[0] ?? '').length).trim() : d.value;
      const kind = pluginKind(path);
      const global = d.key === 'global_plugin' || (!named && !perListener);
      lastPlugin = {
        via: d.key,
        ...(named && d.args[0] ? { name: d.args[0] } : {}),
        path,
        location: loc(d),
        kind,
        authenticates: kind !== 'acl-file',
        authorizes: kind !== 'password-file',
        global,
        options: {},
        ...(named ? { usedAt: [] } : {}),
      };
      plugins.push(lastPlugin);
      if (!global && !named) current.plugins.push(lastPlugin);
    } else if (d.key.startsWith('plugin_opt_') || d.key.startsWith('auth_opt_')) {
      if (lastPlugin) lastPlugin.options[d.key] = d;
      else st.issues.push({ ...loc(d), message: `${d.key} comes before any plugin line: it configures no plugin` });
    }
    if (LISTENER_KEYS.has(d.key)) {
      put(current, d);
      continue;
    }
    if (isSecurityKey(d.key) && perListener) {
      put(current, d);
      continue;
    }
    global[d.key] = d;
    (globalAll[d.key] ??= []).push(d);
  }

  // The deprecated `port`/`bind_address` and most listener options before the first
  // `listener` line create the default listener (1883, all interfaces). The set below
  // was measured on mosquitto 2.0.11 (test/config-mosquitto-real.test.ts runs each case
  // in a network namespace and compares the sockets with this model).
  const triggers = (k: string, d: Directive) =>
    DEFAULT_LISTENER_TRIGGERS.has(k) || (k === 'protocol' && d.args[0] === 'websockets') || (perListener && DEFAULT_LISTENER_SECURITY_TRIGGERS.has(k));
  const defaultEntries = Object.entries(defaultListener.settings);
  const triggersDefault = defaultEntries.some(([k, d]) => triggers(k, d));
  const defaultKeys = defaultEntries.map(([k]) => k);

  const securityOf = (sec: Section): Record<string, Directive> => {
    if (perListener) return Object.fromEntries(Object.entries(sec.settings).filter(([k]) => isSecurityKey(k)));
    return Object.fromEntries(Object.entries(global).filter(([k]) => isSecurityKey(k)));
  };
  const build = (sec: Section, kind: MosquittoListener['kind'], port: number, location: SourceLoc, bind?: string): MosquittoListener => {
    const own = Object.fromEntries(Object.entries(sec.settings).filter(([k]) => LISTENER_KEYS.has(k)));
    const settings = { ...own, ...securityOf(sec) };
    const proto = sec.settings.protocol?.args[0];
    const protocol = proto === 'websockets' || proto === 'http_api' ? proto : 'mqtt';
    const bindInterface = sec.settings.bind_interface?.args[0];
    // Global plugins run first, then the listener's own, then plugin_use in file order.
    const used = (sec.all.plugin_use ?? []).flatMap((u) => {
      const p = plugins.find((x) => x.via === 'plugin_load' && x.name === u.args[0]);
      return p ? [p] : [];
    });
    return {
      port,
      ...(bind ? { bind } : {}),
      ...(bindInterface ? { bindInterface } : {}),
      protocol,
      plugins: [...plugins.filter((p) => p.global), ...sec.plugins, ...used],
      websocketsOrigins: sec.all.websockets_origin ?? [],
      tls: Boolean(sec.settings.certfile || sec.settings.psk_hint || (perListener && sec.settings.psk_file) || (!perListener && global.psk_file && sec.settings.psk_hint)),
      settings,
      location,
      kind,
    };
  };

  const out: MosquittoListener[] = [];
  if (triggersDefault) {
    const first = Object.values(defaultListener.settings).sort((a, b) => st.directives.indexOf(a) - st.directives.indexOf(b))[0]!;
    const port = intArg(defaultListener.settings.port) ?? 1883;
    const bind = defaultListener.settings.bind_address?.args[0];
    out.push(build(defaultListener, 'default', port, loc(defaultListener.settings.port ?? first), bind));
  } else {
    // Listener options before the first listener that did not create the default listener apply to nothing.
    const k = defaultKeys.find((x) => LISTENER_KEYS.has(x));
    if (k) {
      const d = defaultListener.settings[k]!;
      st.issues.push({ ...loc(d), message: `${d.key} appears before any "listener" line and no default listener exists, so it has no effect` });
    }
  }
  for (const l of listeners) out.push(build(l, 'explicit', l.port ?? 0, l.location, l.bind));
  if (!out.length) {
    // Local-only mode (2.0): loopback 1883 (127.0.0.1 and ::1), anonymous allowed unless set false.
    const settings = securityOf(defaultListener);
    const where = { file, line: 1, column: 1 };
    out.push({ port: 1883, bind: '127.0.0.1', protocol: 'mqtt', tls: false, plugins: [...plugins.filter((p) => p.global), ...defaultListener.plugins], websocketsOrigins: [], settings, location: where, kind: 'implicit-local' });
  }
  // plugin_use names a plugin_load; one that names none makes Mosquitto refuse the config.
  for (const sec of [defaultListener, ...listeners]) {
    for (const u of sec.all.plugin_use ?? []) {
      const p = plugins.find((x) => x.via === 'plugin_load' && x.name === u.args[0]);
      if (p) p.usedAt!.push(loc(u));
      else if (u.args[0]) st.issues.push({ ...loc(u), message: `plugin_use ${u.args[0]}: no "plugin_load ${u.args[0]} PATH" in the config` });
    }
  }
  return {
    file,
    files: st.files,
    directives: st.directives,
    perListenerSettings: perListener,
    listeners: out,
    bridges,
    global,
    globalAll,
    plugins,
    issues: st.issues,
  };
}

/**
 * The dynamic security plugins of a config and the JSON file each one keeps its clients,
 * groups and roles in (`plugin_opt_config_file`; absent = not configured), with the
 * directive that names it, and `plugin_opt_password_init_file` when set.
 */
export function dynsecConfigFiles(cfg: MosquittoConfig): { plugin: MosquittoPlugin; configFile?: Directive; passwordInitFile?: Directive }[] {
  return cfg.plugins
    .filter((p) => p.kind === 'dynamic-security')
    .map((plugin) => ({
      plugin,
      ...(plugin.options.plugin_opt_config_file ? { configFile: plugin.options.plugin_opt_config_file } : {}),
      ...(plugin.options.plugin_opt_password_init_file ? { passwordInitFile: plugin.options.plugin_opt_password_init_file } : {}),
    }));
}

/**
 * Load mosquitto.conf from a file. Throws ConfigReadError only when this file
 * itself cannot be read; everything else is an issue.
 */
export function loadMosquittoConfig(file: string, io: ConfigIO = fsIO()): MosquittoConfig {
  let text: string;
  try {
    text = io.readFile(file);
  } catch (e) {
    throw new ConfigReadError(file, e);
  }
  return parseMosquittoConfig(text, file, io);
}

/**
 * Whether anonymous clients may connect on this listener, and the directive that
 * decides it (absent = the built-in default).
 */
export function anonymousAllowed(cfg: MosquittoConfig, l: MosquittoListener): { allowed: boolean; by?: Directive } {
  // 2.1: listener_allow_anonymous on the listener overrides allow_anonymous.
  const own = flag(l.settings.listener_allow_anonymous);
  if (own !== undefined) return { allowed: own, by: l.settings.listener_allow_anonymous! };
  const d = l.settings.allow_anonymous;
  const v = flag(d);
  if (v !== undefined) return { allowed: v, by: d! };
  // 2.0: false by default, except in local-only mode (no listener configured).
  return { allowed: l.kind === 'implicit-local' };
}

// ---------------------------------------------------------------- ACL file

export interface AclRule extends SourceLoc {
  kind: 'topic' | 'pattern';
  access: 'read' | 'write' | 'readwrite' | 'deny';
  topic: string;
  /** The `user` block the rule is in; undefined = before any `user` line (applies to anonymous clients). */
  user?: string;
}

export interface AclFile {
  file: string;
  rules: AclRule[];
  users: (SourceLoc & { name: string })[];
  issues: ConfigIssue[];
}

/** Parse a mosquitto ACL file (mosquitto.conf(5), "acl_file"). */
export function parseMosquittoAcl(text: string, file: string): AclFile {
  const rules: AclRule[] = [];
  const users: AclFile['users'] = [];
  const issues: ConfigIssue[] = [];
  let user: string | undefined;
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const m = /^(\s*)(\S+)(?:\s+(.*?))?\s*$/.exec(line);
    if (!m || m[2]!.startsWith('#')) return;
    const column = m[1]!.length + 1;
    const key = m[2]!;
    const rest = m[3] ?? '';
    const at = { file, line: i + 1, column };
    // Mosquitto (2.0.11, tried) reads a directive only as the keyword and a space after blanks: a tab
    // before or right after `user`, `topic` or `pattern` is "Invalid line in acl_file", and the broker
    // refuses the whole file and does not start. The line grants nothing.
    const lead = m[1]!;
    const keyword = /^(user|topic|pattern)(\t)?/.exec(line.slice(lead.length));
    if (keyword && (lead.includes('\t') || keyword[2])) {
      issues.push({ ...at, message: `Mosquitto refuses this line ("Invalid line in acl_file") and with it the whole file, so the broker does not start: "${keyword[1]}" must be preceded by nothing but spaces and followed by a space, not a tab` });
      return;
    }
    if (key === 'user') {
      if (!rest) issues.push({ ...at, message: 'user needs a name' });
      user = rest;
      users.push({ ...at, name: rest });
      return;
    }
    if (key === 'topic' || key === 'pattern') {
      const w = /^(read|write|readwrite|deny)\s+(.+)$/.exec(rest);
      const access = (w ? w[1] : 'readwrite') as AclRule['access'];
      const topic = w ? w[2]! : rest;
      if (!topic) {
        issues.push({ ...at, message: `${key} needs a topic filter` });
        return;
      }
      rules.push({ ...at, kind: key, access, topic, ...(user !== undefined && key === 'topic' ? { user } : {}) });
      return;
    }
    issues.push({ ...at, message: `unknown ACL line "${key}" (expected user, topic or pattern)` });
  });
  return { file, rules, users, issues };
}

// ---------------------------------------------------------------- password file

export type PasswordScheme = 'sha512-pbkdf2' | 'sha512' | 'argon2id' | 'plain' | 'unknown';

export interface PasswordEntry extends SourceLoc {
  username: string;
  scheme: PasswordScheme;
  /** $7$ iteration count. */
  iterations?: number;
  /** Decoded salt length in bytes. */
  saltBytes?: number;
  /** The stored hash string (never a plain password: plain entries keep "<redacted>"; malformed ones only their scheme). */
  hash: string;
  /** What makes the entry unusable (Mosquitto drops it, or it must not be derived); listed in the file's issues too. */
  problem?: string;
}

export interface PasswordFile {
  file: string;
  entries: PasswordEntry[];
  issues: ConfigIssue[];
}

/**
 * The `name:value` line files (password, PSK): skips blanks and comments, reports a
 * line without a name before the colon, hands the rest to `each` with its place.
 */
function colonLines(
  text: string,
  file: string,
  expected: string,
  issues: ConfigIssue[],
  each: (at: SourceLoc, name: string, value: string, colon: number) => void,
): void {
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const at = { file, line: i + 1, column: 1 };
    const colon = line.indexOf(':');
    if (colon < 0) issues.push({ ...at, message: `no ":" on this line (expected ${expected})` });
    else if (colon === 0) issues.push({ ...at, message: `nothing before the ":" (expected ${expected})` });
    else each(at, line.slice(0, colon), line.slice(colon + 1), colon);
  });
}

/** A base64 field of a hash that must decode to `bytes` bytes (Mosquitto drops the entry otherwise). */
function base64Problem(field: string, what: string, bytes: number): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(field) || field.length % 4 !== 0) return `the ${what} is not valid base64`;
  const n = Buffer.from(field, 'base64').length;
  return n === bytes ? undefined : `the ${what} decodes to ${n} bytes, Mosquitto expects ${bytes}`;
}

/**
 * What is wrong with a `$6$`/`$7$` hash, as Mosquitto 2.0 reads it (security_default.c:
 * a field missing, iterations below 1, a salt that is not 12 bytes or a hash that is
 * not 64 bytes: "removing entry"), plus iteration counts too large to derive.
 */
function hashProblem(scheme: '6' | '7', fields: string[]): { problem?: string; iterations?: number; saltBytes?: number } {
  const shape = scheme === '7' ? '$7$iterations$salt$hash' : '$6$salt$hash';
  if (fields.length !== (scheme === '7' ? 3 : 2) || fields.some((f) => !f)) return { problem: `malformed $${scheme}$ hash: expected ${shape}` };
  let iterations: number | undefined;
  if (scheme === '7') {
    const it = fields.shift()!;
    if (!/^\d+$/.test(it)) return { problem: `the iteration count "${it.slice(0, 20)}" is not a number` };
    iterations = Number(it);
    if (iterations < 1) return { iterations, problem: 'an iteration count of 0 (Mosquitto drops the entry)' };
    if (iterations > MAX_PBKDF2_ITERATIONS) {
      return { iterations, problem: `an absurd iteration count ${it.length > 15 ? `${it.slice(0, 15)}…` : it} (above ${MAX_PBKDF2_ITERATIONS}): every login as this user costs the broker minutes of CPU` };
    }
  }
  const [salt, hash] = fields as [string, string];
  const saltBytes = /^[A-Za-z0-9+/=]+$/.test(salt) ? Buffer.from(salt, 'base64').length : undefined;
  // 2.0's mosquitto_passwd writes 12-byte salts, 2.1's 64-byte ones ($6$ stays at 12); which of
  // them the target broker accepts is ACC-036's judgement (it knows the version).
  const saltOk = scheme === '7' && saltBytes === MOSQUITTO_DEFAULTS['2.1'].saltBytes;
  const problem = (saltOk ? undefined : base64Problem(salt, 'salt', SALT_BYTES)) ?? base64Problem(hash, 'hash', HASH_BYTES);
  return { ...(iterations !== undefined && { iterations }), ...(saltBytes !== undefined && { saltBytes }), ...(problem && { problem }) };
}

/**
 * Parse a mosquitto_passwd file: `user:$7$iter$salt$hash`, `user:$6$salt$hash`, `user:$argon2id$…`.
 * Every malformed line is an issue at its place (no colon, unknown scheme, bad iteration
 * count, salt or hash); malformed `$6$`/`$7$` entries are kept with their `problem`
 * (for duplicate detection) but must not be derived.
 */
export function parseMosquittoPasswd(text: string, file: string): PasswordFile {
  const entries: PasswordEntry[] = [];
  const issues: ConfigIssue[] = [];
  colonLines(text, file, 'username:hash', issues, (at, username, hash, colon) => {
    const where = { ...at, column: colon + 2 };
    const m = /^\$(6|7)\$(.*)$/s.exec(hash);
    if (m) {
      const scheme = m[1] as '6' | '7';
      const { problem, iterations, saltBytes } = hashProblem(scheme, m[2]!.split('$'));
      const shown = problem ? hash.slice(0, 3) : hash;
      entries.push({ ...at, username, scheme: scheme === '7' ? 'sha512-pbkdf2' : 'sha512', ...(iterations !== undefined && { iterations }), ...(saltBytes !== undefined && { saltBytes }), hash: shown, ...(problem && { problem }) });
      if (problem) issues.push({ ...where, message: `user "${username}": ${problem}` });
    } else if (hash.startsWith('$argon2id$')) {
      entries.push({ ...at, username, scheme: 'argon2id', hash });
    } else if (!hash.startsWith('$')) {
      entries.push({ ...at, username, scheme: 'plain', hash: '<redacted>' });
    } else {
      const id = /^\$[^$]*\$?/.exec(hash)![0];
      entries.push({ ...at, username, scheme: 'unknown', hash: hash.slice(0, 4), problem: 'unknown hash scheme' });
      issues.push({ ...where, message: `user "${username}": unknown hash scheme "${id.slice(0, 12)}" (Mosquitto knows $6$ and $7$, newer versions $argon2id$)` });
    }
  });
  return { file, entries, issues };
}

// ---------------------------------------------------------------- PSK file

export interface PskEntry extends SourceLoc {
  identity: string;
  /** Key length in bits (hex digits × 4); the key itself is never kept. */
  keyBits: number;
  validHex: boolean;
}

export interface PskFile {
  file: string;
  entries: PskEntry[];
  issues: ConfigIssue[];
}

/** Parse a mosquitto PSK file: `identity:hexkey` per line. */
export function parseMosquittoPsk(text: string, file: string): PskFile {
  const entries: PskEntry[] = [];
  const issues: ConfigIssue[] = [];
  colonLines(text, file, 'identity:hexkey', issues, (at, identity, rest, colon) => {
    const key = rest.trim();
    const validHex = /^[0-9a-fA-F]+$/.test(key);
    if (!validHex) issues.push({ ...at, column: colon + 2, message: 'the key must be hexadecimal' });
    entries.push({ ...at, identity, keyBits: key.length * 4, validHex });
  });
  return { file, entries, issues };
}
