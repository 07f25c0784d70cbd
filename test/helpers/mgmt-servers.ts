/**
 * Loopback HTTP(S) servers that answer like the management interfaces the probes ask,
 * status line, headers and bodies as the upstream code builds them (cited per server),
 * plus hostile ones. Every server logs the requests it got, so tests can count logins.
 */
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Logged {
  method: string;
  path: string;
  /** The Authorization header or a body with a password was sent. */
  credentials: boolean;
  body: string;
}

export interface MgmtServer {
  port: number;
  log: Logged[];
  close(): Promise<void>;
}

type Handler = (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;

async function serve(handler: Handler, tls?: { cert: string; key: string }): Promise<MgmtServer> {
  const log: Logged[] = [];
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      log.push({ method: req.method ?? '', path: req.url ?? '', credentials: Boolean(req.headers.authorization) || /"password"/.test(body), body });
      handler(req, body, res);
    });
  };
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, onRequest) : http.createServer(onRequest);
  const sockets = new Set<net.Socket>();
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    log,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

/** Write a response with exactly these headers (lower-case names as cowboy and libmicrohttpd send them). */
function reply(res: http.ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

export interface EmqxOptions {
  /** The admin password (default 'public', the shipped one). */
  password?: string;
  /** EMQX 6.3 hardened security profile: `public` is refused with its own message. */
  hardened?: boolean;
  version?: string;
  node?: string;
  swagger?: boolean;
  /**
   * Newer releases: /api-docs/swagger.json needs authentication and /api-spec.json serves an
   * index without it (apps/emqx_dashboard/src/emqx_dashboard_api_spec_handler.erl, index_json/0).
   */
  apiSpec?: boolean;
  /** MFA on for admin: every login without mfa_token gets BAD_MFA_TOKEN, whatever the password (emqx_dashboard_admin.erl). */
  mfa?: boolean;
  tls?: { cert: string; key: string };
}

/**
 * EMQX 5/6 dashboard listener.
 * - /status: apps/emqx_management/src/emqx_mgmt_api_status.erl (JSON keys node_name, cluster,
 *   rel_vsn = edition prefix "v" + version, broker_status, app_status; content-type
 *   application/json or text/plain; retry-after: 15).
 * - 401 without credentials: apps/emqx_dashboard/src/emqx_dashboard.erl return_unauthorized/2
 *   (`WWW-Authenticate: Basic Realm="emqx-dashboard"`, {"code":"AUTHORIZATION_HEADER_ERROR","message":…}).
 * - /api-docs/swagger.json: the global spec of emqx_dashboard.erl (openapi 3.0.0, info.title "EMQX API", info.version).
 * - POST /api/v5/login: apps/emqx_dashboard/src/emqx_dashboard_api.erl (200 {role, token, version,
 *   license:{edition}}; 401 {"code":"BAD_USERNAME_OR_PWD","message":"Auth failed"}; under the
 *   hardened profile the "Default admin password must be changed" message).
 */
export function emqxServer(o: EmqxOptions = {}): Promise<MgmtServer> {
  const version = o.version ?? '5.8.6';
  const node = o.node ?? 'emqx@127.0.0.1';
  const password = o.password ?? 'public';
  const unauthorized = JSON.stringify({
    code: 'AUTHORIZATION_HEADER_ERROR',
    message:
      'Missing authorization header. Use Basic auth with API key/secret, or Bearer token from POST /api/v5/login. API keys can be bootstrapped from config (api_key.bootstrap_file) or created via POST /api/v5/api_key',
  });
  return serve((req, body, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/status' || url.pathname === '/api/v5/status') {
      if (url.searchParams.get('format') === 'json') {
        return reply(res, 200, { 'content-type': 'application/json', 'retry-after': '15' }, JSON.stringify({ node_name: node, cluster: 'emqxcl', rel_vsn: `v${version}`, broker_status: 'started', app_status: 'running' }));
      }
      return reply(res, 200, { 'content-type': 'text/plain', 'retry-after': '15' }, `Node ${node} is started\nemqx is running`);
    }
    if (url.pathname === '/' && req.method === 'GET') return reply(res, 200, { 'content-type': 'text/html' }, '<!DOCTYPE html><html lang="en"><head><title>EMQX Dashboard</title></head><body><div id="app"></div></body></html>');
    if (o.apiSpec && url.pathname === '/api-docs/swagger.json') return reply(res, 401, { 'content-type': 'application/json', 'www-authenticate': 'Basic Realm="emqx-dashboard"' }, unauthorized);
    if (o.apiSpec && url.pathname === '/api-spec.json') {
      return reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ bootstrap_help: [{ title: 'Authentication And Bootstrap', text: 'Most /api/v5/* endpoints require authentication, even on localhost.' }], api_auth: 'Most /api/v5/* endpoints require authentication, even on localhost.', tags: { Clients: { url: '/api-spec/clients' }, Status: { url: '/api-spec/status' } }, drill_down: {} }, null, 2));
    }
    if (url.pathname === '/api-docs/swagger.json' && o.swagger !== false) {
      return reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ openapi: '3.0.0', info: { title: 'EMQX API', version }, servers: [{ url: '/api/v5' }], paths: {} }));
    }
    if (url.pathname === '/api/v5/login' && req.method === 'POST') {
      let p: { username?: string; password?: string } = {};
      try {
        p = JSON.parse(body) as typeof p;
      } catch {
        return reply(res, 400, { 'content-type': 'application/json' }, JSON.stringify({ code: 'BAD_REQUEST', message: 'invalid json' }));
      }
      if (o.mfa && p.username === 'admin') {
        return reply(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ code: 'BAD_MFA_TOKEN', message: { mechanism: 'totp', error: 'missing_mfa_token' } }));
      }
      if (p.username === 'admin' && p.password === password) {
        if (o.hardened && password === 'public') {
          return reply(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ code: 'BAD_USERNAME_OR_PWD', message: 'Default admin password must be changed before login is allowed.\nRun: emqx ctl admins passwd admin <a-strong-password>.\nOr configure: dashboard.default_password = "<a-strong-password>".' }));
        }
        return reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify({ role: 'administrator', token: 'eyJhbGciOiJIUzI1NiJ9.secret-token', version, license: { edition: 'opensource' } }));
      }
      return reply(res, 401, { 'content-type': 'application/json' }, JSON.stringify({ code: 'BAD_USERNAME_OR_PWD', message: 'Auth failed' }));
    }
    if (url.pathname.startsWith('/api/v5/')) return reply(res, 401, { 'content-type': 'application/json', 'www-authenticate': 'Basic Realm="emqx-dashboard"' }, unauthorized);
    return reply(res, 404, { 'content-type': 'application/json' }, JSON.stringify({ code: 'NOT_FOUND', message: 'Request Path Not Found' }));
  }, o.tls);
}

