/**
 * NanoMQ configs: `nanomq.conf` (HOCON since 0.14, read with src/config/hocon.ts; the
 * older `key=value` format of nanomq_old.conf is still accepted), its password file
 * (`nanomq_pwd.conf`: plain-text `"user": "password"` pairs, or the older
 * `auth.N.login`/`auth.N.password` lines) and its ACL file (`nanomq_acl.conf`:
 * `rules = [{permit, username, clientid, ipaddr, action, topics}]`, or the older
 * `acl.rule.N={…}` lines). Facts from upstream (HARDENING-FACTS §7, nanomq/nanomq
 * etc/*.conf, docs/en_US/config-description, conf_ver2.c):
 * - compiled-in defaults: `auth.allow_anonymous = true`, `auth.no_match = allow`,
 *   `auth.deny_action = ignore` (legacy: `allow_anonymous`, `acl_nomatch`, `acl_deny_action`);
 * - HOCON: a `listeners.tcp|ssl|ws|wss` block enables that listener (`bind`), a missing
 *   `listeners` keeps the compiled-in TCP listener on 0.0.0.0:1883; an `http_server` block
 *   enables the HTTP API (`ip_addr` default 0.0.0.0, `port` 8081, `username`/`password`
 *   shipped as admin/public); `auth.password` and `auth.acl` usually include the two files;
 * - legacy: `url`, `tls.enable` + `tls.url`, `websocket.enable` + `websocket.url` and
 *   `websocket.tls_url`, `http_server.enable` (shipped false) + `http_server.port`.
 * Plain-text passwords are scored by the caller's function and dropped: the model keeps the
 * score, never the password.
 */
import { basename, dirname, join } from 'node:path';
import { errCode, isMissing, type ConfigIO, type ConfigIssue, type SourceLoc } from './io.js';
import { hoconGet, parseHocon, type HNode, type HObject } from './hocon.js';
import type { StrengthReport } from '../credentials/strength.js';
import type { ReferencedFile } from './bundle.js';

/** A setting with its effective value, where it is decided, and whether the file sets it. */
export interface NanomqSetting<T> {
  value: T;
  /** false: not in the file, NanoMQ's compiled-in default applies (`at` is the file's first line or the enclosing block). */
  set: boolean;
  /** The key as NanoMQ names it (`auth.no_match`, or `acl_nomatch` in the legacy format). */
  key: string;
  at: SourceLoc;
}

export type NanomqListenerKind = 'tcp' | 'ssl' | 'ws' | 'wss';

export interface NanomqListener {
  kind: NanomqListenerKind;
  /** The bind address ("0.0.0.0" = every interface). */
  host: string;
  port: number;
  tls: boolean;
  /** WebSocket path. */
  path?: string;
  /** false: the compiled-in listener (no listener configured). */
  set: boolean;
  at: SourceLoc;
}

export interface NanomqHttpServer {
  host: NanomqSetting<string>;
  port: NanomqSetting<number>;
  username: NanomqSetting<string>;
  /** The password's score and whether it is the shipped one; never the password. */
  password: { set: boolean; shipped: boolean; strength?: StrengthReport; at: SourceLoc };
  authType: NanomqSetting<string>;
  at: SourceLoc;
}

export interface NanomqUser extends SourceLoc {
  username: string;
  strength: StrengthReport;
  /** The password is the one of the shipped example file (`public`) or equals the user name. */
  wellKnown: boolean;
}

export interface NanomqAclRule extends SourceLoc {
  permit: 'allow' | 'deny';
  username?: string;
  clientid?: string;
  ipaddr?: string;
  /** publish, subscribe or pubsub (the default). */
  action: string;
  /** Empty: every topic. */
  topics: string[];
}

/** The users of a password file, or of `auth.password` in nanomq.conf. */
export interface NanomqPasswords {
  file: string;
  users: NanomqUser[];
  issues: ConfigIssue[];
}

export interface NanomqAcl {
  file: string;
  rules: NanomqAclRule[];
  issues: ConfigIssue[];
}

