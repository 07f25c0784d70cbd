/**
 * EMQX 5.x and 6.x configuration: the layering `etc/base.hocon` < `data/configs/cluster.hocon`
 * < `etc/emqx.conf` < `EMQX_*` environment overrides (`EMQX_A__B__C` sets `a.b.c`, the
 * value read as HOCON), over the schema defaults that matter for hardening
 * (HARDENING-FACTS §1–2, §7). Values that come from the defaults are marked, so findings
 * can say "default" and point at the top-level config file instead of a line.
 *
 * The defaults depend on the EMQX version (from the files' own documentation links, else
 * --emqx-version, else the latest 6.x) and, from 6.3, on the security profile
 * (`EMQX_SECURITY_PROFILE=legacy|hardened`, from the environment or `etc/emqx.env`).
 */
import { hoconGet, mergeObject, parseHocon, parseHoconValue, resolveHocon, toPlain, type HNode, type HObject } from './hocon.js';
import { errCode, fsIO, isMissing, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';
import { parseEmqxEnvFile } from './emqx-env.js';

/** File name used for the locations of built-in defaults. */
export const EMQX_DEFAULTS_FILE = '<emqx defaults>';

/** The packaged default Erlang cookies: 5.x builds and the 5.x emqx.conf use the first, 6.x builds the second (mix.exs). */
export const EMQX_DEFAULT_COOKIES = { v5: 'emqxsecretcookie', v6: 'emqx50elixir' } as const;

/** An EMQX release line: the defaults the checks assume follow it. */
export interface EmqxVersion {
  major: number;
  minor: number;
  /** Where it comes from: a documentation link in the files, --emqx-version, or assumed (latest 6.x). */
  source: 'config' | 'option' | 'assumed';
  /** The file line that reveals it (source `config`). */
  location?: SourceLoc;
}

/** The newest release line the defaults are modelled on (HARDENING-FACTS §7: 6.3). */
export const LATEST_EMQX_VERSION = { major: 6, minor: 3 } as const;

export const versionAtLeast = (v: Pick<EmqxVersion, 'major' | 'minor'>, major: number, minor: number) => v.major > major || (v.major === major && v.minor >= minor);

/** `6.3`, `5.8.4`, `v6.0` → major/minor; undefined for anything else. */
export function parseEmqxVersion(text: string): { major: number; minor: number } | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.\d+)?(?:-[\w.]+)?$/.exec(text.trim());
  return m ? { major: Number(m[1]), minor: Number(m[2]) } : undefined;
}

/** "EMQX 6.3 (assumed: the latest 6.x; set --emqx-version)" — for messages about defaults. */
export function emqxVersionText(v: EmqxVersion, product = true): string {
  const n = `${product ? 'EMQX ' : ''}${v.major}.${v.minor}`;
  if (v.source === 'option') return `${n} (--emqx-version)`;
  if (v.source === 'config') return `${n} (from ${v.location ? `${v.location.file}:${v.location.line}` : 'the config'})`;
  return `${n} (assumed: the latest ${LATEST_EMQX_VERSION.major}.x; set --emqx-version)`;
}

export type EmqxSecurityProfileName = 'legacy' | 'hardened';

export interface EmqxSecurityProfile {
  /** The profile in force: always legacy before 6.3 (the variable does not exist there). */
  name: EmqxSecurityProfileName;
  /** How it was chosen: the variable (EMQX_SECURITY_PROFILE) or the release default. */
  source: 'env' | 'default';
  /** Where the variable is set (an env file line, or <environment>). */
  location?: SourceLoc;
  /** The variable's value when EMQX ignores it (before 6.3) or refuses it (not legacy/hardened). */
  ignored?: string;
}

/**
 * The EMQX defaults the checks rely on (emqx_schema / emqx_conf_schema, HARDENING-FACTS §2 and §7),
 * for one release line. Listener defaults for every listener of a type are in LISTENER_TEMPLATES.
 * Default listeners bind a port only: the address then follows node.default_listener_address and
 * the security profile (6.3), all interfaces before.
 */
