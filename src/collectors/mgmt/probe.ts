/**
 * Collector: the management HTTP interfaces of one host.
 *
 * Which ports: the products' defaults (EMQX dashboard 18083 HTTP and 18084 HTTPS,
 * NanoMQ HTTP server 8081, Mosquitto 2.1 local `http_api` 9883) plus, when the host
 * audit reads this machine's configs and the target is loopback, the dashboard
 * listeners of its EMQX configs and the `protocol http_api` listeners of its
 * Mosquitto configs (configuredManagementPorts), and the other TCP ports its broker
 * processes listen on (brokerSocketPorts).
 *
 * What is asked, without credentials (GET only): the status and version endpoints
 * each product answers unauthenticated, one API path that needs authentication
 * (to see whether it does), EMQX's Swagger description and dashboard page. What the
 * answers reveal is recorded. With --intrusive, and only on an interface that
 * requires authentication, exactly one login with the shipped default credentials;
 * it is never retried, whatever the answer. Credentials and tokens are never kept.
 *
 * Facts from upstream (cited where the answers are parsed):
 *  - EMQX: apps/emqx_management/src/emqx_mgmt_api_status.erl (/status, `format=json`:
 *    node_name, cluster, rel_vsn, broker_status, app_status; text: "Node N is started\nemqx is running");
 *    apps/emqx_dashboard/src/emqx_dashboard.erl (static routes "/", "/api-docs/swagger.json"
 *    with info.version; 401 {"code","message"} with `WWW-Authenticate: Basic Realm="emqx-dashboard"`);
 *    apps/emqx_dashboard/src/emqx_dashboard_api_spec_handler.erl (newer releases: /api-spec.json,
 *    an index {bootstrap_help, api_auth, tags, drill_down} served without authentication);
 *    apps/emqx_dashboard/src/emqx_dashboard_api.erl (POST /api/v5/login: 200 {token, version,
 *    license, role}; 401 BAD_USERNAME_OR_PWD "Auth failed", "Default admin password must be
 *    changed…" under the hardened profile, LOGIN_LOCKED; 403 PASSWORD_LOGIN_DISABLED).
 *  - Mosquitto 2.1: src/http_api.c (GET only; /api/v1/version → VERSION as text/plain,
 *    /api/v1/listeners → {"listeners":[{port, protocol, tls, mtls, allow_anonymous}]},
 *    /api/v1/systree; both with `Access-Control-Allow-Origin: *`; a refused request gets
 *    401 "Not authorised\n" with realm "Mosquitto API"; the local API listens on 127.0.0.1:9883).
 *  - NanoMQ: nanomq/rest_api.c, nanomq/include/rest_api.h (REST root /api/v4; basic auth
 *    from http_server username/password, shipped admin/public; refused: 401 {"code":104}
 *    without and {"code":103} with wrong credentials; GET /api/v4/brokers → {"code":0,
 *    "data":[{datetime, node_status, sysdescr:"NanoMQ Broker", uptime, version}]}).
 */
import type { ManagementProbes, ManagementProduct, PortScan, MgmtDisclosure, MgmtInterface, MgmtLogin, MgmtPortSource, MgmtRequestLog, Tested } from '../../core/facts.js';
import type { HostConfigs } from '../config.js';
import type { BrokerSetup, DeclaredListener, Listeners } from '../system/types.js';
import { serviceForPort } from '../ports.js';
import { httpExchange, HttpProbeError, type HttpExchange } from './http.js';

export interface MgmtTarget {
  port: number;
  /** Try HTTPS first (18084, a TLS listener in a config). */
  tls: boolean;
  sources: MgmtPortSource[];
  /** The port scan saw the port refuse the connection: nothing is asked. */
  closed?: true;
}

/** The products' default management ports. */
export const DEFAULT_MGMT_PORTS: readonly { port: number; tls: boolean; product: ManagementProduct }[] = [
  { port: 18083, tls: false, product: 'emqx' },
  { port: 18084, tls: true, product: 'emqx' },
  { port: 8081, tls: false, product: 'nanomq' },
  { port: 9883, tls: false, product: 'mosquitto' },
];