export interface NanomqConfig {
  file: string;
  syntax: 'hocon' | 'legacy';
  allowAnonymous: NanomqSetting<boolean>;
  noMatch: NanomqSetting<string>;
  denyAction: NanomqSetting<string>;
  listeners: NanomqListener[];
  /** Absent: the HTTP server is off. */
  httpServer?: NanomqHttpServer;
  /** Users of `auth.password` (an included file or inline), or of the legacy `auth.N.*` lines. */
  passwords?: NanomqPasswords;
  /** Rules of `auth.acl` (an included file or inline), or of the legacy `acl.rule.N` lines. */
  acl?: NanomqAcl;
  /** Files `include`d, and why one could not be read. */
  includes: { path: string; ref: SourceLoc; readPath?: string; error?: string }[];
  issues: ConfigIssue[];
}

export interface ConfigNanomqFact {
  configs: NanomqConfig[];
  /** Password files given on their own (lint) or included by a config. */
  passwordFiles: ReferencedFile<NanomqPasswords>[];
  /** ACL files given on their own. */
  aclFiles: ReferencedFile<NanomqAcl>[];
}

export type ScorePassword = (password: string) => StrengthReport;

const SHIPPED_PASSWORD = 'public';
const DEFAULT_PORTS: Record<NanomqListenerKind, number> = { tcp: 1883, ssl: 8883, ws: 8083, wss: 8084 };

/** `host:port/path`, `nmq-tcp://host:port`, `tls+nmq-tcp://…`, `nmq-ws://host:port/mqtt`. */
export function parseNanomqUrl(v: string): { host: string; port: number; path?: string } | undefined {
  const m = /^(?:[a-z0-9+.-]+:\/\/)?(\[[^\]]*\]|[^:/]*):(\d{1,5})(\/.*)?$/i.exec(v.trim());
  if (!m || Number(m[2]) > 65535) return undefined;
  return { host: m[1]!.replace(/^\[|\]$/g, '') || '0.0.0.0', port: Number(m[2]), ...(m[3] ? { path: m[3] } : {}) };
}

/** A HOCON file of NanoMQ rather than EMQX: its own root keys, or listeners with a `bind` right under the type. */
export function looksLikeNanomqHocon(root: HObject): boolean {
  const keys = new Set(root.fields.keys());
  if (['node', 'dashboard', 'authentication', 'authorization', 'cluster', 'rpc'].some((k) => keys.has(k))) return false;
  if (['http_server', 'auth', 'system', 'webhook', 'sqlite', 'exchange_client', 'parquet'].some((k) => keys.has(k))) return true;
  const listeners = root.fields.get('listeners');
  if (listeners?.t === 'obj') {
    for (const t of listeners.fields.values()) if (t.t === 'obj' && (t.fields.get('bind')?.t === 'val' || t.fields.size === 0)) return true;
  }
  return false;
}