/**
 * Mosquitto 2.1 http_api listener, src/http_api.c: GET only ("Invalid HTTP Method\n", 405);
 * /api/v1/version → VERSION; /api/v1/listeners → cJSON_Print of {"listeners":[…]} (tab-indented);
 * both with `Access-Control-Allow-Origin: *`; refused: 401 "Not authorised\n" with
 * `WWW-Authenticate: Basic realm="Mosquitto API"`; unknown paths "Not found.\n" 404.
 */
export function mosquittoHttpApi(o: { anonymous: boolean; version?: string; port?: number }): Promise<MgmtServer> {
  return serve((req, _body, res) => {
    if (req.method !== 'GET') return reply(res, 405, {}, 'Invalid HTTP Method\n');
    if (!o.anonymous) return reply(res, 401, { 'www-authenticate': 'Basic realm="Mosquitto API"' }, 'Not authorised\n');
    if (req.url === '/api/v1/version') return reply(res, 200, { 'access-control-allow-origin': '*' }, o.version ?? '2.1.2');
    if (req.url === '/api/v1/listeners') {
      const body = '{\n\t"listeners":\t[{\n\t\t\t"port":\t1883,\n\t\t\t"protocol":\t"mqtt",\n\t\t\t"tls":\tfalse,\n\t\t\t"mtls":\tfalse,\n\t\t\t"allow_anonymous":\ttrue\n\t\t}, {\n\t\t\t"port":\t9883,\n\t\t\t"protocol":\t"httpapi",\n\t\t\t"tls":\tfalse,\n\t\t\t"mtls":\tfalse,\n\t\t\t"allow_anonymous":\ttrue\n\t\t}]\n}';
      return reply(res, 200, { 'access-control-allow-origin': '*' }, body);
    }
    return reply(res, 404, {}, 'Not found.\n');
  });
}