/** The shipped default credentials: EMQX `dashboard.default_username/default_password`, NanoMQ `http_server`. */
export const DEFAULT_LOGIN: Record<'emqx' | 'nanomq', { username: string; password: string }> = {
  emqx: { username: 'admin', password: 'public' },
  nanomq: { username: 'admin', password: 'public' },
};

/** Dashboard listeners of the EMQX configs and `protocol http_api` listeners of the Mosquitto configs. */
export function configuredManagementPorts(hc: Pick<HostConfigs, 'emqx' | 'mosquitto'>): { port: number; tls: boolean; source: MgmtPortSource }[] {
  const out: { port: number; tls: boolean; source: MgmtPortSource }[] = [];
  for (const e of hc.emqx) {
    for (const l of e.config?.dashboard.listeners ?? []) {
      if (!l.enabled || !l.bind.port) continue;
      const where = l.location ? `${l.location.file}:${l.location.line}` : `${e.path} (EMQX default)`;
      out.push({ port: l.bind.port, tls: l.name === 'https', source: { kind: 'config', product: 'emqx', where } });
    }
  }
  for (const m of hc.mosquitto) {
    for (const l of m.config?.listeners ?? []) {
      if (l.settings.protocol?.args[0] !== 'http_api') continue;
      out.push({ port: l.port, tls: l.tls, source: { kind: 'config', product: 'mosquitto', where: `${l.location.file}:${l.location.line}` } });
    }
  }
  return out;
}

/** Port-scan services of a port that speak MQTT or the Erlang protocols, not HTTP. */
const NOT_HTTP_SERVICES: ReadonlySet<string> = new Set(['mqtt', 'mqtts', 'mqtt-ws', 'mqtt-wss', 'epmd', 'erlang-dist', 'cluster-rpc']);
/** Listener kinds of the broker configs that are not HTTP management interfaces (gateways are 'other'). */
const NOT_HTTP_KINDS: ReadonlySet<DeclaredListener['kind']> = new Set(['mqtt', 'mqtts', 'ws', 'wss', 'erlang-dist', 'cluster-rpc', 'other']);

/**
 * The TCP ports this machine's broker processes listen on that may carry a management
 * interface no config names (an EMQX dashboard moved by EMQX_DASHBOARD__LISTENERS__HTTP__BIND,
 * a NanoMQ http_server on its own port). The product of a socket is the product sys.brokers
 * found for its process id (EMQX: a beam.smp whose command line names emqx; Mosquitto), else
 * a process named `mosquitto` or `nanomq` (NanoMQ has no process discovery of its own). Left out:
 * the standard MQTT, WebSocket, epmd and Erlang ports, and the ports the configs declare as
 * MQTT, WebSocket, gateway or cluster listeners (they speak other protocols); sockets bound to
 * an address the loopback target does not reach. `notes` say why the list is shorter than it could be.
 */
export function brokerSocketPorts(
  listeners: Listeners | undefined,
  brokers: BrokerSetup | undefined,
  targetFamily: 4 | 6,
): { ports: { port: number; tls: boolean; source: MgmtPortSource }[]; notes: string[] } {
  const notes: string[] = [];
  if (!listeners) return { ports: [], notes };
  if (!listeners.live) return { ports: [], notes: ['the socket tables are not of the running system: no listening port added'] };
  if (!listeners.processesMapped) notes.push('the listening sockets could not all be mapped to their processes (run as root to see every owner): broker ports may be missing');
  if (!brokers) notes.push('the broker processes were not identified (sys.brokers): EMQX sockets (beam.smp) are not added');
  const byPid = new Map((brokers?.processes ?? []).map((p) => [p.pid, p.product] as const));
  const notHttp = new Set((brokers?.declared ?? []).filter((d) => NOT_HTTP_KINDS.has(d.kind)).map((d) => d.port));
  const out = new Map<number, { port: number; tls: boolean; source: MgmtPortSource }>();
  for (const s of listeners.sockets) {
    if (s.proto !== 'tcp' || out.has(s.port)) continue;
    // A socket bound to another address only is not reached on loopback; `::` also takes IPv4 (dual stack).
    if (!(s.wildcard && (s.family === targetFamily || s.family === 6)) && !(s.loopback && s.family === targetFamily)) continue;
    if (NOT_HTTP_SERVICES.has(serviceForPort(s.port) ?? 'other') || notHttp.has(s.port)) continue;
    for (const p of s.processes) {
      const product: ManagementProduct | undefined = byPid.get(p.pid) ?? (p.name === 'mosquitto' ? 'mosquitto' : p.name === 'nanomq' ? 'nanomq' : undefined);
      if (!product) continue;
      out.set(s.port, { port: s.port, tls: false, source: { kind: 'socket', product, process: p.name, pid: p.pid } });
      break;
    }
  }
  return { ports: [...out.values()].sort((a, b) => a.port - b.port), notes };
}