const defaultsFor = (v: Pick<EmqxVersion, 'major'>) => `
node { name = "emqx@127.0.0.1", cookie = "${v.major >= 6 ? EMQX_DEFAULT_COOKIES.v6 : EMQX_DEFAULT_COOKIES.v5}" }
cluster { name = emqxcl, discovery_strategy = manual, proto_dist = inet_tcp, static { seeds = [] } }
rpc { protocol = tcp, port_discovery = stateless, server_port = 5369 }
authentication = []
authorization {
  no_match = ${v.major >= 6 ? 'deny' : 'allow'}
  deny_action = ignore
  sources = [{ type = file, enable = true, path = "\${EMQX_ETC_DIR}/acl.conf" }]
}
flapping_detect { enable = false, max_count = 15, window_time = 1m, ban_time = 5m }
dashboard {
  default_username = admin
  default_password = public
  swagger_support = true
  ${v.major >= 6 ? 'unsuccessful_login_max_attempts = 5, unsuccessful_login_lock_duration = 10m' : ''}
  listeners {
    http { bind = 18083 }
    https {
      bind = 0
      ssl_options { certfile = "\${EMQX_ETC_DIR}/certs/cert.pem", keyfile = "\${EMQX_ETC_DIR}/certs/key.pem" }
    }
  }
}
log { audit { enable = false } }
mqtt { max_packet_size = 1MB }
force_shutdown { enable = true }
overload_protection { enable = false }
listeners {
  tcp.default { bind = 1883 }
  ssl.default { bind = 8883 }
  ws.default { bind = 8083 }
  wss.default { bind = 8084 }
}
`;

/** The port of a listener without `bind`, by type (emqx_schema). */
export const EMQX_LISTENER_DEFAULT_PORTS: Record<EmqxListenerType, number> = { tcp: 1883, ssl: 8883, ws: 8083, wss: 8084, quic: 14567 };

/**
 * The gateways and the port their listeners take without `bind` (emqx_gateway and the shipped
 * gateway.*.conf.example files: MQTT-SN over UDP 1884, STOMP 61613, CoAP 5683, LwM2M 5783, ExProto 7993).
 */
export const EMQX_GATEWAY_DEFAULT_PORTS: Record<string, number> = { mqttsn: 1884, stomp: 61613, coap: 5683, lwm2m: 5783, exproto: 7993 };
export const EMQX_GATEWAY_LISTENER_TYPES = ['tcp', 'ssl', 'udp', 'dtls', 'ws', 'wss'] as const;
export type EmqxGatewayListenerType = (typeof EMQX_GATEWAY_LISTENER_TYPES)[number];

const SSL_DEFAULTS = `{
  cacertfile = "\${EMQX_ETC_DIR}/certs/cacert.pem"
  certfile = "\${EMQX_ETC_DIR}/certs/cert.pem"
  keyfile = "\${EMQX_ETC_DIR}/certs/key.pem"
  verify = verify_none
  fail_if_no_peer_cert = false
  versions = [tlsv1.3, tlsv1.2]
  honor_cipher_order = true
  secure_renegotiate = true
  client_renegotiation = true
  depth = 10
}`;

const COMMON_LISTENER = `enable = true, enable_authn = true, access_rules = ["allow all"], max_connections = infinity`;
const LISTENER_TEMPLATES: Record<EmqxListenerType, string> = {
  tcp: `{ ${COMMON_LISTENER} }`,
  ssl: `{ ${COMMON_LISTENER}, ssl_options = ${SSL_DEFAULTS} { enable_crl_check = false, ocsp { enable_ocsp_stapling = false } } }`,
  ws: `{ ${COMMON_LISTENER}, websocket { mqtt_path = "/mqtt", check_origin_enable = false } }`,
  wss: `{ ${COMMON_LISTENER}, websocket { mqtt_path = "/mqtt", check_origin_enable = false }, ssl_options = ${SSL_DEFAULTS} }`,
  quic: `{ enable = true, enable_authn = true, max_connections = infinity, ssl_options { verify = verify_none } }`,
};

export type EmqxListenerType = 'tcp' | 'ssl' | 'ws' | 'wss' | 'quic';
export const EMQX_LISTENER_TYPES: readonly EmqxListenerType[] = ['tcp', 'ssl', 'ws', 'wss', 'quic'];

export interface EmqxValue {
  value: unknown;
  /** Where it is set; absent for built-in defaults. */
  location?: SourceLoc;
  /** The value is EMQX's built-in default (not set anywhere). */
  default?: true;
  /** Set by an EMQX_* environment override. */
  env?: string;
}