/**
 * NanoMQ HTTP server, nanomq/rest_api.c + include/rest_api.h: basic auth against
 * http_server.username/password; no or malformed header → 401 {"code":104}, wrong → 401 {"code":103}
 * (error_response: cJSON_PrintUnformatted, content type of the request); /api/v4/brokers →
 * {"code":0,"data":[{"datetime","node_status":"Running","sysdescr":"NanoMQ Broker","uptime","version"}]}.
 */
export function nanomqServer(o: { password?: string; auth?: boolean } = {}): Promise<MgmtServer> {
  const password = o.password ?? 'public';
  return serve((req, _body, res) => {
    if (o.auth !== false) {
      const h = req.headers.authorization ?? '';
      if (!h.startsWith('Basic ')) return reply(res, 401, { 'content-type': req.headers['content-type'] ?? '' }, '{"code":104}');
      if (Buffer.from(h.slice(6), 'base64').toString() !== `admin:${password}`) return reply(res, 401, { 'content-type': req.headers['content-type'] ?? '' }, '{"code":103}');
    }
    if (req.url === '/api/v4/brokers') {
      return reply(res, 200, { 'content-type': 'application/json' }, '{"code":0,"data":[{"datetime":"2026-12-06 11:00:00","node_status":"Running","sysdescr":"NanoMQ Broker","uptime":"0 Hours, 5 minutes, 2 seconds","version":"0.24.6-8ee8bc5"}]}');
    }
    return reply(res, 404, { 'content-type': req.headers['content-type'] ?? '' }, '{"code":102}');
  });
}

export type HostileKind = 'endless-body' | 'slow-drip' | 'garbage-json' | 'redirect-loop' | 'not-http';

/** A peer that breaks the exchange in one way; it counts its connections. */
export async function hostileHttp(kind: HostileKind, tls?: { cert: string; key: string }): Promise<MgmtServer> {
  if (kind === 'not-http') {
    const log: Logged[] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      log.push({ method: '?', path: '?', credentials: false, body: '' });
      s.on('error', () => undefined);
      // A TLS alert record followed by junk: neither an HTTP answer nor a handshake.
      s.end(Buffer.from([0x15, 0x03, 0x01, 0x00, 0x02, 0x02, 0x50, 0xff, 0x00]));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return {
      port: (server.address() as AddressInfo).port,
      log,
      close: () =>
        new Promise<void>((r) => {
          for (const s of sockets) s.destroy();
          server.close(() => r());
        }),
    };
  }
  const timers = new Set<NodeJS.Timeout>();
  const srv = await serve((req, _body, res) => {
    res.on('error', () => undefined);
    if (kind === 'endless-body') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(16 * 1024, 0x7b);
      const pump = () => {
        while (!res.destroyed && res.write(chunk));
        if (!res.destroyed) res.once('drain', pump);
      };
      pump();
    } else if (kind === 'slow-drip') {
      res.writeHead(200, { 'content-type': 'application/json' });
      const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write('{')), 50);
      timers.add(t);
    } else if (kind === 'garbage-json') {
      reply(res, 200, { 'content-type': 'application/json' }, '{"node_name": "emqx@x", "rel_vsn": [[[[ \u0000\u0001 not json');
    } else {
      reply(res, 302, { location: req.url ?? '/' }, '');
    }
  }, tls);
  return {
    ...srv,
    close: async () => {
      for (const t of timers) clearInterval(t);
      await srv.close();
    },
  };
}
