/** Helpers shared by the config checks (pure: facts in, verdicts out). */
import type { FileLocation, Verdict } from '../core/types.js';
import type { SourceLoc } from '../config/io.js';
import { flag, type Directive, type MosquittoConfig, type MosquittoListener } from '../config/mosquitto.js';
import { emqxGet, emqxVersionText, emqxWhere, type EmqxBind, type EmqxConfigData, type EmqxValue } from '../config/emqx.js';
import type { ConfigEmqxFact } from '../config/bundle.js';

export const at = (l: SourceLoc): FileLocation => ({ file: l.file, line: l.line, column: l.column });

/** Loopback-only addresses (and the loopback interface). */
export function isLoopbackAddress(a: string | undefined): boolean {
  if (!a) return false;
  return /^127\./.test(a) || a === '::1' || a === 'localhost' || a === '[::1]' || a === '::ffff:127.0.0.1';
}

/** A Mosquitto listener reachable from the network (not bound to loopback). */
export function mosquittoNetworkListener(l: MosquittoListener): boolean {
  if (l.bindInterface) return l.bindInterface !== 'lo';
  return !isLoopbackAddress(l.bind);
}

export function mosquittoListenerName(l: MosquittoListener): string {
  const where = l.bindInterface ? `interface ${l.bindInterface}` : (l.bind ?? 'all interfaces');
  const what = `${l.protocol === 'websockets' ? 'websockets ' : ''}${l.tls ? 'TLS ' : ''}listener ${l.port} (${where})`;
  if (l.kind === 'implicit-local') return `implicit loopback listener ${l.port} (no listener configured: Mosquitto 2.0 local-only mode)`;
  if (l.kind === 'default') return `default ${what}`;
  return what;
}

/** Where a finding about a listener points: the directive that decides it, else the listener. */
export function listenerLoc(l: MosquittoListener, d?: Directive): FileLocation {
  return at(d ?? l.location);
}

/** The listener's ways to authenticate a client (password file, plugin, PSK, certificate identity). */
export function mosquittoAuthSources(l: MosquittoListener): string[] {
  const s = l.settings;
  const out: string[] = [];
  if (s.password_file) out.push('password_file');
  const authn = l.plugins.filter((p) => p.authenticates);
  if (authn.length) out.push(authn.some((p) => p.kind === 'dynamic-security') ? 'dynamic security plugin' : 'plugin');
  if (s.psk_file && l.settings.psk_hint) out.push('psk_file');
  if (flag(s.require_certificate) && (flag(s.use_identity_as_username) || flag(s.use_subject_as_username))) out.push('client certificates');
  return out;
}

/** The listener's topic access control: an acl_file, or a plugin that authorizes (dynamic security, the ACL-file plugin, any other plugin). */
export function mosquittoAuthorizes(l: MosquittoListener): string | undefined {
  if (l.settings.acl_file) return 'acl_file';
  const p = l.plugins.find((x) => x.authorizes);
  return p ? (p.kind === 'dynamic-security' ? 'dynamic security plugin' : 'plugin') : undefined;
}

/** Every listener of every Mosquitto config, or a SKIP when only side files were given. */
export function mosquittoListeners(configs: readonly MosquittoConfig[]): { cfg: MosquittoConfig; l: MosquittoListener }[] {
  return configs.flatMap((cfg) => cfg.listeners.map((l) => ({ cfg, l })));
}

/** The listeners that speak MQTT (plain or over websockets): not the 2.1 HTTP API (`protocol http_api`, SVC-034). */
export function mosquittoMqttListeners(configs: readonly MosquittoConfig[]): { cfg: MosquittoConfig; l: MosquittoListener }[] {
  return mosquittoListeners(configs).filter(({ l }) => l.protocol !== 'http_api');
}

export const NO_MOSQUITTO_CONFIG: Verdict = { status: 'SKIP', message: 'no mosquitto.conf among the inputs (only ACL, password or PSK files)' };
export const NO_EMQX_CONFIG: Verdict = { status: 'SKIP', message: 'no EMQX config among the inputs (only acl.conf files)' };