/**
 * The ports probed on one host, merged by number: the products' defaults (`defaults`,
 * DEFAULT_MGMT_PORTS unless the run says otherwise), the ports the scan found open that
 * may carry a management interface (the dashboard ports, and ports the operator added
 * with --ports: the MQTT and Erlang ports speak other protocols), and the configured ones
 * and the broker sockets (`configured`: configuredManagementPorts, brokerSocketPorts).
 * Ports the scan saw refused are kept (the report lists them as closed) but not asked.
 */
export function managementTargets(
  defaults: readonly { port: number; tls: boolean; product: ManagementProduct }[],
  scan: PortScan | undefined,
  configured: readonly { port: number; tls: boolean; source: MgmtPortSource }[] = [],
): MgmtTarget[] {
  const by = new Map<number, MgmtTarget>();
  const add = (port: number, tls: boolean, source: MgmtPortSource) => {
    const t = by.get(port) ?? { port, tls, sources: [] };
    t.tls ||= tls;
    t.sources.push(source);
    by.set(port, t);
  };
  for (const d of defaults) add(d.port, d.tls, { kind: 'default', product: d.product });
  for (const p of scan?.ports ?? []) {
    if (p.state !== 'open' || !['dashboard-http', 'dashboard-https', 'other'].includes(p.service)) continue;
    if (p.service === 'other') add(p.port, false, { kind: 'scan' });
    else add(p.port, p.service === 'dashboard-https', { kind: 'default', product: 'emqx' });
  }
  for (const c of configured) add(c.port, c.tls, c.source);
  const refused = new Set((scan?.ports ?? []).filter((p) => p.state === 'closed').map((p) => p.port));
  return [...by.values()].map((t) => (refused.has(t.port) ? { ...t, closed: true } : t));
}

export interface MgmtProbeOptions {
  timeoutMs: number;
  intrusive: boolean;
  signal?: AbortSignal;
  /** Body bytes kept per answer (default 64 KiB). */
  maxBytes?: number;
  /** Days before expiry at which a served certificate is to be reported (kept with the certificate for the judge). */
  expiryWarnDays?: readonly number[];
}

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** Strings from a hostile peer are kept short and printable. */
const clip = (s: string, n = 80) => s.replace(/[^\x20-\x7e]/g, '?').slice(0, n);

/** The requests of one interface: each logged in `iface.requests` (never with a credential), anomalies noted. */
function asker(host: string, port: number, tlsNow: () => boolean, iface: MgmtInterface, o: MgmtProbeOptions): Ask {
  const { requests, anomalies } = iface;
  return async (path, extra = {}) => {
    const method = extra.method ?? 'GET';
    const t0 = performance.now();
    try {
      const x = await httpExchange({
        host,
        port,
        tls: tlsNow(),
        method,
        path,
        timeoutMs: o.timeoutMs,
        ...(o.maxBytes && { maxBytes: o.maxBytes }),
        ...(extra.headers && { headers: extra.headers }),
        ...(extra.body !== undefined && { body: extra.body }),
        ...(o.signal && { signal: o.signal }),
      });
      requests.push({ method, path, credentials: Boolean(extra.credentials), status: x.status, bytes: x.bytes, ...(x.truncated && { truncated: true as const }), ms: x.ms });
      if (x.truncated) anomalies.push(`${method} ${path}: the answer was longer than ${o.maxBytes ?? 65536} bytes and was cut`);
      if (x.status >= 300 && x.status < 400) anomalies.push(`${method} ${path}: redirect (${x.status}) to ${clip(x.headers.location ?? '(no location)')}, not followed`);
      if (x.certificate) iface.certificate = { ...x.certificate, ...(o.expiryWarnDays && { warnDays: [...o.expiryWarnDays] }) };
      return x;
    } catch (e) {
      const err = e instanceof HttpProbeError ? e : new HttpProbeError(String(e), 'error');
      requests.push({ method, path, credentials: Boolean(extra.credentials), error: err.message, ms: Math.round(performance.now() - t0) });
      return err;
    }
  };
}