/** A legacy (`key=value`) nanomq.conf: NanoMQ's own keys and no HOCON blocks. */
export function looksLikeNanomqLegacy(text: string): boolean {
  // JSON rule values (`acl.rule.N={…}`, `web.hook.rule.….N={…}`) are the legacy format's own; other blocks are HOCON.
  const blocks = text.replace(/^\s*(acl\.rule|web\.hook\.rule)\.[\w.]+\s*=.*$/gm, '');
  if (/^\s*[\w.]+\s*\{/m.test(blocks) || /^\s*[\w.]+\s*=\s*\{/m.test(blocks)) return false;
  return /^\s*url\s*=\s*(nmq|broker)[-+\w]*:\/\//m.test(text) || /^\s*(acl_nomatch|acl_deny_action|num_taskq_thread|websocket\.url|http_server\.(enable|port))\s*=/m.test(text);
}

/** A NanoMQ password file: `"user": "password"` (or `user: password`) lines only, or legacy `auth.N.login` lines. */
export function looksLikeNanomqPasswd(text: string): boolean {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  if (!lines.length) return false;
  if (lines.every((l) => /^auth\.\d+\.(login|password)\s*=/.test(l))) return true;
  return lines.every((l) => /^("[^"]+"|[A-Za-z0-9_.@-]+)\s*[:=]\s*("[^"]*"|\S+)\s*,?$/.test(l)) && lines.some((l) => /^"[^"]+"\s*:|^[^:\s]+:\s/.test(l));
}

/** A NanoMQ ACL file: `rules = [ {"permit": …} ]`, or legacy `acl.rule.N={…}` lines. */
export function looksLikeNanomqAcl(text: string): boolean {
  return (/^\s*rules\s*[=:]\s*\[/m.test(text) && /"?permit"?\s*[:=]\s*"?(allow|deny)/.test(text)) || /^\s*acl\.rule\.\d+\s*=\s*\{/m.test(text);
}

const str = (n: HNode | undefined): string | undefined => (n?.t === 'val' && n.value !== null ? String(n.value) : undefined);

function setting<T>(n: HNode | undefined, key: string, dflt: T, fallback: SourceLoc, conv: (s: string) => T | undefined): NanomqSetting<T> {
  const s = str(n);
  const v = s === undefined ? undefined : conv(s);
  return v === undefined ? { value: dflt, set: false, key, at: n?.loc ?? fallback } : { value: v, set: true, key, at: n!.loc };
}
const asBool = (s: string) => (/^(true|yes|on)$/i.test(s) ? true : /^(false|no|off)$/i.test(s) ? false : undefined);
const asWord = (s: string) => s.trim().toLowerCase() || undefined;
const asPort = (s: string) => (/^\d{1,5}$/.test(s.trim()) && Number(s) <= 65535 ? Number(s) : undefined);

function aclRule(o: Record<string, unknown>, at: SourceLoc): NanomqAclRule | undefined {
  const permit = typeof o.permit === 'string' ? o.permit.toLowerCase() : undefined;
  if (permit !== 'allow' && permit !== 'deny') return undefined;
  const s = (k: string) => (typeof o[k] === 'string' ? { [k]: o[k] as string } : {});
  const topics = Array.isArray(o.topics) ? o.topics.filter((t): t is string => typeof t === 'string') : [];
  return { ...at, permit, ...s('username'), ...s('clientid'), ...s('ipaddr'), action: typeof o.action === 'string' ? o.action : 'pubsub', topics };
}

function plainOf(n: HNode): unknown {
  if (n.t === 'obj') return Object.fromEntries([...n.fields].map(([k, v]) => [k, plainOf(v)]));
  if (n.t === 'arr') return n.items.map(plainOf);
  return n.t === 'val' ? n.value : undefined;
}

function usersFromObject(o: HObject, file: string, score: ScorePassword): NanomqPasswords {
  const users: NanomqUser[] = [];
  const issues: ConfigIssue[] = [];
  for (const [username, v] of o.fields) {
    const pw = str(v);
    if (pw === undefined) {
      issues.push({ ...v.loc, message: `"${username}" is not a "user": "password" pair: NanoMQ ignores it` });
      continue;
    }
    users.push({ ...v.loc, username, strength: score(pw), wellKnown: pw === SHIPPED_PASSWORD || pw === username });
  }
  return { file, users, issues };
}

function rulesFromArray(n: HNode | undefined, file: string): NanomqAcl {
  const rules: NanomqAclRule[] = [];
  const issues: ConfigIssue[] = [];
  for (const item of n?.t === 'arr' ? n.items : []) {
    const r = item.t === 'obj' ? aclRule(plainOf(item) as Record<string, unknown>, item.loc) : undefined;
    if (r) rules.push(r);
    else issues.push({ ...item.loc, message: 'ACL rule without "permit": "allow" or "deny": NanoMQ ignores it' });
  }
  return { file, rules, issues };
}

/** Key=value lines of the legacy format, with their places (the last of a repeated key wins). */
function legacyLines(text: string, file: string): { map: Map<string, { value: string; loc: SourceLoc }>; issues: ConfigIssue[] } {
  const map = new Map<string, { value: string; loc: SourceLoc }>();
  const issues: ConfigIssue[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq < 0) {
      issues.push({ file, line: i + 1, column: line.length - line.trimStart().length + 1, message: 'expected key=value: NanoMQ ignores this line' });
      return;
    }
    const value = line.slice(eq + 1).trim();
    map.set(line.slice(0, eq).trim(), { value, loc: { file, line: i + 1, column: eq + 2 + (line.slice(eq + 1).length - line.slice(eq + 1).trimStart().length) } });
  });
  return { map, issues };
}

function legacyUsers(map: Map<string, { value: string; loc: SourceLoc }>, file: string, score: ScorePassword): NanomqPasswords | undefined {
  const users: NanomqUser[] = [];
  const issues: ConfigIssue[] = [];
  for (const [k, v] of map) {
    const m = /^auth\.(\d+)\.login$/.exec(k);
    if (!m) continue;
    const pw = map.get(`auth.${m[1]}.password`);
    if (!pw) {
      issues.push({ ...v.loc, message: `auth.${m[1]}.login has no auth.${m[1]}.password` });
      continue;
    }
    users.push({ ...pw.loc, username: v.value, strength: score(pw.value), wellKnown: pw.value === SHIPPED_PASSWORD || pw.value === v.value });
  }
  return users.length || issues.length ? { file, users, issues } : undefined;
}

function legacyRules(map: Map<string, { value: string; loc: SourceLoc }>, file: string): NanomqAcl | undefined {
  const rules: NanomqAclRule[] = [];
  const issues: ConfigIssue[] = [];
  const keys = [...map.keys()].filter((k) => /^acl\.rule\.\d+$/.test(k)).sort((a, b) => Number(a.split('.')[2]) - Number(b.split('.')[2]));
  for (const k of keys) {
    const { value, loc } = map.get(k)!;
    let o: unknown;
    try {
      o = JSON.parse(value);
    } catch {
      o = undefined;
    }
    const r = o && typeof o === 'object' ? aclRule(o as Record<string, unknown>, loc) : undefined;
    if (r) rules.push(r);
    else issues.push({ ...loc, message: `${k} is not a JSON rule with "permit": NanoMQ ignores it` });
  }
  return keys.length ? { file, rules, issues } : undefined;
}

function parseLegacy(text: string, file: string, score: ScorePassword): NanomqConfig {
  const { map, issues } = legacyLines(text, file);
  const top = { file, line: 1, column: 1 };
  const get = (k: string) => map.get(k);
  const val = <T>(k: string, dflt: T, conv: (s: string) => T | undefined): NanomqSetting<T> => {
    const e = get(k);
    const v = e ? conv(e.value) : undefined;
    if (e && v === undefined) issues.push({ ...e.loc, message: `${k} = ${e.value} is not a valid value: the default (${String(dflt)}) applies` });
    return v === undefined ? { value: dflt, set: false, key: k, at: e?.loc ?? top } : { value: v, set: true, key: k, at: e!.loc };
  };
  const listeners: NanomqListener[] = [];
  const listen = (kind: NanomqListenerKind, urlKey: string, enabled: boolean, dfltUrl: string) => {
    if (!enabled) return;
    const e = get(urlKey);
    const u = parseNanomqUrl(e?.value ?? dfltUrl);
    if (!u) {
      issues.push({ ...(e?.loc ?? top), message: `${urlKey} = ${e?.value ?? ''} is not a host:port URL` });
      return;
    }
    listeners.push({ kind, ...u, tls: kind === 'ssl' || kind === 'wss', set: Boolean(e), at: e?.loc ?? top });
  };
  listen('tcp', 'url', true, 'nmq-tcp://0.0.0.0:1883');
  listen('ssl', 'tls.url', val('tls.enable', false, asBool).value, 'tls+nmq-tcp://0.0.0.0:8883');
  const ws = val('websocket.enable', true, asBool).value;
  listen('ws', 'websocket.url', ws, 'nmq-ws://0.0.0.0:8083/mqtt');
  if (ws && get('websocket.tls_url') && val('tls.enable', false, asBool).value) listen('wss', 'websocket.tls_url', true, '');
  const http = val('http_server.enable', false, asBool);
  const httpServer: NanomqHttpServer | undefined = http.value
    ? {
        host: { value: '0.0.0.0', set: false, key: 'http_server', at: http.at },
        port: val('http_server.port', 8081, asPort),
        username: val('http_server.username', 'admin', (s) => s),
        password: passwordOf(get('http_server.password'), http.at, score),
        authType: val('http_server.auth_type', 'basic', asWord),
        at: http.at,
      }
    : undefined;
  const passwords = legacyUsers(map, file, score);
  const acl = legacyRules(map, file);
  return {
    file,
    syntax: 'legacy',
    allowAnonymous: val('allow_anonymous', true, asBool),
    noMatch: val('acl_nomatch', 'allow', asWord),
    denyAction: val('acl_deny_action', 'ignore', asWord),
    listeners,
    ...(httpServer ? { httpServer } : {}),
    ...(passwords ? { passwords } : {}),
    ...(acl ? { acl } : {}),
    includes: [],
    issues,
  };
}

function passwordOf(e: { value: string; loc: SourceLoc } | undefined, fallback: SourceLoc, score: ScorePassword): NanomqHttpServer['password'] {
  if (!e) return { set: false, shipped: true, at: fallback };
  return { set: true, shipped: e.value === SHIPPED_PASSWORD, strength: score(e.value), at: e.loc };
}

export interface ParseNanomqOptions {
  io: ConfigIO;
  score: ScorePassword;
  /** Read an included file that is missing at its path from the config's directory (lint of a checkout). */
  besideConfig?: boolean;
}

/** Parse a nanomq.conf (HOCON or legacy). Never throws for bad content; includes are read through `io`. */
export function parseNanomqConfig(text: string, file: string, opts: ParseNanomqOptions): NanomqConfig {
  if (looksLikeNanomqLegacy(text)) return parseLegacy(text, file, opts.score);
  const includes: NanomqConfig['includes'] = [];
  // Where each `include "…"` is written, to name a missing one (HOCON ignores a missing include silently).
  const refs = new Map<string, SourceLoc>();
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\binclude\s+(?:required\(\s*)?(?:file\(\s*)?"([^"]+)"/g)) refs.set(m[1]!, { file, line: i + 1, column: m.index + 1 });
  });
  const io: ConfigIO = {
    ...opts.io,
    readFile(p, kind) {
      const ref = [...refs].find(([name]) => p === name || p.endsWith(`/${name}`))?.[1] ?? { file, line: 1, column: 1 };
      try {
        const t = opts.io.readFile(p, kind);
        includes.push({ path: p, ref });
        return t;
      } catch (e) {
        const alt = join(dirname(file), basename(p));
        if (opts.besideConfig && isMissing(e) && alt !== p) {
          try {
            const t = opts.io.readFile(alt, kind);
            includes.push({ path: p, ref, readPath: alt });
            return t;
          } catch {
            // fall through: report the path as written
          }
        }
        includes.push({ path: p, ref, error: errCode(e) });
        throw e;
      }
    },
  };
  const { root, issues } = parseHocon(text, file, { io, dialect: 'nanomq' });
  // Places in an included file read beside the config name the file read, not the path written.
  const moved = new Map(includes.filter((i) => i.readPath).map((i) => [i.path, i.readPath!]));
  if (moved.size) {
    const relabel = (n: HNode) => {
      const f = moved.get(n.loc.file);
      if (f) n.loc = { ...n.loc, file: f };
      if (n.t === 'obj') n.fields.forEach(relabel);
      else if (n.t === 'arr') n.items.forEach(relabel);
    };
    relabel(root);
    for (const i of issues) i.file = moved.get(i.file) ?? i.file;
  }
  const top = root.loc;
  const auth = hoconGet(root, 'auth');
  const authLoc = auth?.loc ?? top;
  const listeners: NanomqListener[] = [];
  const ls = root.fields.get('listeners');
  if (!ls) listeners.push({ kind: 'tcp', host: '0.0.0.0', port: 1883, tls: false, set: false, at: top });
  else if (ls.t === 'obj') {
    for (const kind of ['tcp', 'ssl', 'ws', 'wss'] as const) {
      const block = ls.fields.get(kind);
      if (block?.t !== 'obj') continue;
      // `listeners.tcp { bind }`, and since 0.23 more of a type as `listeners.tcp.<name> { bind }`.
      const named = [...block.fields].filter((e): e is [string, HObject] => e[1].t === 'obj' && e[1].fields.has('bind'));
      const blocks: [string, HObject][] = [...(named.length && !block.fields.has('bind') ? [] : [[`listeners.${kind}`, block] as [string, HObject]]), ...named.map(([n, o]) => [`listeners.${kind}.${n}`, o] as [string, HObject])];
      for (const [name, l] of blocks) {
        if (str(l.fields.get('enable')) === 'false') continue;
        const bind = l.fields.get('bind');
        const u = str(bind) !== undefined ? parseNanomqUrl(str(bind)!) : { host: '0.0.0.0', port: DEFAULT_PORTS[kind], ...(kind === 'ws' || kind === 'wss' ? { path: '/mqtt' } : {}) };
        if (!u) {
          issues.push({ ...(bind?.loc ?? l.loc), message: `${name}.bind = ${str(bind)} is not host:port` });
          continue;
        }
        listeners.push({ kind, ...u, tls: kind === 'ssl' || kind === 'wss', set: Boolean(bind), at: bind?.loc ?? l.loc });
      }
    }
  }
  const hs = root.fields.get('http_server');
  let httpServer: NanomqHttpServer | undefined;
  if (hs?.t === 'obj' && str(hs.fields.get('enable')) !== 'false') {
    const f = (k: string) => hs.fields.get(k);
    const pw = f('password');
    httpServer = {
      host: setting(f('ip_addr'), 'http_server.ip_addr', '0.0.0.0', hs.loc, (s) => s),
      port: setting(f('port'), 'http_server.port', 8081, hs.loc, asPort),
      username: setting(f('username'), 'http_server.username', 'admin', hs.loc, (s) => s),
      password: passwordOf(str(pw) !== undefined ? { value: str(pw)!, loc: pw!.loc } : undefined, hs.loc, opts.score),
      authType: setting(f('auth_type'), 'http_server.auth_type', 'basic', hs.loc, asWord),
      at: hs.loc,
    };
  }
  const pwNode = auth?.t === 'obj' ? auth.fields.get('password') : undefined;
  const passwords = pwNode?.t === 'obj' ? usersFromObject(pwNode, [...pwNode.fields.values()][0]?.loc.file ?? file, opts.score) : undefined;
  const aclNode = auth?.t === 'obj' ? auth.fields.get('acl') : undefined;
  const rulesNode = aclNode?.t === 'obj' ? aclNode.fields.get('rules') : undefined;
  const acl = rulesNode ? rulesFromArray(rulesNode, rulesNode.loc.file) : undefined;
  const a = (k: string) => (auth?.t === 'obj' ? auth.fields.get(k) : undefined);
  return {
    file,
    syntax: 'hocon',
    allowAnonymous: setting(a('allow_anonymous'), 'auth.allow_anonymous', true, authLoc, asBool),
    noMatch: setting(a('no_match'), 'auth.no_match', 'allow', authLoc, asWord),
    denyAction: setting(a('deny_action'), 'auth.deny_action', 'ignore', authLoc, asWord),
    listeners,
    ...(httpServer ? { httpServer } : {}),
    ...(passwords ? { passwords } : {}),
    ...(acl ? { acl } : {}),
    includes,
    issues,
  };
}