/** A list of verdicts, or one PASS when nothing failed. */
export function failuresOr(fails: Verdict[], pass: string, evidence?: Record<string, unknown>): Verdict[] {
  return fails.length ? fails : [{ status: 'PASS', message: pass, ...(evidence ? { evidence } : {}) }];
}

/** An EMQX value with the place a finding should point at, and how to describe where it came from (defaults name the version assumed). */
export function emqx(cfg: EmqxConfigData, path: string): { v: EmqxValue | undefined; loc: FileLocation; origin: string } {
  const v = emqxGet(cfg, path);
  const origin = !v ? 'unset' : v.default ? `EMQX default of ${emqxVersionText(cfg.version, false)}` : v.env ? `set by ${v.env}` : 'set';
  return { v, loc: at(emqxWhere(cfg, v)), origin };
}

/** The config runs under the hardened security profile (EMQX 6.3+). */
export const emqxHardened = (cfg: EmqxConfigData) => cfg.profile.name === 'hardened';

/** "the hardened security profile (EMQX_SECURITY_PROFILE at emqx.env:3)" */
export function emqxProfileText(cfg: EmqxConfigData): string {
  const p = cfg.profile;
  return `the ${p.name} security profile${p.location ? ` (EMQX_SECURITY_PROFILE at ${p.location.file}:${p.location.line})` : ''}`;
}

/** "127.0.0.1:1883 (loopback by the hardened security profile)", "all interfaces:1883" */
export function emqxBindText(b: EmqxBind): string {
  return `${b.address ?? 'all interfaces'}:${b.port}${b.via ? ` (address from ${b.via})` : ''}`;
}

/**
 * A SKIP for a config one of whose files did not parse (or could not be read): judged with the
 * defaults, every setting of that file would look unset. CFG-052 reports the error itself.
 */
export function emqxUnjudged(cfg: EmqxConfigData): Verdict | undefined {
  const f = cfg.parseFailures[0];
  if (!f) return undefined;
  const more = cfg.parseFailures.length > 1 ? ` (and ${cfg.parseFailures.length - 1} more)` : '';
  return { status: 'SKIP', message: `not judged: ${f.file} did not parse (${f.file}:${f.line}: ${f.message})${more}; fix it first (CFG-052)`, location: at(f) };
}

/**
 * The frame of a check over EMQX configs: SKIP without one, SKIP for configs that did not
 * parse, the failures of the others, else one PASS.
 */
export function judgeEmqx(e: ConfigEmqxFact, each: (cfg: EmqxConfigData) => Verdict[], pass: string, evidence?: Record<string, unknown>): Verdict | Verdict[] {
  if (!e.configs.length) return NO_EMQX_CONFIG;
  const fails: Verdict[] = [];
  const skips: Verdict[] = [];
  let judged = 0;
  for (const cfg of e.configs) {
    const skip = emqxUnjudged(cfg);
    if (skip) {
      skips.push(skip);
      continue;
    }
    judged++;
    fails.push(...each(cfg));
  }
  if (fails.length) return [...fails, ...skips];
  return judged ? [{ status: 'PASS', message: pass, ...(evidence ? { evidence } : {}) }, ...skips] : skips;
}

export function emqxName(cfg: EmqxConfigData): string {
  return cfg.files.length ? cfg.files[cfg.files.length - 1]! : cfg.anchor.file;
}

/** Non-loopback bind (no address = all interfaces). */
export function emqxPublicBind(address: string | undefined): boolean {
  return !isLoopbackAddress(address);
}

/** TLS versions in their order, for minimum comparisons. */
export const TLS_ORDER = ['sslv3', 'tlsv1', 'tlsv1.1', 'tlsv1.2', 'tlsv1.3'];