/** Probe one port: identify the interface, record what it discloses, and (--intrusive) the one login. */
export async function probeManagementPort(host: string, target: MgmtTarget, o: MgmtProbeOptions): Promise<MgmtInterface> {
  const iface = await identifyManagementPort(host, target, o);
  if (o.intrusive && needsLogin(iface)) iface.login = await attemptDefaultLogin(host, iface, o);
  return iface;
}

/** An identified interface that asks for credentials and answered cleanly: the one login can be tried on it. */
function needsLogin(i: MgmtInterface): boolean {
  return (i.reach === 'http' || i.reach === 'https') && (i.product === 'emqx' || i.product === 'nanomq') && i.auth !== 'not-required';
}

/** The one default-credential login on an identified interface (never more than one request, never retried). */
export function attemptDefaultLogin(host: string, iface: MgmtInterface, o: MgmtProbeOptions): Promise<Tested<MgmtLogin>> {
  return login(asker(host, iface.port, () => iface.reach === 'https', iface, o), iface, true);
}

/** Identify the interface on one port and record what it discloses without credentials (GET only). */
export async function identifyManagementPort(host: string, target: MgmtTarget, o: MgmtProbeOptions): Promise<MgmtInterface> {
  const requests: MgmtRequestLog[] = [];
  const anomalies: string[] = [];
  const disclosures: MgmtDisclosure[] = [];
  const iface: MgmtInterface = {
    port: target.port,
    sources: target.sources,
    reach: 'error',
    disclosures,
    auth: 'unknown',
    login: { tested: false, reason: 'no management interface was recognised on this port' },
    requests,
    anomalies,
  };
  let tls = target.tls;
  if (target.closed) {
    iface.reach = 'closed';
    iface.detail = 'the port scan found the port closed';
    return iface;
  }

  const ask = asker(host, target.port, () => tls, iface, o);

  // The first request decides whether anything speaks HTTP(S) here; a TLS port answers a
  // plain request with an alert or a hang-up (and the other way round), so the other scheme gets one try.
  let first = await ask('/status?format=json');
  if (first instanceof HttpProbeError && (first.kind === 'not-http' || first.kind === 'tls' || (first.kind === 'error' && first.connected))) {
    const before = first;
    tls = !tls;
    first = await ask('/status?format=json');
    if (first instanceof HttpProbeError && first.kind !== 'timeout' && first.kind !== 'closed') {
      iface.reach = 'other';
      iface.detail = `the port answers, but neither HTTP (${(tls ? before : first).message}) nor HTTPS (${(tls ? first : before).message})`;
      return iface;
    }
  }
  // A port probed only because a broker process listens on it may speak anything: one that accepts the
  // connection and stays silent to an HTTP request (an Erlang distribution port waits for the rest of a
  // frame) is not an HTTP service, not a broken exchange.
  if (first instanceof HttpProbeError && first.kind === 'timeout' && first.connected && !first.responded && target.sources.every((s) => s.kind === 'socket')) {
    iface.reach = 'other';
    iface.detail = `the port accepts connections but answered nothing to an HTTP request within ${o.timeoutMs} ms: not an HTTP service`;
    return iface;
  }
  if (first instanceof HttpProbeError) {
    iface.reach = first.kind === 'closed' ? 'closed' : first.kind === 'timeout' && !first.connected ? 'filtered' : 'error';
    iface.detail = first.message;
    return iface;
  }
  iface.reach = tls ? 'https' : 'http';
  // A failed try over the other scheme is not a broken exchange: only what follows the first answer counts.
  const settled = requests.length - 1;

  const expected = [...new Set(target.sources.flatMap((s) => (s.product ? [s.product] : [])))];
  const order = [...expected, ...(['emqx', 'mosquitto', 'nanomq'] as const).filter((p) => !expected.includes(p))];
  for (const product of order) {
    const found = product === 'emqx' ? identifyEmqx(first, disclosures) : product === 'mosquitto' ? await identifyMosquitto(ask, iface) : await identifyNanomq(ask, iface);
    if (found) {
      iface.product = product;
      break;
    }
  }
  const broken = requests.slice(settled).find((r) => r.error);
  if (!iface.product) {
    if (broken) {
      iface.reach = 'error';
      iface.detail = `${broken.method} ${broken.path}: ${broken.error}`;
    } else {
      const statuses = requests.map((r) => `${r.path} → ${r.status}`).join(', ');
      anomalies.push(`HTTP answers, but not as the EMQX dashboard, the Mosquitto HTTP API or the NanoMQ HTTP server (${statuses})`);
    }
    return iface;
  }
  iface.version = disclosures.find((d) => d.kind === 'version')?.value;
  if (iface.product === 'emqx') await emqxDetails(ask, iface);
  if (broken && iface.auth === 'unknown') {
    iface.reach = 'error';
    iface.detail = `${broken.method} ${broken.path}: ${broken.error}`;
  }
  iface.login = await login(ask, iface, false);
  return iface;
}

