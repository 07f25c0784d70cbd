/**
 * Config collector: finds and loads Mosquitto and EMQX configs (and the ACL,
 * password and PSK files they reference) into the `config.*` facts. Used by
 * `lint` (files given on the command line) and by `audit` (configs found under
 * the audited root). Reads files only; never throws for bad content.
 */
import { basename, dirname, join } from 'node:path';
import type { Fact } from '../core/types.js';
import type { FactMap } from '../core/facts.js';
import { errCode, fsIO, type ConfigIO, type SourceLoc } from '../config/io.js';
import { parseMosquittoAcl, parseMosquittoConfig, parseMosquittoPasswd, parseMosquittoPsk, type AclFile, type MosquittoConfig, type PasswordFile, type PskFile } from '../config/mosquitto.js';
import { loadEmqxConfig, type EmqxConfigData } from '../config/emqx.js';
import { parseEmqxAcl, type EmqxAcl } from '../config/emqx-acl.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import { looksLikeEmqxBootstrap, parseEmqxBootstrap, type EmqxBootstrap } from '../config/emqx-bootstrap.js';
import { checkPassword } from '../credentials/strength.js';
import { hoconGet } from '../config/hocon.js';
import { emqxLayerFiles, HOST_CONFIG_PATHS } from '../config/locations.js';
import type { ConfigEmqxFact, ConfigMosquittoFact, ConfigPasswordsFact, ReferencedFile } from '../config/bundle.js';

import type { ConfigFormat } from './config-formats.js';

export { CONFIG_FORMATS, type ConfigFormat } from './config-formats.js';

const MOSQUITTO_HINT = /^\s*(listener|allow_anonymous|password_file|acl_file|per_listener_settings|include_dir|persistence|log_dest|log_type|connection_messages|max_packet_size|psk_file|certfile|bind_address|port|user|pid_file|sys_interval|plugin)(\s|$)/m;

/** A HOCON field line: `key = …`, `key += …`, `a.b {`, `"key": …`. */
const HOCON_FIELD = /^\s*("[^"\n]*"|[A-Za-z_][\w.-]*)\s*(=|\+=|\{|:\s)/m;

