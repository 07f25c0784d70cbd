/**
 * EMQX 5.x configuration: the layering `etc/base.hocon` < `data/configs/cluster.hocon`
 * < `etc/emqx.conf` < `EMQX_*` environment overrides (`EMQX_A__B__C` sets `a.b.c`, the
 * value read as HOCON), over the schema defaults that matter for hardening
 * (HARDENING-FACTS §1–2). Values that come from the defaults are marked, so findings
 * can say "default" and point at the top-level config file instead of a line.
 */
import { hoconGet, mergeObject, parseHocon, parseHoconValue, resolveHocon, toPlain, type HNode, type HObject } from './hocon.js';
import { errCode, fsIO, isMissing, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';

/** File name used for the locations of built-in defaults. */
export const EMQX_DEFAULTS_FILE = '<emqx defaults>';

/**
 * The EMQX 5 defaults the checks rely on (emqx_schema / emqx_conf_schema, HARDENING-FACTS §2).
 * Listener defaults for every listener of a type are in LISTENER_TEMPLATES.
 */
const DEFAULTS = `
node { name = "emqx@127.0.0.1", cookie = "emqxsecretcookie" }
cluster { name = emqxcl, discovery_strategy = manual, proto_dist = inet_tcp, static { seeds = [] } }
rpc { protocol = tcp, port_discovery = stateless, server_port = 5369 }
authentication = []
authorization {
  no_match = allow
  deny_action = ignore
  sources = [{ type = file, enable = true, path = "\${EMQX_ETC_DIR}/acl.conf" }]
}
flapping_detect { enable = false, max_count = 15, window_time = 1m, ban_time = 5m }
dashboard {
  default_username = admin
  default_password = public
  swagger_support = true
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
  tcp.default { bind = "0.0.0.0:1883" }
  ssl.default { bind = "0.0.0.0:8883" }
  ws.default { bind = "0.0.0.0:8083" }
  wss.default { bind = "0.0.0.0:8084" }
}
`;

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
  ws: `{ ${COMMON_LISTENER}, websocket { mqtt_path = "/mqtt" } }`,
  wss: `{ ${COMMON_LISTENER}, websocket { mqtt_path = "/mqtt" }, ssl_options = ${SSL_DEFAULTS} }`,
  quic: `{ enable = true, enable_authn = true, max_connections = infinity }`,
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
  address?: string;
  port: number;
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

/** The plain-data part of a loaded EMQX config (what facts carry: no functions). */
export interface EmqxConfigData {
  /** Config files read, in precedence order (lowest first), includes after their file. */
  files: string[];
  /** Where findings about defaults point: emqx.conf when read, else the first file read (line 1). */
  anchor: SourceLoc;
  root: HObject;
  issues: ConfigIssue[];
  /** Dotted config path → the EMQX_* variable that set it. */
  envOverrides: Record<string, string>;
  nodeName: string;
  cookie: EmqxValue;
  listeners: EmqxListener[];
  dashboard: { listeners: EmqxDashboardListener[] };
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

export function loadEmqxConfig(opts: LoadEmqxOptions): EmqxConfig {
  const io = opts.io ?? fsIO();
  const env = opts.env ?? {};
  const issues: ConfigIssue[] = [];
  const files: string[] = [];
  const root = parseTemplate(`{ ${DEFAULTS} }`);
  // Paths keep ${EMQX_ETC_DIR} when the variable is not set: EMQX expands it itself.
  const substEnv = { EMQX_ETC_DIR: '${EMQX_ETC_DIR}', EMQX_DATA_DIR: '${EMQX_DATA_DIR}', EMQX_LOG_DIR: '${EMQX_LOG_DIR}', ...env };
  let anchor: SourceLoc | undefined;
  for (const file of opts.files) {
    let text: string;
    try {
      text = io.readFile(file);
    } catch (e) {
      if (!isMissing(e)) issues.push({ file, line: 1, column: 1, message: `cannot read ${file}: ${errCode(e)}`, incomplete: true });
      continue;
    }
    const r = parseHocon(text, file, { io, resolve: false });
    files.push(...r.files);
    issues.push(...r.issues);
    mergeObject(root, r.root, []);
    // Findings about defaults point at emqx.conf when given, else at the first file.
    if (!anchor || /(^|\/)emqx\.conf$/.test(file)) anchor = { file, line: 1, column: 1 };
  }
  // Environment overrides, highest precedence.
  for (const [name, raw] of Object.entries(env).sort(([a], [b]) => a.localeCompare(b))) {
    const path = envOverridePath(name);
    if (!path) continue;
    const where = opts.envLocations?.[name] ?? { file: '<environment>', line: 1, column: 1 };
    const parsed = parseHoconValue(raw, where.file, where.line, where.column);
    const value: HNode = parsed.value ?? { t: 'val', value: raw, loc: where };
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
      const template = parseTemplate(LISTENER_TEMPLATES[type as EmqxListenerType]);
      for (const [name, l] of byName.fields) {
        const path = `listeners.${type}.${name}`;
        if (l.t === 'val' && l.value === 'marked_for_deletion') continue;
        if (l.t !== 'obj') {
          issues.push({ ...l.loc, message: `${path} must be an object` });
          continue;
        }
        fillDefaults(l, template);
        const settings = toPlain(l) as Record<string, unknown>;
        const bind = parseBind(settings.bind);
        if (!bind) {
          const b = l.fields.get('bind');
          issues.push({ ...(b ? b.loc : (locate(l) ?? anchor ?? l.loc)), message: `${path}.bind: not a port or address:port (${JSON.stringify(settings.bind)})` });
        }
        const loc = locate(l);
        listeners.push({
          type: type as EmqxListenerType,
          name,
          enabled: settings.enable !== false && bind?.port !== 0,
          bind: bind ?? { port: 0 },
          ...(loc ? { location: loc } : {}),
          settings,
          path,
        });
      }
    }
  }

  const getNode = (path: string) => hoconGet(root, path);
  const envOverrides: Record<string, string> = {};
  for (const k of Object.keys(env)) {
    const p = envOverridePath(k);
    if (p) envOverrides[p] = k;
  }
  const get = (path: string) => emqxGet({ root, envOverrides }, path);

  const dashboardListeners: EmqxDashboardListener[] = [];
  for (const name of ['http', 'https'] as const) {
    const n = getNode(`dashboard.listeners.${name}`);
    if (!n || n.t !== 'obj') continue;
    const settings = toPlain(n) as Record<string, unknown>;
    const bind = parseBind(settings.bind) ?? { port: 0 };
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

  const str = (p: string, d: string) => {
    const v = get(p)?.value;
    return typeof v === 'string' ? v : d;
  };
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

  return {
    files,
    anchor: anchor ?? { file: opts.files[opts.files.length - 1] ?? EMQX_DEFAULTS_FILE, line: 1, column: 1 },
    root,
    issues,
    envOverrides,
    get,
    nodeName: str('node.name', 'emqx@127.0.0.1'),
    cookie: get('node.cookie')!,
    listeners,
    dashboard: { listeners: dashboardListeners },
    rpc: {
      portDiscovery: str('rpc.port_discovery', 'stateless'),
      serverPort: typeof serverPort === 'number' ? serverPort : num('rpc.server_port', 5369),
      protocol: str('rpc.protocol', 'tcp'),
    },
    cluster: { protoDist: str('cluster.proto_dist', 'inet_tcp'), staticSeeds, discoveryStrategy: str('cluster.discovery_strategy', 'manual') },
  };
}