type Ask = (path: string, extra?: { method?: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; credentials?: boolean }) => Promise<HttpExchange | HttpProbeError>;

/** EMQX /status (emqx_mgmt_api_status.erl): JSON with rel_vsn/node_name, or the text form. */
function identifyEmqx(x: HttpExchange, disclosures: MgmtDisclosure[]): boolean {
  if (x.status !== 200 && x.status !== 503) return false;
  const j = json(x.body);
  if (isObj(j) && (typeof j.rel_vsn === 'string' || typeof j.node_name === 'string') && typeof j.app_status === 'string') {
    if (typeof j.rel_vsn === 'string') disclosures.push({ path: '/status?format=json', kind: 'version', value: clip(j.rel_vsn, 40) });
    if (typeof j.node_name === 'string') disclosures.push({ path: '/status?format=json', kind: 'node-name', value: clip(j.node_name) });
    return true;
  }
  // Releases that ignore `format` answer in text.
  const m = /^Node (\S+) is (\w+)\r?\nemqx is (\w+)/.exec(x.body);
  if (m) {
    disclosures.push({ path: '/status', kind: 'node-name', value: clip(m[1]!) });
    return true;
  }
  return false;
}

/** Mosquitto http_api (src/http_api.c): /api/v1/version answers VERSION, or 401 with realm "Mosquitto API". */
async function identifyMosquitto(ask: Ask, iface: MgmtInterface): Promise<boolean> {
  const x = await ask('/api/v1/version');
  if (x instanceof HttpProbeError) return false;
  if (x.status === 401 && /mosquitto api/i.test(x.headers['www-authenticate'] ?? '')) {
    iface.auth = 'required';
    return true;
  }
  const v = x.body.trim();
  if (x.status !== 200 || !/^\d+\.\d+(\.\d+)?([-.\w]*)$/.test(v) || v.length > 40) return false;
  iface.auth = 'not-required';
  iface.openApiPath = '/api/v1/version';
  iface.disclosures.push({ path: '/api/v1/version', kind: 'version', value: v });
  const l = await ask('/api/v1/listeners');
  if (!(l instanceof HttpProbeError) && l.status === 200) {
    const j = json(l.body);
    if (isObj(j) && Array.isArray(j.listeners)) {
      const list = j.listeners.filter(isObj).map((e) => `${String(e.port ?? e.path ?? '?')}/${String(e.protocol ?? '?')}${e.tls === true ? '+tls' : ''}${e.allow_anonymous === true ? ' anonymous' : ''}`);
      iface.disclosures.push({ path: '/api/v1/listeners', kind: 'listeners', value: clip(list.join(', '), 200) });
    } else iface.anomalies.push('GET /api/v1/listeners: 200 without the listeners JSON');
  }
  return true;
}