export interface EmqxBind {
  /** The address listened on; absent = every interface. */
  address?: string;
  port: number;
  /**
   * Where the address comes from when `bind` gives a port only (or no bind at all):
   * `node.default_listener_address` or the hardened security profile (EMQX 6.3).
   */
  via?: string;
}

export interface EmqxListener {
  type: EmqxListenerType;
  name: string;
  enabled: boolean;
  bind: EmqxBind;
  /** Where the listener is defined (its `bind`, else its block); absent for a default listener nobody configured. */
  location?: SourceLoc;
  /** The listener's resolved settings, defaults included (plain values). */
  settings: Record<string, unknown>;
  /** Dotted config path of the listener, e.g. listeners.ssl.default. */
  path: string;
}

export interface EmqxDashboardListener {
  name: 'http' | 'https';
  enabled: boolean;
  bind: EmqxBind;
  location?: SourceLoc;
  settings: Record<string, unknown>;
  path: string;
}

/** A listener of a protocol gateway (`gateway.<name>.listeners.<type>.<listener>`). */
export interface EmqxGatewayListener {
  gateway: string;
  type: EmqxGatewayListenerType;
  name: string;
  /** The gateway and the listener are both enabled. */
  enabled: boolean;
  bind: EmqxBind;
  location?: SourceLoc;
  settings: Record<string, unknown>;
  path: string;
}

/** A file of the layer that was not parsed (a syntax error, a size limit) or not read: its config is not judged. */
export interface EmqxParseFailure extends SourceLoc {
  message: string;
}

/** The plain-data part of a loaded EMQX config (what facts carry: no functions). */
export interface EmqxConfigData {
  /** Config files read, in precedence order (lowest first), includes after their file. */
  files: string[];
  /** Where findings about defaults point: emqx.conf when read, else the first file read (line 1). */
  anchor: SourceLoc;
  root: HObject;
  issues: ConfigIssue[];
  /**
   * Files of the layer that did not parse or could not be read: judging the rest with the
   * defaults would report things the file may well set, so the checks say SKIP for this config.
   */
  parseFailures: EmqxParseFailure[];
  /** Dotted config path → the EMQX_* variable that set it. */
  envOverrides: Record<string, string>;
  /** The release line whose defaults were assumed. */
  version: EmqxVersion;
  profile: EmqxSecurityProfile;
  nodeName: string;
  cookie: EmqxValue;
  listeners: EmqxListener[];
  dashboard: { listeners: EmqxDashboardListener[] };
  gateways: EmqxGatewayListener[];
  rpc: { portDiscovery: string; serverPort: number; protocol: string };
  cluster: { protoDist: string; staticSeeds: string[]; discoveryStrategy: string };
}

export interface EmqxConfig extends EmqxConfigData {
  get(path: string): EmqxValue | undefined;
}

/** A config value with where it comes from (pure: works on the plain data of a fact). */
export function emqxGet(cfg: Pick<EmqxConfigData, 'root' | 'envOverrides'>, path: string): EmqxValue | undefined {
  const n = hoconGet(cfg.root, path);
  if (!n) return undefined;
  const value = toPlain(n);
  if (isDefault(n)) return { value, default: true };
  const envName = cfg.envOverrides[path];
  return { value, location: n.loc, ...(envName ? { env: envName } : {}) };
}

/** Where a finding about a value points: its place, or the anchor file for defaults. */
export function emqxWhere(cfg: Pick<EmqxConfigData, 'anchor'>, v: EmqxValue | undefined): SourceLoc {
  return v?.location ?? cfg.anchor;
}

export interface LoadEmqxOptions {
  /** base.hocon, cluster.hocon, emqx.conf in precedence order; missing ones are skipped. */
  files: string[];
  /** EMQX_* overrides (A__B → a.b) and variables for ${VAR} substitutions. */
  env?: Record<string, string>;
  /** Where each environment variable was set (an --env-file line), for locations. */
  envLocations?: Record<string, SourceLoc>;
  /**
   * The node's boot-time environment file (etc/emqx.env, sourced by bin/emqx on every start):
   * its variables override `env`, as they do for EMQX. Missing is fine.
   */
  envFile?: string;
  /** The release line to assume when the files do not reveal it (`6.3`, `5.8`): --emqx-version. */
  version?: string;
  io?: ConfigIO;
}

