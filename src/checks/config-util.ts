/** Helpers shared by the config checks (pure: facts in, verdicts out). */
import type { FileLocation, Verdict } from '../core/types.js';
import type { SourceLoc } from '../config/io.js';
import { flag, type Directive, type MosquittoConfig, type MosquittoListener } from '../config/mosquitto.js';
import { emqxGet, emqxWhere, type EmqxConfigData, type EmqxValue } from '../config/emqx.js';

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

/** An EMQX value with the place a finding should point at, and how to describe where it came from. */
export function emqx(cfg: EmqxConfigData, path: string): { v: EmqxValue | undefined; loc: FileLocation; origin: string } {
  const v = emqxGet(cfg, path);
  const origin = !v ? 'unset' : v.default ? 'EMQX default' : v.env ? `set by ${v.env}` : 'set';
  return { v, loc: at(emqxWhere(cfg, v)), origin };
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