/** NanoMQ (nanomq/rest_api.c): /api/v4/brokers, 401 {"code":104} without credentials. */
async function identifyNanomq(ask: Ask, iface: MgmtInterface): Promise<boolean> {
  const x = await ask('/api/v4/brokers');
  if (x instanceof HttpProbeError) return false;
  const j = json(x.body);
  if (x.status === 401 && isObj(j) && (j.code === 104 || j.code === 103)) {
    iface.auth = 'required';
    return true;
  }
  const broker = isObj(j) && j.code === 0 && Array.isArray(j.data) && isObj(j.data[0]) ? j.data[0] : undefined;
  if (x.status !== 200 || !broker || broker.sysdescr !== 'NanoMQ Broker') return false;
  iface.auth = 'not-required';
  iface.openApiPath = '/api/v4/brokers';
  if (typeof broker.version === 'string') iface.disclosures.push({ path: '/api/v4/brokers', kind: 'version', value: clip(broker.version, 40) });
  return true;
}

/** EMQX: whether the API needs authentication, the Swagger description, the dashboard page. */
async function emqxDetails(ask: Ask, iface: MgmtInterface): Promise<void> {
  const nodes = await ask('/api/v5/nodes');
  if (!(nodes instanceof HttpProbeError)) {
    if (nodes.status === 401 || nodes.status === 403) iface.auth = 'required';
    else if (nodes.status === 200 && Array.isArray(json(nodes.body))) {
      iface.auth = 'not-required';
      iface.openApiPath = '/api/v5/nodes';
    } else iface.anomalies.push(`GET /api/v5/nodes without credentials: unexpected ${nodes.status}`);
  }
  const spec = await ask('/api-docs/swagger.json');
  if (!(spec instanceof HttpProbeError) && spec.status === 200 && /"openapi"\s*:\s*"3/.test(spec.body)) {
    const v = /"info"\s*:\s*\{[^{}]*?"version"\s*:\s*"([^"]{1,40})"/.exec(spec.body)?.[1];
    iface.disclosures.push({ path: '/api-docs/swagger.json', kind: 'api-description', value: v ? `OpenAPI description of every endpoint (info.version ${clip(v, 40)})` : 'OpenAPI description of every endpoint' });
    if (v && !iface.disclosures.some((d) => d.kind === 'version')) iface.disclosures.push({ path: '/api-docs/swagger.json', kind: 'version', value: clip(v, 40) });
  }
  if (!iface.disclosures.some((d) => d.kind === 'api-description')) {
    // Newer releases (emqx_dashboard_api_spec_handler.erl) serve an API index at /api-spec.json without authentication.
    const index = await ask('/api-spec.json');
    const j = index instanceof HttpProbeError || index.status !== 200 ? undefined : json(index.body);
    if (isObj(j) && isObj(j.tags)) iface.disclosures.push({ path: '/api-spec.json', kind: 'api-description', value: `index of ${Object.keys(j.tags).length} API tags with their specs` });
  }
  const ui = await ask('/');
  if (!(ui instanceof HttpProbeError) && ui.status === 200 && /text\/html/i.test(ui.headers['content-type'] ?? '')) {
    iface.disclosures.push({ path: '/', kind: 'dashboard-ui', value: 'the dashboard login page' });
  }
  iface.version = iface.disclosures.find((d) => d.kind === 'version')?.value;
}