/** `EMQX_NODE__COOKIE` → node.cookie; undefined for variables that are not overrides. */
export function envOverridePath(name: string): string | undefined {
  if (!name.startsWith('EMQX_') || !name.includes('__')) return undefined;
  const path = name.slice(5).toLowerCase().split('__');
  return path.every(Boolean) ? path.join('.') : undefined;
}

const isDefault = (n: HNode) => n.loc.file === EMQX_DEFAULTS_FILE;

/** Fill keys missing in `dst` from `template` (a copy), recursively; `dst` wins. */
function fillDefaults(dst: HObject, template: HObject) {
  for (const [k, v] of template.fields) {
    const cur = dst.fields.get(k);
    if (!cur) dst.fields.set(k, structuredCloneNode(v));
    else if (cur.t === 'obj' && v.t === 'obj') fillDefaults(cur, v);
  }
}

function structuredCloneNode(n: HNode): HNode {
  if (n.t === 'obj') return { t: 'obj', loc: n.loc, fields: new Map([...n.fields].map(([k, v]) => [k, structuredCloneNode(v)])) };
  if (n.t === 'arr') return { t: 'arr', loc: n.loc, items: n.items.map(structuredCloneNode) };
  return { ...n } as HNode;
}

function parseTemplate(text: string): HObject {
  const r = parseHocon(`x = ${text}`, EMQX_DEFAULTS_FILE, { resolve: true, env: { EMQX_ETC_DIR: '${EMQX_ETC_DIR}' } });
  if (r.issues.length) throw new Error(`bad built-in EMQX defaults: ${r.issues[0]!.message}`);
  return r.root.fields.get('x') as HObject;
}

/** Parse a `bind` value: 1883, "1883", ":1883", "0.0.0.0:1883", "[::]:1883". */
export function parseBind(v: unknown): EmqxBind | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return { port: v };
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(\d+)$/.exec(s))) return { port: Number(m[1]) };
  if ((m = /^\[([^\]]+)\]:(\d+)$/.exec(s))) return { address: m[1]!, port: Number(m[2]) };
  if ((m = /^([^:]*):(\d+)$/.exec(s))) return { ...(m[1] ? { address: m[1] } : {}), port: Number(m[2]) };
  return undefined;
}

/** Locate a listener: its `bind` if set in a file, else its block. */
function locate(n: HNode | undefined): SourceLoc | undefined {
  if (!n) return undefined;
  if (n.t === 'obj') {
    const bind = n.fields.get('bind');
    if (bind && !isDefault(bind)) return bind.loc;
    for (const v of n.fields.values()) if (!isDefault(v)) return v.loc;
    return isDefault(n) ? undefined : n.loc;
  }
  return isDefault(n) ? undefined : n.loc;
}

/** `enabled` is the schema alias of `enable` on listeners: the alias counts when `enable` is not written. */
function aliasEnable(l: HObject) {
  const alias = l.fields.get('enabled');
  const own = l.fields.get('enable');
  if (alias && (!own || isDefault(own))) l.fields.set('enable', alias);
}

/** A documentation link of the packaged files names their release: `docs.emqx.com/en/emqx/v5.8.4/…`, `…/enterprise/v58/…`. */
const DOC_VERSION = /docs\.emqx\.com\/[a-z]{2}(?:-[a-z]{2})?\/(?:emqx|enterprise)\/v(\d)\.?(\d{1,2})\b/;

function versionFromText(text: string, file: string): EmqxVersion | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = DOC_VERSION.exec(lines[i]!);
    if (m) return { major: Number(m[1]), minor: Number(m[2]), source: 'config', location: { file, line: i + 1, column: m.index + 1 } };
  }
  return undefined;
}

/** An issue that means a whole file of the layer was not parsed (the parser's `failed` flag, or its "not parsed" wording). */
function isParseFailure(i: ConfigIssue): boolean {
  return Boolean(i.incomplete && ((i as { failed?: unknown }).failed === true || /\bnot parsed\b/.test(i.message)));
}