/** A password file on its own: HOCON `"user": "password"` pairs, or legacy `auth.N.login`/`auth.N.password` lines. */
export function parseNanomqPasswd(text: string, file: string, score: ScorePassword): NanomqPasswords {
  if (/^\s*auth\.\d+\.login\s*=/m.test(text)) {
    const { map, issues } = legacyLines(text, file);
    const r = legacyUsers(map, file, score) ?? { file, users: [], issues: [] };
    return { ...r, issues: [...issues, ...r.issues] };
  }
  const { root, issues } = parseHocon(text, file, { resolve: true, dialect: 'nanomq', io: { readFile: () => { throw Object.assign(new Error('no includes in a password file'), { code: 'ENOENT' }); }, listDir: () => [] } });
  const r = usersFromObject(root, file, score);
  return { ...r, issues: [...issues, ...r.issues] };
}

/** An ACL file on its own: HOCON `rules = [...]`, or legacy `acl.rule.N={...}` lines. */
export function parseNanomqAcl(text: string, file: string): NanomqAcl {
  if (/^\s*acl\.rule\.\d+\s*=/m.test(text)) {
    const { map, issues } = legacyLines(text, file);
    const r = legacyRules(map, file) ?? { file, rules: [], issues: [] };
    return { ...r, issues: [...issues, ...r.issues] };
  }
  const { root, issues } = parseHocon(text, file, { dialect: 'nanomq', io: { readFile: () => { throw Object.assign(new Error('no includes in an ACL file'), { code: 'ENOENT' }); }, listDir: () => [] } });
  const rules = root.fields.get('rules');
  if (!rules) return { file, rules: [], issues: [...issues, { file, line: 1, column: 1, message: 'no "rules" array: no ACL rule is defined' }] };
  const r = rulesFromArray(rules, file);
  return { ...r, issues: [...issues, ...r.issues] };
}

/** A rule that allows everything to everyone (no user, client or address, no topics): no_match = allow in effect. */
export function isCatchAllAllow(r: NanomqAclRule): boolean {
  return r.permit === 'allow' && (r.username === undefined || r.username === '#') && r.clientid === undefined && r.ipaddr === undefined && (!r.topics.length || r.topics.includes('#'));
}

/** A bind address reachable from the network. */
export function nanomqPublicHost(host: string): boolean {
  return !/^(127\.|::1$|localhost$|::ffff:127\.)/.test(host);
}