/** The one default-credential login: never more than one request, never retried. */
async function login(ask: Ask, iface: MgmtInterface, intrusive: boolean): Promise<Tested<MgmtLogin>> {
  if (iface.auth === 'not-required') return { tested: false, reason: `the API answers without credentials (${iface.openApiPath}): no login is needed` };
  if (iface.product === 'mosquitto') return { tested: false, reason: 'Mosquitto ships no default credentials for its HTTP API' };
  if (!intrusive) return { tested: false, reason: 'intrusive probe: run with --intrusive to try the default credentials once' };
  const product = iface.product as 'emqx' | 'nanomq';
  const { username, password } = DEFAULT_LOGIN[product];
  if (product === 'emqx') {
    const request = 'POST /api/v5/login';
    const x = await ask('/api/v5/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }), credentials: true });
    if (x instanceof HttpProbeError) return { tested: true, username, request, outcome: 'error', detail: x.message };
    const j = json(x.body);
    const code = isObj(j) && typeof j.code === 'string' ? j.code : undefined;
    const message = isObj(j) && typeof j.message === 'string' ? j.message : '';
    if (x.status === 200 && isObj(j) && typeof j.token === 'string') {
      if (typeof j.version === 'string' && !iface.version) iface.version = clip(j.version, 40);
      return { tested: true, username, request, outcome: 'accepted', status: 200, detail: `logged in as ${username} with the default password${typeof j.role === 'string' ? ` (role ${clip(j.role, 30)})` : ''}` };
    }
    if (x.status === 401 && code === 'BAD_USERNAME_OR_PWD' && /default admin password must be changed/i.test(message))
      return { tested: true, username, request, outcome: 'blocked', status: 401, detail: 'the password is still the default, but the hardened security profile refuses it' };
    // With MFA on, EMQX answers BAD_MFA_TOKEN before judging the password (emqx_dashboard_admin.erl, against brute force).
    if (x.status === 401 && code === 'BAD_MFA_TOKEN') return { tested: true, username, request, outcome: 'mfa', status: 401, detail: 'a second factor (MFA) is demanded before the password is judged: one attempt cannot tell whether it is the default' };
    if (x.status === 401 && code === 'LOGIN_LOCKED') return { tested: true, username, request, outcome: 'locked', status: 401, detail: 'the account is locked after failed logins' };
    if (x.status === 401 && code === 'BAD_USERNAME_OR_PWD') return { tested: true, username, request, outcome: 'refused', status: 401, detail: 'the default password was refused' };
    if (x.status === 403 && code === 'PASSWORD_LOGIN_DISABLED') return { tested: true, username, request, outcome: 'disabled', status: 403, detail: 'password login is disabled (SCRAM only)' };
    return { tested: true, username, request, outcome: 'error', status: x.status, detail: `unexpected answer ${x.status}${code ? ` ${clip(code, 40)}` : ''}` };
  }
  const request = 'GET /api/v4/brokers (HTTP basic)';
  const x = await ask('/api/v4/brokers', { headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` }, credentials: true });
  if (x instanceof HttpProbeError) return { tested: true, username, request, outcome: 'error', detail: x.message };
  const j = json(x.body);
  if (x.status === 200 && isObj(j) && j.code === 0) {
    const b = Array.isArray(j.data) && isObj(j.data[0]) ? j.data[0] : undefined;
    if (b && typeof b.version === 'string' && !iface.version) iface.version = clip(b.version, 40);
    return { tested: true, username, request, outcome: 'accepted', status: 200, detail: `the HTTP API accepts ${username} with the shipped password` };
  }
  if (x.status === 401) return { tested: true, username, request, outcome: 'refused', status: 401, detail: 'the shipped password was refused' };
  return { tested: true, username, request, outcome: 'error', status: x.status, detail: `unexpected answer ${x.status}` };
}

/**
 * Probe every target port of a host (ports concurrently, each port's requests in turn).
 * With --intrusive, one login per product and host: two dashboard listeners of one node
 * share its admin account (and its failed-login counter), so the second is not tried.
 * HTTPS is preferred, so the default password does not cross the network in clear
 * when the node also offers TLS.
 */
export async function probeManagementInterfaces(
  host: string,
  loopback: boolean,
  targets: readonly MgmtTarget[],
  o: MgmtProbeOptions,
  configProblems: string[] = [],
  socketNotes: string[] = [],
): Promise<ManagementProbes> {
  const interfaces = await Promise.all(targets.map((t) => identifyManagementPort(host, t, o)));
  if (o.intrusive) {
    for (const product of ['emqx', 'nanomq'] as const) {
      const candidates = interfaces.filter((i) => i.product === product && needsLogin(i)).sort((a, b) => Number(b.reach === 'https') - Number(a.reach === 'https'));
      const chosen = candidates[0];
      if (!chosen) continue;
      chosen.login = await attemptDefaultLogin(host, chosen, o);
      for (const other of candidates.slice(1)) other.login = { tested: false, reason: `one login per host and product: the default password was tried on port ${chosen.port}` };
    }
  }
  return { host, loopback, intrusive: o.intrusive, interfaces, configProblems, ...(socketNotes.length && { socketNotes }) };
}