/** Magic numbers of files that are never configs, as they read in UTF-8 text (invalid bytes become U+FFFD). */
/* eslint-disable no-control-regex -- magic numbers are control bytes */
const MAGIC: readonly [RegExp, string][] = [
  [/^\x7fELF/, 'binary file: ELF executable or library'],
  [/^\x1f\ufffd/, 'binary file: gzip-compressed file'],
  [/^BZh\d/, 'binary file: bzip2-compressed file'],
  [/^\ufffd7zXZ/, 'binary file: xz-compressed file'],
  [/^PK\x03\x04/, 'binary file: zip archive'],
  [/^%PDF-/, 'binary file: PDF document'],
  [/^\ufffdPNG\r\n/, 'binary file: PNG image'],
  [/^SQLite format 3\0/, 'binary file: SQLite database'],
  [/^MZ/, 'binary file: Windows executable'],
  [/^#!/, 'a script: it starts with #!'],
];
/* eslint-enable no-control-regex */

/** Bytes of text looked at to tell a binary file. */
const SNIFF_CHARS = 64 * 1024;

/**
 * Why a file's content is not a config at all, or undefined when it may be one: a known magic number, a NUL
 * byte, or mostly characters that text does not hold (control characters, invalid UTF-8). Such a file is
 * refused, not judged: parsed as a config it would give findings about nothing.
 */
export function notConfigReason(text: string): string | undefined {
  for (const [re, what] of MAGIC) if (re.test(text)) return what;
  const head = text.slice(0, SNIFF_CHARS);
  if (head.includes('\0')) return 'binary file';
  // eslint-disable-next-line no-control-regex
  const odd = head.match(/[\x00-\x08\x0e-\x1f\x7f\ufffd]/g)?.length ?? 0;
  if (head.length && odd / head.length > 0.1) return 'binary file';
  return undefined;
}

/** Top-level keys of EMQX 5 configs: content-based EMQX detection needs one of them (a `key = value` file is not enough). */
const EMQX_ROOT_KEYS = new Set(
  (
    'node cluster rpc log listeners dashboard authentication authorization mqtt flapping_detect force_shutdown force_gc sys_topics ' +
    'retainer bridges connectors actions sources rule_engine gateway exhook prometheus api_key durable_sessions session_persistence ' +
    'broker zones limiter overload_protection conn_congestion stats alarm sysmon trace psk_authentication delayed topic_metrics ' +
    'slow_subs auto_subscribe plugins license telemetry file_transfer schema_registry message_transformation schema_validation ' +
    'opentelemetry cluster_link banned_clients mqtt_sn multi_tenancy include emqx'
  ).split(' '),
);

/** Whether a HOCON-looking text has at least one EMQX top-level key (or an include). */
function hasEmqxKey(text: string): boolean {
  for (const m of text.matchAll(/^\s*"?([A-Za-z_][\w-]*)/gm)) if (EMQX_ROOT_KEYS.has(m[1]!)) return true;
  return false;
}

/** Guess a file's format from its name and content; undefined for content that is not a config (see notConfigReason). */
export function detectFormat(path: string, text: string): ConfigFormat | undefined {
  if (notConfigReason(text)) return undefined;
  const name = basename(path).toLowerCase();
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('%'));
  if (/^\s*\{\s*(allow|deny)\s*,/m.test(text) && !HOCON_FIELD.test(text.replace(/^\s*%.*$/gm, ''))) return 'emqx-acl';
  if (name.endsWith('.hocon')) return 'emqx';
  if (looksLikeEmqxBootstrap(text)) return 'emqx-bootstrap';
  if (lines.length && lines.every((l) => /^[^:\s]+:\$(6|7|argon2id)\$/.test(l))) return 'mosquitto-passwd';
  if (lines.length && lines.every((l) => /^(topic|pattern|user)(\s|$)/.test(l))) return 'mosquitto-acl';
  if (lines.length && lines.every((l) => /^[^:\s]+:[0-9a-fA-F]+$/.test(l))) return 'mosquitto-psk';
  // `key = value`, `key {`, `key: value` never occur in mosquitto.conf (`key value`).
  if (HOCON_FIELD.test(text) && hasEmqxKey(text)) return 'emqx';
  if (MOSQUITTO_HINT.test(text) || name.includes('mosquitto')) return 'mosquitto';
  if (name === 'emqx.conf' || name === 'acl.conf') return name === 'acl.conf' ? 'emqx-acl' : 'emqx';
  if (!lines.length && name.endsWith('.conf')) return name.includes('emqx') ? 'emqx' : 'mosquitto';
  return undefined;
}

export interface ConfigInput {
  path: string;
  format: ConfigFormat;
}

export interface LoadConfigOptions {
  io?: ConfigIO;
  /** EMQX_* overrides and substitution variables for the EMQX configs. */
  env?: Record<string, string>;
  envLocations?: Record<string, SourceLoc>;
  policy?: Policy;
  /**
   * Look for referenced files next to the config when their path does not exist
   * (lint of a repository whose configs name /etc/... paths).
   */
  besideConfig?: boolean;
  /**
   * Record permission bits of password files (host audits). Off for lint: the mode
   * of a checked-out file says nothing about the deployed one.
   */
  fileModes?: boolean;
}

function readReferenced<T>(io: ConfigIO, path: string, ref: SourceLoc, parse: (text: string, file: string) => T, beside: boolean, modes = false): ReferencedFile<T> {
  const tryRead = (p: string): { text: string; p: string } | { error: string } => {
    try {
      return { text: io.readFile(p), p };
    } catch (e) {
      return { error: errCode(e) };
    }
  };
  let r = tryRead(path);
  if ('error' in r && beside) {
    const alt = join(dirname(ref.file), basename(path));
    if (alt !== path) {
      const r2 = tryRead(alt);
      if (!('error' in r2)) r = r2;
    }
  }
  if ('error' in r) return { path, ref, error: r.error };
  let st: { mode: number; uid: number } | undefined;
  try {
    st = modes ? io.stat?.(r.p) : undefined;
  } catch {
    st = undefined;
  }
  return { path, ref, ...(r.p !== path ? { readPath: r.p } : {}), parsed: parse(r.text, r.p), ...(st ? { mode: st.mode, uid: st.uid } : {}) };
}

/**
 * Layer rank of an EMQX file in its directory: base.hocon first, then other files
 * (snippets, alphabetically), cluster.hocon, and emqx.conf last (highest precedence).
 */
function layerRank(path: string): number {
  const n = basename(path);
  return n === 'base.hocon' ? 0 : n === 'cluster.hocon' ? 2 : n === 'emqx.conf' ? 3 : 1;
}

/** Load the given files into config facts (lint). Files that cannot be read become ERROR facts' reasons. */
export function loadConfigFacts(inputs: readonly ConfigInput[], opts: LoadConfigOptions = {}): { facts: FactMap; notes: string[] } {
  const io = opts.io ?? fsIO();
  const beside = opts.besideConfig ?? true;
  const notes: string[] = [];
  const mosquittoConfigs: MosquittoConfig[] = [];
  const aclFiles: ReferencedFile<AclFile>[] = [];
  const pskFiles: ReferencedFile<PskFile>[] = [];
  const passwordFiles: ReferencedFile<PasswordFile>[] = [];
  const emqxConfigs: EmqxConfigData[] = [];
  const emqxAcls: ReferencedFile<EmqxAcl>[] = [];
  const bootstrap: ReferencedFile<EmqxBootstrap>[] = [];
  const policy = opts.policy ?? DEFAULT_POLICY;
  const parseBootstrap = (text: string, file: string) => parseEmqxBootstrap(text, file, (pw) => checkPassword(pw, policy.passwords));
  const unreadable: string[] = [];
  // One entry per file, however many configs reference it.
  const add = <T>(list: ReferencedFile<T>[], f: ReferencedFile<T>) => {
    if (!list.some((x) => (x.readPath ?? x.path) === (f.readPath ?? f.path))) list.push(f);
  };
  const top = (p: string): SourceLoc => ({ file: p, line: 1, column: 1 });

  const emqxLayer: ConfigInput[] = [];
  for (const input of inputs) {
    const { path, format } = input;
    if (format === 'emqx') {
      emqxLayer.push(input);
      continue;
    }
    const parsers = {
      'mosquitto-acl': () => add(aclFiles, readReferenced(io, path, top(path), parseMosquittoAcl, false)),
      'mosquitto-passwd': () => add(passwordFiles, readReferenced(io, path, top(path), parseMosquittoPasswd, false, opts.fileModes)),
      'mosquitto-psk': () => add(pskFiles, readReferenced(io, path, top(path), parseMosquittoPsk, false)),
      'emqx-acl': () => add(emqxAcls, readReferenced(io, path, top(path), parseEmqxAcl, false)),
      'emqx-bootstrap': () => add(bootstrap, readReferenced(io, path, top(path), parseBootstrap, false, opts.fileModes)),
    } as const;
    if (format !== 'mosquitto') {
      parsers[format]();
      continue;
    }
    let text: string;
    try {
      text = io.readFile(path);
    } catch (e) {
      unreadable.push(`${path}: ${errCode(e)}`);
      continue;
    }
    const cfg = parseMosquittoConfig(text, path, io, { besideConfig: beside });
    mosquittoConfigs.push(cfg);
    const refs = new Map<string, { key: string; ref: SourceLoc }>();
    for (const d of cfg.directives) {
      if ((d.key === 'acl_file' || d.key === 'password_file' || d.key === 'psk_file') && d.value) refs.set(`${d.key}\0${d.value}`, { key: d.key, ref: { file: d.file, line: d.line, column: d.argColumns[0] ?? d.column } });
    }
    for (const [k, { key, ref }] of refs) {
      const p = k.split('\0')[1]!;
      if (key === 'acl_file') add(aclFiles, readReferenced(io, p, ref, parseMosquittoAcl, beside));
      else if (key === 'password_file') add(passwordFiles, readReferenced(io, p, ref, parseMosquittoPasswd, beside, opts.fileModes));
      else add(pskFiles, readReferenced(io, p, ref, parseMosquittoPsk, beside));
    }
  }
  // EMQX files of one directory are one node's config, layered; a cluster.hocon under
  // data/configs belongs to the etc/ directory given with it (host layout).
  const groups = new Map<string, string[]>();
  for (const { path } of emqxLayer) {
    const dir = basename(path) === 'cluster.hocon' && emqxLayer.some((i) => basename(i.path) === 'emqx.conf') ? dirname(emqxLayer.find((i) => basename(i.path) === 'emqx.conf')!.path) : dirname(path);
    groups.set(dir, [...(groups.get(dir) ?? []), path]);
  }
  for (const files of groups.values()) {
    files.sort((a, b) => layerRank(a) - layerRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    emqxConfigs.push(stripGet(loadEmqxConfig({ files, io, ...(opts.env ? { env: opts.env } : {}), ...(opts.envLocations ? { envLocations: opts.envLocations } : {}) })));
  }
  // acl.conf of enabled file authorization sources, bootstrap files of built-in databases.
  for (const cfg of emqxConfigs) {
    const etc = cfg.files.length ? dirname(cfg.files[cfg.files.length - 1]!) : '/etc/emqx';
    const authn = hoconGet(cfg.root, 'authentication');
    for (const a of authn?.t === 'arr' ? authn.items : []) {
      const f = a.t === 'obj' ? a.fields.get('bootstrap_file') : undefined;
      if (f?.t === 'val' && typeof f.value === 'string') add(bootstrap, readReferenced(io, f.value.replace('${EMQX_ETC_DIR}', etc), f.loc, parseBootstrap, beside, opts.fileModes));
    }
    for (const src of emqxFileSources(cfg)) {
      const p = src.path.replace('${EMQX_ETC_DIR}', cfg.files.length ? dirname(cfg.files[cfg.files.length - 1]!) : '/etc/emqx');
      const f = readReferenced(io, p, src.ref, parseEmqxAcl, beside);
      // The default source (etc/acl.conf) that is not there is no finding: only configured paths are.
      if (f.parsed || src.explicit) add(emqxAcls, f);
    }
  }

  // A product none of whose files was given or found: its checks do not apply (counted, not listed).
  const fact = <T>(value: T | undefined, none: string): Fact<T> => (value === undefined ? { state: 'skipped', reason: none, notApplicable: true } : { state: 'ok', value, ms: 0 });
  const mosquitto: ConfigMosquittoFact | undefined = mosquittoConfigs.length || aclFiles.length || pskFiles.length ? { configs: mosquittoConfigs, aclFiles, pskFiles } : undefined;
  const emqx: ConfigEmqxFact | undefined = emqxConfigs.length || emqxAcls.length ? { configs: emqxConfigs, aclFiles: emqxAcls } : undefined;
  const passwords: ConfigPasswordsFact | undefined = passwordFiles.length || bootstrap.length ? { mosquitto: passwordFiles, ...(bootstrap.length ? { emqxBootstrap: bootstrap } : {}) } : undefined;
  const facts: FactMap = {
    'config.mosquitto': unreadable.length && !mosquitto ? { state: 'error', error: `cannot read ${unreadable.join(', ')}`, ms: 0 } : fact(mosquitto, 'no Mosquitto configuration given or found'),
    'config.emqx': fact(emqx, 'no EMQX configuration given or found'),
    'config.passwords': fact(passwords, 'no password file given or referenced by a config'),
    policy: { state: 'ok', value: opts.policy ?? DEFAULT_POLICY, ms: 0 },
  };
  if (unreadable.length) notes.push(`Unreadable config files: ${unreadable.join(', ')}`);
  return { facts, notes };
}

function stripGet(c: EmqxConfigData & { get?: unknown }): EmqxConfigData {
  const { get: _get, ...data } = c;
  return data;
}

/** Enabled `type = file` authorization sources of an EMQX config, with the place that names them. */
export function emqxFileSources(cfg: EmqxConfigData): { path: string; ref: SourceLoc; explicit: boolean }[] {
  const sources = cfg.root.fields.get('authorization');
  const list = sources?.t === 'obj' ? sources.fields.get('sources') : undefined;
  if (!list || list.t !== 'arr') return [];
  const out: { path: string; ref: SourceLoc; explicit: boolean }[] = [];
  for (const s of list.items) {
    if (s.t !== 'obj') continue;
    const type = s.fields.get('type');
    const enable = s.fields.get('enable');
    const path = s.fields.get('path');
    if (type?.t !== 'val' || type.value !== 'file') continue;
    if (enable?.t === 'val' && enable.value === false) continue;
    const p = path?.t === 'val' && typeof path.value === 'string' ? path.value : '${EMQX_ETC_DIR}/acl.conf';
    const explicit = Boolean(path && !path.loc.file.startsWith('<'));
    out.push({ path: p, ref: explicit ? path!.loc : cfg.anchor, explicit });
  }
  return out;
}

/** Where configs live on a host (paths under the audited root). */

/**
 * Host audit: find the configs under `root` (plus the given files) and load them.
 * Paths in findings stay as on the host (/etc/...), reads go under the root.
 */
export async function collectConfigFacts(opts: { root: string; files?: string[]; env?: Record<string, string>; policy?: Policy }): Promise<FactMap> {
  const io = fsIO(opts.root);
  const exists = (p: string) => {
    try {
      io.readFile(p);
      return true;
    } catch {
      return false;
    }
  };
  const inputs: ConfigInput[] = [];
  for (const p of HOST_CONFIG_PATHS.mosquitto) if (exists(p)) inputs.push({ path: p, format: 'mosquitto' });
  for (const e of HOST_CONFIG_PATHS.emqx) {
    const files = emqxLayerFiles(e);
    if (!exists(files[files.length - 1]!)) continue;
    for (const p of files) if (exists(p)) inputs.push({ path: p, format: 'emqx' });
    break;
  }
  for (const f of opts.files ?? []) {
    let text = '';
    try {
      text = io.readFile(f);
    } catch {
      /* reported by the loader */
    }
    inputs.push({ path: f, format: detectFormat(f, text) ?? 'mosquitto' });
  }
  // cluster.hocon lives in the data dir; loadConfigFacts layers the three by file name.
  const { facts } = loadConfigFacts(inputs, { io, ...(opts.env ? { env: opts.env } : {}), ...(opts.policy ? { policy: opts.policy } : {}), besideConfig: false, fileModes: true });
  return facts;
}