/**
 * Listeners of the given types with `ssl_options.verify = verify_none` that nothing else protects: the
 * certificate is the identity (`peer_cert_as_username/clientid`) or no authenticator (outside the hardened
 * profile, whose empty chain denies every client) or `enable_authn = false` admits clients otherwise.
 * Shared by TLS-041 (ssl, wss) and TLS-045 (quic).
 */
export function emqxUnverifiedListeners(cfg: EmqxConfigData, types: readonly string[]): { l: EmqxConfigData['listeners'][number]; v: EmqxValue; why: string[]; certIdentity: boolean }[] {
  const certIdentity = ['mqtt.peer_cert_as_username', 'mqtt.peer_cert_as_clientid'].filter((p) => {
    const v = emqxGet(cfg, p)?.value;
    return v !== undefined && v !== 'disabled';
  });
  const authn = emqxGet(cfg, 'authentication')?.value;
  const list = Array.isArray(authn) ? authn : authn && typeof authn === 'object' ? [authn] : [];
  const noAuthn = !list.some((a) => (a as { enable?: unknown })?.enable !== false) && !emqxHardened(cfg);
  const out: ReturnType<typeof emqxUnverifiedListeners> = [];
  for (const l of cfg.listeners) {
    if (!l.enabled || !types.includes(l.type)) continue;
    const v = emqxGet(cfg, `${l.path}.ssl_options.verify`);
    if (v?.value !== 'verify_none') continue;
    const why = [...certIdentity.map((p) => `${p} is set`), ...(noAuthn || l.settings.enable_authn === false ? ['clients are not otherwise authenticated'] : [])];
    if (why.length) out.push({ l, v, why, certIdentity: certIdentity.length > 0 });
  }
  return out;
}

/**
 * The answer of a check over side files (ACL, PSK, acl.conf) when it found nothing wanting but some file could
 * not be read: the unread entries were not judged, so no PASS (CFG-033 / CFG-052 report the file itself).
 * Undefined when every file was read.
 */
export function unreadFilesSkip(files: readonly { path: string; parsed?: unknown; error?: string }[], what: string, judged: string, entries = 'rules'): Verdict | undefined {
  const unread = files.filter((f) => !f.parsed).map((f) => `${f.path} (${f.error ?? 'not parsed'})`);
  if (!unread.length) return undefined;
  const read = files.length - unread.length;
  return { status: 'SKIP', message: `${what} not readable: ${unread.join(', ')}${read ? `; the ${read} other file(s) ${judged}, but the unread ${entries} were not checked` : ''}`, evidence: { unread } };
}

/**
 * As `unreadFilesSkip` for EMQX acl.conf files, where a syntax error also stops a file short: the rules
 * after it were not parsed, so they were not judged either (CFG-052 reports the error itself).
 */
export function unreadEmqxAclSkip(files: ConfigEmqxFact['aclFiles'], judged: string): Verdict | undefined {
  const unread = files.filter((f) => !f.parsed).map((f) => `${f.path} (${f.error ?? 'not parsed'}) was not read`);
  const partial = files.flatMap((f) => (f.parsed?.issues.length ? [`${f.parsed.file}:${f.parsed.issues[0]!.line} (${f.parsed.issues[0]!.message}; rules it could not parse were not judged)`] : []));
  if (!unread.length && !partial.length) return undefined;
  return { status: 'SKIP', message: `the rules read ${judged}, but ${[...unread, ...partial].join('; ')}`, evidence: { unread, partial } };
}

/** `10m`, `30s`, `1h`, `500ms`, a number of milliseconds → seconds; undefined when unreadable. */
export function emqxSeconds(v: unknown): number | undefined {
  if (typeof v === 'number') return v / 1000;
  if (typeof v !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(v);
  if (!m) return undefined;
  const unit = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400 }[(m[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}

/** 300 → "5 minutes", 90 → "90 seconds", 86400 → "1 day". */
export function durationText(secs: number): string {
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [n, name] of units) if (secs % n === 0 && secs >= n) return `${secs / n} ${name}${secs / n === 1 ? '' : 's'}`;
  return `${secs} second${secs === 1 ? '' : 's'}`;
}