function profileOf(env: Record<string, string>, locations: Record<string, SourceLoc>, version: EmqxVersion, issues: ConfigIssue[]): EmqxSecurityProfile {
  const raw = env.EMQX_SECURITY_PROFILE;
  const location = locations.EMQX_SECURITY_PROFILE ?? (raw !== undefined ? { file: '<environment>', line: 1, column: 1 } : undefined);
  if (raw === undefined || raw === '') return { name: 'legacy', source: 'default' };
  if (!versionAtLeast(version, 6, 3)) return { name: 'legacy', source: 'default', location: location!, ignored: raw };
  if (raw === 'legacy' || raw === 'hardened') return { name: raw, source: 'env', location: location! };
  issues.push({ ...location!, message: `EMQX_SECURITY_PROFILE=${raw}: not legacy or hardened, EMQX refuses to start` });
  return { name: 'legacy', source: 'env', location: location!, ignored: raw };
}

export function loadEmqxConfig(opts: LoadEmqxOptions): EmqxConfig {
  const io = opts.io ?? fsIO();
  const issues: ConfigIssue[] = [];
  const parseFailures: EmqxParseFailure[] = [];
  // etc/emqx.env overrides the inherited environment (bin/emqx sources it on every start).
  let env = opts.env ?? {};
  let envLocations = opts.envLocations ?? {};
  if (opts.envFile) {
    try {
      const r = parseEmqxEnvFile(io.readFile(opts.envFile, 'settings'), opts.envFile, env);
      env = { ...env, ...r.env };
      envLocations = { ...envLocations, ...r.locations };
      issues.push(...r.issues);
    } catch (e) {
      if (!isMissing(e)) issues.push({ file: opts.envFile, line: 1, column: 1, message: `cannot read ${opts.envFile}: ${errCode(e)}` });
    }
  }
  const files: string[] = [];
  const parsed: { file: string; root: HObject }[] = [];
  let found: EmqxVersion | undefined;
  // Paths keep ${EMQX_ETC_DIR} when the variable is not set: EMQX expands it itself.
  const substEnv = { EMQX_ETC_DIR: '${EMQX_ETC_DIR}', EMQX_DATA_DIR: '${EMQX_DATA_DIR}', EMQX_LOG_DIR: '${EMQX_LOG_DIR}', ...env };
  let anchor: SourceLoc | undefined;
  for (const file of opts.files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      if (!isMissing(e)) {
        const issue = { file, line: 1, column: 1, message: `cannot read ${file}: ${errCode(e)}`, incomplete: true as const };
        issues.push(issue);
        parseFailures.push({ file, line: 1, column: 1, message: issue.message });
      }
      continue;
    }
    found ??= versionFromText(text, file);
    try {
      const r = parseHocon(text, file, { io, resolve: false });
      files.push(...r.files);
      issues.push(...r.issues);
      for (const i of r.issues) if (isParseFailure(i)) parseFailures.push({ file: i.file, line: i.line, column: i.column, message: i.message });
      parsed.push({ file, root: r.root });
    } catch (e) {
      // The parser's contract is to return issues, but a throw is a failed file all the same.
      const where = (e as { loc?: SourceLoc }).loc ?? { file, line: 1, column: 1 };
      const message = `${e instanceof Error ? e.message : String(e)} (the file was not parsed)`;
      files.push(file);
      issues.push({ ...where, message, incomplete: true });
      parseFailures.push({ ...where, message });
    }
    // Findings about defaults point at emqx.conf when given, else at the first file.
    if (!anchor || /(^|\/)emqx\.conf$/.test(file)) anchor = { file, line: 1, column: 1 };
  }
  const asked = opts.version !== undefined ? parseEmqxVersion(opts.version) : undefined;
  if (opts.version !== undefined && !asked) throw new Error(`--emqx-version ${opts.version}: expected a release such as 6.3 or 5.8`);
  const version: EmqxVersion = asked ? { ...asked, source: 'option' } : (found ?? { ...LATEST_EMQX_VERSION, source: 'assumed' });
  const profile = profileOf(env, envLocations, version, issues);

  const root = parseTemplate(`{ ${defaultsFor(version)} }`);
  for (const p of parsed) mergeObject(root, p.root, []);
  // Environment overrides, highest precedence.
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const path = envOverridePath(name);
    if (!path) continue;
    const where = envLocations[name] ?? { file: '<environment>', line: 1, column: 1 };
    const parsedValue = parseHoconValue(raw, where.file, where.line, where.column);
    const value: HNode = parsedValue.value ?? { t: 'val', value: raw, loc: where };
    const over = parseHocon('', where.file, { resolve: false }).root;
    const keys = path.split('.');
    let obj = over;
    for (const k of keys.slice(0, -1)) {
      const o: HObject = { t: 'obj', fields: new Map(), loc: where };
      obj.fields.set(k, o);
      obj = o;
    }
    obj.fields.set(keys[keys.length - 1]!, value);
    mergeObject(root, over, []);
  }
  resolveHocon(root, substEnv, issues);

  const getNode = (path: string) => hoconGet(root, path);
  const envOverrides: Record<string, string> = {};
  for (const k of Object.keys(env)) {
    const p = envOverridePath(k);
    if (p) envOverrides[p] = k;
  }
  const get = (path: string) => emqxGet({ root, envOverrides }, path);
  const str = (p: string, d: string) => {
    const v = get(p)?.value;
    return typeof v === 'string' ? v : d;
  };
  const nodeName = str('node.name', 'emqx@127.0.0.1');

  // The address of a port-only bind (EMQX 6.3): node.default_listener_address, else the profile's.
  const dla = versionAtLeast(version, 6, 3) ? get('node.default_listener_address') : undefined;
  const implicitAddress = (kind: 'mqtt' | 'dashboard-http' | 'other'): Pick<EmqxBind, 'address' | 'via'> => {
    if (dla && typeof dla.value === 'string' && dla.value !== '') {
      const via = `node.default_listener_address = ${dla.value}`;
      if (dla.value === 'all') return { via };
      if (dla.value === 'loopback') return { address: '127.0.0.1', via };
      if (dla.value === 'nodename') return { address: nodeName.split('@')[1] ?? nodeName, via };
      return { address: dla.value, via };
    }
    if (profile.name === 'hardened' && kind !== 'other') return { address: '127.0.0.1', via: 'the hardened security profile' };
    return {};
  };
  const bindOf = (raw: unknown, defaultPort: number | undefined, kind: 'mqtt' | 'dashboard-http' | 'other'): EmqxBind | undefined => {
    const b = raw === undefined && defaultPort !== undefined ? { port: defaultPort } : parseBind(raw);
    if (!b) return undefined;
    return b.address !== undefined ? b : { ...b, ...implicitAddress(kind) };
  };

  // Every listener gets the defaults of its type.
  const listenersNode = root.fields.get('listeners');
  const listeners: EmqxListener[] = [];
  if (listenersNode?.t === 'obj') {
    for (const [type, byName] of listenersNode.fields) {
      if (!(EMQX_LISTENER_TYPES as readonly string[]).includes(type)) {
        issues.push({ ...(locate(byName) ?? anchor ?? { file: EMQX_DEFAULTS_FILE, line: 1, column: 1 }), message: `unknown listener type "${type}"` });
        continue;
      }
      if (byName.t !== 'obj') continue;
      const t = type as EmqxListenerType;
      const template = parseTemplate(LISTENER_TEMPLATES[t]);
      for (const [name, l] of byName.fields) {
        const path = `listeners.${type}.${name}`;
        if (l.t === 'val' && l.value === 'marked_for_deletion') continue;
        if (l.t !== 'obj') {
          issues.push({ ...l.loc, message: `${path} must be an object` });
          continue;
        }
        aliasEnable(l);
        fillDefaults(l, template);
        const settings = toPlain(l) as Record<string, unknown>;
        const bind = bindOf(settings.bind, EMQX_LISTENER_DEFAULT_PORTS[t], 'mqtt');
        if (!bind) {
          const b = l.fields.get('bind');
          issues.push({ ...(b ? b.loc : (locate(l) ?? anchor ?? l.loc)), message: `${path}.bind: not a port or address:port (${JSON.stringify(settings.bind)})` });
        }
        const loc = locate(l);
        listeners.push({ type: t, name, enabled: settings.enable !== false && bind?.port !== 0, bind: bind ?? { port: 0 }, ...(loc ? { location: loc } : {}), settings, path });
      }
    }
  }

  const dashboardListeners: EmqxDashboardListener[] = [];
  for (const name of ['http', 'https'] as const) {
    const n = getNode(`dashboard.listeners.${name}`);
    if (!n || n.t !== 'obj') continue;
    const settings = toPlain(n) as Record<string, unknown>;
    const bind = bindOf(settings.bind, undefined, name === 'http' ? 'dashboard-http' : 'other') ?? { port: 0 };
    const loc = locate(n);
    dashboardListeners.push({
      name,
      // A dashboard listener is on when its bind is not 0 (and enable is not false).
      enabled: settings.enable !== false && bind.port !== 0,
      bind,
      ...(loc ? { location: loc } : {}),
      settings,
      path: `dashboard.listeners.${name}`,
    });
  }

  // Gateways: each enabled gateway opens its own listeners (their binds are not covered by the profile).
  const gateways: EmqxGatewayListener[] = [];
  const gw = getNode('gateway');
  if (gw?.t === 'obj') {
    for (const [gname, g] of gw.fields) {
      if (g.t !== 'obj') continue;
      const gEnabled = !(g.fields.get('enable')?.t === 'val' && (g.fields.get('enable') as { value: unknown }).value === false);
      const ls = g.fields.get('listeners');
      if (ls?.t !== 'obj') continue;
      for (const [type, byName] of ls.fields) {
        if (!(EMQX_GATEWAY_LISTENER_TYPES as readonly string[]).includes(type) || byName.t !== 'obj') {
          issues.push({ ...(locate(byName) ?? byName.loc), message: `gateway.${gname}.listeners: unknown listener type "${type}"` });
          continue;
        }
        for (const [name, l] of byName.fields) {
          const path = `gateway.${gname}.listeners.${type}.${name}`;
          if (l.t !== 'obj') {
            issues.push({ ...l.loc, message: `${path} must be an object` });
            continue;
          }
          aliasEnable(l);
          const settings = toPlain(l) as Record<string, unknown>;
          const bind = bindOf(settings.bind, EMQX_GATEWAY_DEFAULT_PORTS[gname], 'other');
          if (!bind) issues.push({ ...(l.fields.get('bind')?.loc ?? l.loc), message: `${path}.bind: not a port or address:port (${JSON.stringify(settings.bind)})` });
          const loc = locate(l);
          gateways.push({
            gateway: gname,
            type: type as EmqxGatewayListenerType,
            name,
            enabled: gEnabled && settings.enable !== false && (bind?.port ?? 0) !== 0,
            bind: bind ?? { port: 0 },
            ...(loc ? { location: loc } : {}),
            settings,
            path,
          });
        }
      }
    }
  }

  const num = (p: string, d: number) => {
    const v = get(p)?.value;
    return typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : d;
  };
  const seedsRaw = get('cluster.static.seeds')?.value;
  const staticSeeds = Array.isArray(seedsRaw)
    ? seedsRaw.map(String)
    : typeof seedsRaw === 'string'
      ? seedsRaw.split(',').map((s) => s.trim()).filter(Boolean)
      : [];
  const serverPort = get('rpc.server_port')?.default ? (get('rpc.tcp_server_port')?.value ?? get('rpc.ssl_server_port')?.value) : undefined;
  // `rpc.driver` is the schema alias of `rpc.protocol`: it counts when protocol is not written.
  const driver = get('rpc.driver');
  const protocol = get('rpc.protocol')?.default && typeof driver?.value === 'string' ? driver.value : str('rpc.protocol', 'tcp');

  return {
    files,
    anchor: anchor ?? { file: opts.files[opts.files.length - 1] ?? EMQX_DEFAULTS_FILE, line: 1, column: 1 },
    root,
    issues,
    parseFailures,
    envOverrides,
    version,
    profile,
    get,
    nodeName,
    cookie: get('node.cookie')!,
    listeners,
    dashboard: { listeners: dashboardListeners },
    gateways,
    rpc: {
      portDiscovery: str('rpc.port_discovery', 'stateless'),
      serverPort: typeof serverPort === 'number' ? serverPort : num('rpc.server_port', 5369),
      protocol,
    },
    cluster: { protoDist: str('cluster.proto_dist', 'inet_tcp'), staticSeeds, discoveryStrategy: str('cluster.discovery_strategy', 'manual') },
  };
}
