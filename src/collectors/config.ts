/**
 * Config collector: finds and loads Mosquitto and EMQX configs (and the ACL,
 * password and PSK files they reference) into the `config.*` facts. Used by
 * `lint` (files given on the command line) and by `audit` (configs found under
 * the audited root). Reads files only; never throws for bad content.
 */
import { basename, dirname, join } from 'node:path';
import type { Fact } from '../core/types.js';
import type { FactMap } from '../core/facts.js';
import { errCode, fsIO, type ConfigIO, type ConfigIssue, type SourceLoc } from '../config/io.js';
import { dynsecConfigFiles, parseMosquittoAcl, parseMosquittoConfig, parseMosquittoPasswd, parseMosquittoPsk, type AclFile, type MosquittoConfig, type MosquittoTarget, type PasswordFile, type PskFile } from '../config/mosquitto.js';
import { loadEmqxConfig, type EmqxConfigData } from '../config/emqx.js';
import { parseEmqxAcl, type EmqxAcl } from '../config/emqx-acl.js';
import { DEFAULT_POLICY, type Policy } from '../config/policy.js';
import { looksLikeEmqxBootstrap, parseEmqxBootstrap, type EmqxBootstrap } from '../config/emqx-bootstrap.js';
import { checkPassword } from '../credentials/strength.js';
import { hoconGet } from '../config/hocon.js';
import { emqxLayerFiles, emqxLocationOf, HOST_CONFIG_PATHS } from '../config/locations.js';
import type { ConfigEmqxFact, ConfigMosquittoFact, ConfigPasswordsFact, ReferencedFile } from '../config/bundle.js';
import { generatedPasswordUsers, looksLikeDynsec, parseDynsec, type ConfigDynsecFact, type DynsecConfig, type DynsecFile } from '../config/dynsec.js';
import {
  looksLikeNanomqAcl,
  looksLikeNanomqHocon,
  looksLikeNanomqLegacy,
  looksLikeNanomqPasswd,
  parseNanomqAcl,
  parseNanomqConfig,
  parseNanomqPasswd,
  type ConfigNanomqFact,
  type NanomqAcl,
  type NanomqConfig,
  type NanomqPasswords,
} from '../config/nanomq.js';
import { memoryIO } from '../config/io.js';
import { parseHocon } from '../config/hocon.js';

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

/**
 * NanoMQ's own files, told from EMQX's by their keys (NanoMQ's HOCON has `auth`, `http_server`,
 * `listeners.<type>.bind`; EMQX's has `node`, `dashboard`, `authentication`, `listeners.<type>.<name>`).
 */
function detectNanomq(name: string, text: string): ConfigFormat | undefined {
  if (looksLikeNanomqLegacy(text)) return 'nanomq';
  if (looksLikeNanomqAcl(text)) return 'nanomq-acl';
  if (looksLikeNanomqPasswd(text) && !hasEmqxKey(text)) return 'nanomq-passwd';
  if (/^nanomq.*\.conf$/.test(name)) return 'nanomq';
  if (!HOCON_FIELD.test(text)) return undefined;
  // Parsed without file access (an include is not read while detecting).
  const { root } = parseHocon(text.slice(0, 1024 * 1024), name, { io: memoryIO({}), resolve: false, dialect: 'nanomq' });
  return looksLikeNanomqHocon(root) ? 'nanomq' : undefined;
}

/** Guess a file's format from its name and content; undefined for content that is not a config (see notConfigReason). */
export function detectFormat(path: string, text: string): ConfigFormat | undefined {
  if (notConfigReason(text)) return undefined;
  const name = basename(path).toLowerCase();
  // The plain-text password list the dynamic-security plugin writes beside its config: judged with it, never on its own.
  if (name.endsWith('.json.pw')) return undefined;
  if (looksLikeDynsec(text)) return 'mosquitto-dynsec';
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#') && !l.startsWith('%'));
  if (/^\s*\{\s*(allow|deny)\s*,/m.test(text) && !HOCON_FIELD.test(text.replace(/^\s*%.*$/gm, ''))) return 'emqx-acl';
  // A .hocon file is an EMQX node config only with a node key: a plugin's priv/config.hocon is not.
  const nanomq = detectNanomq(name, text);
  if (name.endsWith('.hocon')) return hasEmqxKey(text) || !lines.length ? 'emqx' : nanomq;
  if (nanomq) return nanomq;
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
  /** The EMQX release to assume when the files do not reveal it (--emqx-version). */
  emqxVersion?: string;
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
  /** The Mosquitto version the configs are judged for (`lint --mosquitto-version`, the installed package in an audit). */
  mosquittoTarget?: MosquittoTarget;
}

/** ACL, password, PSK and bootstrap files: read with the credentials-file limit (src/io/read.ts). */
function readReferenced<T>(io: ConfigIO, path: string, ref: SourceLoc, parse: (text: string, file: string) => T, beside: boolean, modes = false): ReferencedFile<T> {
  const tryRead = (p: string): { text: string; p: string } | { error: string } => {
    try {
      return { text: io.readFile(p, 'credentials'), p };
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

/** A Mosquitto config read and parsed, or why its file could not be read. */
export interface ParsedMosquitto {
  /** Path as given or as on the host (/etc/...): findings name it. */
  path: string;
  config?: MosquittoConfig;
  /** Why the file itself could not be read (an errno code or the message). */
  error?: string;
}

/** One EMQX node's layered config and the directory ${EMQX_ETC_DIR} stands for there. */
export interface ParsedEmqx {
  /** The node's top file (emqx.conf, or the file given). */
  path: string;
  etcDir: string;
  config?: EmqxConfigData;
  /** Why the config could not be loaded at all (unreadable layers are issues of the config). */
  error?: string;
}

/** Configs parsed once, from which the config facts (and on a host the broker discovery) are built. */
export interface ParsedConfigs {
  /** In input order: parsed Mosquitto configs, and the single files of the other formats (ACL, password, PSK, bootstrap). */
  files: ({ mosquitto: ParsedMosquitto } | { input: ConfigInput })[];
  emqx: ParsedEmqx[];
}

/** Read and parse one mosquitto.conf (with its include_dir files). Never throws: a failure is `error`. */
export function parseMosquittoFile(io: ConfigIO, path: string, besideConfig: boolean): ParsedMosquitto {
  let text: string;
  try {
    text = io.readFile(path);
  } catch (e) {
    return { path, error: errCode(e) };
  }
  try {
    return { path, config: parseMosquittoConfig(text, path, io, { besideConfig }) };
  } catch (e) {
    return { path, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Load one EMQX node's layered files. Never throws: a failure is `error`. */
export function parseEmqxFiles(io: ConfigIO, path: string, files: readonly string[], etcDir: string, opts: Pick<LoadConfigOptions, 'env' | 'envLocations' | 'emqxVersion'> = {}): ParsedEmqx {
  try {
    const config = stripGet(
      loadEmqxConfig({
        files: [...files],
        io,
        // etc/emqx.env: the node's boot-time variables (EMQX_SECURITY_PROFILE …), over the given environment.
        envFile: join(etcDir, 'emqx.env'),
        ...(opts.env ? { env: opts.env } : {}),
        ...(opts.envLocations ? { envLocations: opts.envLocations } : {}),
        ...(opts.emqxVersion ? { version: opts.emqxVersion } : {}),
      }),
    );
    return { path, etcDir, config };
  } catch (e) {
    return { path, etcDir, error: e instanceof Error ? e.message : String(e) };
  }
}

/** Load the given files into config facts (lint). Files that cannot be read become ERROR facts' reasons. */
export function loadConfigFacts(inputs: readonly ConfigInput[], opts: LoadConfigOptions = {}): { facts: FactMap; notes: string[] } {
  const io = opts.io ?? fsIO();
  const beside = opts.besideConfig ?? true;
  const parsed: ParsedConfigs = { files: [], emqx: [] };
  const emqxLayer: ConfigInput[] = [];
  for (const input of inputs) {
    if (input.format === 'emqx') emqxLayer.push(input);
    else if (input.format === 'mosquitto') parsed.files.push({ mosquitto: parseMosquittoFile(io, input.path, beside) });
    else parsed.files.push({ input });
  }
  // EMQX files of one directory are one node's config, layered; a cluster.hocon under
  // data/configs belongs to the etc/ directory given with it (host layout).
  const groups = new Map<string, string[]>();
  for (const { path } of emqxLayer) {
    const dir = basename(path) === 'cluster.hocon' && emqxLayer.some((i) => basename(i.path) === 'emqx.conf') ? dirname(emqxLayer.find((i) => basename(i.path) === 'emqx.conf')!.path) : dirname(path);
    groups.set(dir, [...(groups.get(dir) ?? []), path]);
  }
  for (const [dir, files] of groups) {
    files.sort((a, b) => layerRank(a) - layerRank(b) || (a < b ? -1 : a > b ? 1 : 0));
    parsed.emqx.push(parseEmqxFiles(io, files[files.length - 1]!, files, dir, opts));
  }
  return buildConfigFacts(parsed, io, opts);
}

/**
 * The config facts from parsed configs: the ACL, password, PSK and bootstrap files
 * they reference are read here (through `io`), once per file.
 */
export function buildConfigFacts(parsed: ParsedConfigs, io: ConfigIO, opts: Omit<LoadConfigOptions, 'io' | 'env' | 'envLocations' | 'emqxVersion'> = {}): { facts: FactMap; notes: string[] } {
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
  const score = (pw: string) => checkPassword(pw, policy.passwords);
  const parseBootstrap = (text: string, file: string) => parseEmqxBootstrap(text, file, score);
  const dynsecFiles: DynsecFile[] = [];
  const nanomqConfigs: NanomqConfig[] = [];
  const nanomqPasswords: ReferencedFile<NanomqPasswords>[] = [];
  const nanomqAcls: ReferencedFile<NanomqAcl>[] = [];
  const addDynsec = (path: string, ref: SourceLoc, besideRef: boolean) => {
    const f = readReferenced<DynsecConfig>(io, path, ref, parseDynsec, besideRef, opts.fileModes);
    if (dynsecFiles.some((x) => (x.readPath ?? x.path) === (f.readPath ?? f.path))) return;
    dynsecFiles.push(withGeneratedPasswords(io, f, opts.fileModes));
  };
  const unreadable: string[] = [];
  const unloadable: string[] = [];
  // One entry per file, however many configs reference it.
  const add = <T>(list: ReferencedFile<T>[], f: ReferencedFile<T>) => {
    if (!list.some((x) => (x.readPath ?? x.path) === (f.readPath ?? f.path))) list.push(f);
  };
  const top = (p: string): SourceLoc => ({ file: p, line: 1, column: 1 });

  for (const item of parsed.files) {
    if ('input' in item) {
      const { path, format } = item.input;
      const parsers = {
        'mosquitto-acl': () => add(aclFiles, readReferenced(io, path, top(path), parseMosquittoAcl, false)),
        'mosquitto-passwd': () => add(passwordFiles, readReferenced(io, path, top(path), parseMosquittoPasswd, false, opts.fileModes)),
        'mosquitto-psk': () => add(pskFiles, readReferenced(io, path, top(path), parseMosquittoPsk, false)),
        'emqx-acl': () => add(emqxAcls, readReferenced(io, path, top(path), parseEmqxAcl, false)),
        'emqx-bootstrap': () => add(bootstrap, readReferenced(io, path, top(path), parseBootstrap, false, opts.fileModes)),
        'mosquitto-dynsec': () => addDynsec(path, top(path), false),
        nanomq: () => {
          try {
            nanomqConfigs.push(parseNanomqConfig(io.readFile(path), path, { io, score, besideConfig: beside }));
          } catch (e) {
            unreadable.push(`${path}: ${errCode(e)}`);
          }
        },
        'nanomq-passwd': () => add(nanomqPasswords, readReferenced(io, path, top(path), (t, f) => parseNanomqPasswd(t, f, score), false, opts.fileModes)),
        'nanomq-acl': () => add(nanomqAcls, readReferenced(io, path, top(path), parseNanomqAcl, false)),
      } as const;
      if (format !== 'mosquitto' && format !== 'emqx') parsers[format]();
      continue;
    }
    const { path, config: cfg, error } = item.mosquitto;
    if (!cfg) {
      unreadable.push(`${path}: ${error ?? 'not parsed'}`);
      continue;
    }
    mosquittoConfigs.push(cfg);
    const refs = new Map<string, { key: string; ref: SourceLoc }>();
    for (const d of cfg.directives) {
      if ((d.key === 'acl_file' || d.key === 'password_file' || d.key === 'psk_file') && d.value) refs.set(`${d.key}\0${d.value}`, { key: d.key, ref: { file: d.file, line: d.line, column: d.argColumns[0] ?? d.column } });
    }
    for (const { path: p, ref } of dynsecConfigFileRefs(cfg)) addDynsec(p, ref, beside);
    for (const [k, { key, ref }] of refs) {
      const p = k.split('\0')[1]!;
      if (key === 'acl_file') add(aclFiles, readReferenced(io, p, ref, parseMosquittoAcl, beside));
      else if (key === 'password_file') add(passwordFiles, readReferenced(io, p, ref, parseMosquittoPasswd, beside, opts.fileModes));
      else add(pskFiles, readReferenced(io, p, ref, parseMosquittoPsk, beside));
    }
  }
  // acl.conf of enabled file authorization sources, bootstrap files of built-in databases.
  for (const { path, etcDir: etc, config: cfg, error } of parsed.emqx) {
    if (!cfg) {
      unloadable.push(`${path}: ${error ?? 'not parsed'}`);
      continue;
    }
    emqxConfigs.push(cfg);
    const authn = hoconGet(cfg.root, 'authentication');
    for (const a of authn?.t === 'arr' ? authn.items : []) {
      const f = a.t === 'obj' ? a.fields.get('bootstrap_file') : undefined;
      if (f?.t === 'val' && typeof f.value === 'string') add(bootstrap, readReferenced(io, f.value.replace('${EMQX_ETC_DIR}', etc), f.loc, parseBootstrap, beside, opts.fileModes));
    }
    for (const src of emqxFileSources(cfg)) {
      const p = src.path.replace('${EMQX_ETC_DIR}', etc);
      const f = readReferenced(io, p, src.ref, parseEmqxAcl, beside);
      // The default source (etc/acl.conf) that is not there is no finding: only configured paths are.
      if (f.parsed || src.explicit) add(emqxAcls, f);
    }
  }

  // A product none of whose files was given or found: its checks do not apply (counted, not listed).
  const fact = <T>(value: T | undefined, none: string): Fact<T> => (value === undefined ? { state: 'skipped', reason: none, notApplicable: true } : { state: 'ok', value, ms: 0 });
  const target = opts.mosquittoTarget ? { target: opts.mosquittoTarget } : {};
  const mosquitto: ConfigMosquittoFact | undefined = mosquittoConfigs.length || aclFiles.length || pskFiles.length ? { configs: mosquittoConfigs, aclFiles, pskFiles, ...target } : undefined;
  const emqx: ConfigEmqxFact | undefined = emqxConfigs.length || emqxAcls.length ? { configs: emqxConfigs, aclFiles: emqxAcls } : undefined;
  const dynsec: ConfigDynsecFact | undefined = dynsecFiles.length ? { files: dynsecFiles } : undefined;
  // A password or ACL file given on its own that a given nanomq.conf also includes is judged once, as the include.
  const included = new Set(nanomqConfigs.flatMap((c) => c.includes.filter((i) => !i.error).map((i) => i.readPath ?? i.path)));
  const alone = <T>(list: ReferencedFile<T>[]) => list.filter((f) => !included.has(f.readPath ?? f.path));
  const nanomq: ConfigNanomqFact | undefined =
    nanomqConfigs.length || nanomqPasswords.length || nanomqAcls.length ? { configs: nanomqConfigs, passwordFiles: alone(nanomqPasswords), aclFiles: alone(nanomqAcls) } : undefined;
  const passwords: ConfigPasswordsFact | undefined = passwordFiles.length || bootstrap.length ? { mosquitto: passwordFiles, ...(opts.mosquittoTarget ? { mosquittoTarget: opts.mosquittoTarget } : {}), ...(bootstrap.length ? { emqxBootstrap: bootstrap } : {}) } : undefined;
  const facts: FactMap = {
    'config.mosquitto':
      unreadable.length && !mosquitto
        ? { state: 'error', error: `cannot read ${unreadable.join(', ')}`, ms: 0 }
        : withPartial(fact(mosquitto, 'no Mosquitto configuration given or found'), [...mosquittoConfigs.flatMap((c) => incompleteAt(c.issues)), ...unreadable]),
    'config.emqx':
      unloadable.length && !emqx
        ? { state: 'error', error: `cannot load ${unloadable.join(', ')}`, ms: 0 }
        : withPartial(fact(emqx, 'no EMQX configuration given or found'), [...emqxConfigs.flatMap((c) => incompleteAt(c.issues)), ...unloadable]),
    'config.passwords': fact(passwords, 'no password file given or referenced by a config'),
    'config.dynsec': withPartial(fact(dynsec, 'no dynamic-security file given or named by plugin_opt_config_file'), dynsecFiles.flatMap((f) => incompleteAt(f.parsed?.issues ?? []))),
    'config.nanomq': withPartial(fact(nanomq, 'no NanoMQ configuration given or found'), [
      ...nanomqConfigs.flatMap((c) => [...incompleteAt(c.issues), ...c.includes.filter((i) => i.error).map((i) => `${i.ref.file}:${i.ref.line}: cannot read included file ${i.path}: ${i.error}`)]),
    ]),
    policy: { state: 'ok', value: policy, ms: 0 },
  };
  if (unreadable.length) notes.push(`Unreadable config files: ${unreadable.join(', ')}`);
  if (unloadable.length) notes.push(`EMQX configs that could not be loaded: ${unloadable.join(', ')}`);
  return { facts, notes };
}

/**
 * The dynamic-security JSON files a mosquitto.conf names: the `plugin_opt_config_file` of every
 * dynamic-security plugin of the Mosquitto model (2.0 `plugin`/`auth_plugin`, 2.1 `global_plugin` and
 * `plugin_load` + `plugin_use`), located at the option's value.
 */
export function dynsecConfigFileRefs(cfg: MosquittoConfig): { path: string; ref: SourceLoc }[] {
  const out: { path: string; ref: SourceLoc }[] = [];
  for (const { configFile: d } of dynsecConfigFiles(cfg)) {
    if (d?.value && !out.some((o) => o.path === d.value)) out.push({ path: d.value, ref: { file: d.file, line: d.line, column: d.argColumns[0] ?? d.column } });
  }
  return out;
}

/** Look for the plain-text `<config>.pw` the plugin writes at first start, next to the file read. */
function withGeneratedPasswords(io: ConfigIO, f: ReferencedFile<DynsecConfig>, modes = false): DynsecFile {
  if (!f.parsed) return f;
  const pw = `${f.readPath ?? f.path}.pw`;
  try {
    const users = generatedPasswordUsers(io.readFile(pw, 'credentials'));
    let mode: number | undefined;
    try {
      mode = modes ? io.stat?.(pw).mode : undefined;
    } catch {
      mode = undefined;
    }
    return { ...f, generatedPasswords: { path: pw, users, ...(mode !== undefined ? { mode } : {}) } };
  } catch {
    return f;
  }
}

/** The problems that left part of a configuration unread, as places. */
function incompleteAt(issues: readonly ConfigIssue[]): string[] {
  return issues.filter((i) => i.incomplete).map((i) => `${i.file}:${i.line}: ${i.message}`);
}

/** A collected config fact that is missing parts: its checks may FAIL, but not PASS (the engine turns a PASS into SKIP). */
function withPartial<T>(f: Fact<T>, unread: readonly string[]): Fact<T> {
  if (f.state !== 'ok' || !unread.length) return f;
  const shown = unread.slice(0, 3).join('; ') + (unread.length > 3 ? `; and ${unread.length - 3} more` : '');
  return { ...f, partial: `part of the configuration could not be read or parsed (${shown})` };
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

/** A broker config of the audited host, parsed once per run. */
export interface HostMosquittoConfig extends ParsedMosquitto {
  /** The real path read: under the root, or the file given on the command line. */
  file: string;
  /** Given with --config (read at its real path), not found under the root. */
  given: boolean;
}

export interface HostEmqxConfig extends ParsedEmqx {
  file: string;
  given: boolean;
  /** The layered files asked for, lowest precedence first (missing ones are skipped by the loader). */
  layers: string[];
}

/**
 * The broker configs of the audited host, read and parsed once per run: the config
 * facts (config.*) and the broker discovery (sys.brokers and the host checks built on
 * it) are both built from them.
 */
export interface HostConfigs {
  /** How the configs were read; referenced files (ACL, password, PSK) are read through it too. */
  io: ConfigIO;
  mosquitto: HostMosquittoConfig[];
  emqx: HostEmqxConfig[];
  /** NanoMQ configs found at the standard paths (read in full, with their includes, when the facts are built). */
  nanomq: string[];
  /**
   * Every --config file in the order given, with the format `detectFormat` found. Those
   * of the other formats (ACL, password, PSK, EMQX ACL, bootstrap) feed the config facts only.
   */
  given: ConfigInput[];
}

/**
 * Reads of a host audit: absolute paths under `root`, except the files given on the
 * command line, which are read where they are.
 */
export function hostConfigIO(root: string, given: readonly string[] = []): ConfigIO {
  const under = fsIO(root);
  const real = fsIO();
  const isGiven = new Set(given);
  return {
    ...under,
    readFile: (p) => (isGiven.has(p) ? real : under).readFile(p),
    stat: (p) => (isGiven.has(p) ? real : under).stat!(p),
  };
}

/**
 * Find the broker configs under `root` (the standard paths of HOST_CONFIG_PATHS,
 * every EMQX location whose emqx.conf is there) plus the files given with --config,
 * and parse each once. A given file's format comes from `detectFormat` (content
 * first, then the name); a given EMQX file is a node's top config, layered over the
 * base.hocon and cluster.hocon of its location. Paths stay as on the host (/etc/...),
 * reads go under the root. Never throws for a file: a failure names it.
 */
export function readHostConfigs(opts: { root: string; files?: readonly string[]; io?: ConfigIO; env?: Record<string, string>; emqxVersion?: string }): HostConfigs {
  const files = opts.files ?? [];
  const base = opts.io ?? hostConfigIO(opts.root, files);
  const live = opts.root === '/';
  const realPath = (p: string, given: boolean) => (given || live ? p : join(opts.root, p));
  // A given file is read once, to detect its format; the parsers get that text again.
  const givenText = new Map<string, { text: string } | { error: unknown }>();
  const io: ConfigIO = {
    ...base,
    readFile: (p) => {
      const t = givenText.get(p);
      if (!t) return base.readFile(p);
      if ('error' in t) throw t.error;
      return t.text;
    },
  };
  const exists = (p: string) => {
    try {
      if (base.stat) base.stat(p);
      else base.readFile(p);
      return true;
    } catch {
      return false;
    }
  };
  const out: HostConfigs = { io, mosquitto: [], emqx: [], nanomq: [], given: [] };
  const seen = new Set<string>();
  const mosquitto = (path: string, given: boolean) => {
    const file = realPath(path, given);
    if (seen.has(file)) return;
    seen.add(file);
    out.mosquitto.push({ ...parseMosquittoFile(io, path, false), file, given });
  };
  const emqx = (path: string, layers: string[], given: boolean) => {
    const file = realPath(path, given);
    if (seen.has(file)) return;
    seen.add(file);
    out.emqx.push({ ...parseEmqxFiles(io, path, layers, dirname(path), { ...(opts.env && { env: opts.env }), ...(opts.emqxVersion && { emqxVersion: opts.emqxVersion }) }), file, given, layers });
  };
  for (const p of HOST_CONFIG_PATHS.mosquitto) if (exists(p)) mosquitto(p, false);
  for (const p of HOST_CONFIG_PATHS.nanomq) if (exists(p)) out.nanomq.push(p);
  for (const loc of HOST_CONFIG_PATHS.emqx) {
    const layers = emqxLayerFiles(loc);
    if (exists(layers[layers.length - 1]!)) emqx(layers[layers.length - 1]!, layers, false);
  }
  for (const f of files) {
    let text = '';
    try {
      text = base.readFile(f);
      givenText.set(f, { text });
    } catch (error) {
      givenText.set(f, { error });
    }
    const format = detectFormat(f, text) ?? 'mosquitto';
    out.given.push({ path: f, format });
    if (format === 'mosquitto') mosquitto(f, true);
    else if (format === 'emqx') emqx(f, [...emqxLayerFiles(emqxLocationOf(f)).slice(0, -1).filter((l) => l !== f), f], true);
  }
  return out;
}

/** The config facts of a host from its configs parsed once (`readHostConfigs`). */
export function hostConfigFacts(hc: HostConfigs, opts: { policy?: Policy; mosquittoTarget?: MosquittoTarget } = {}): FactMap {
  // Found configs first, then the given files in their order (as the inputs of lint).
  const found: ParsedConfigs['files'] = [
    ...hc.mosquitto.filter((m) => !m.given).map((m) => ({ mosquitto: m })),
    // A found NanoMQ config also given with --config is judged once, as given.
    ...hc.nanomq.filter((p) => !hc.given.some((g) => g.path === p)).map((path) => ({ input: { path, format: 'nanomq' as const } })),
  ];
  const used = new Set<HostMosquittoConfig>();
  const given = hc.given.flatMap((g): ParsedConfigs['files'] => {
    if (g.format === 'emqx') return [];
    if (g.format !== 'mosquitto') return [{ input: g }];
    // A given file that is also a found one (or given twice) was parsed once and counts once.
    const m = hc.mosquitto.find((x) => x.given && x.path === g.path && !used.has(x));
    if (!m) return [];
    used.add(m);
    return [{ mosquitto: m }];
  });
  const { facts } = buildConfigFacts({ files: [...found, ...given], emqx: hc.emqx }, hc.io, { ...(opts.policy ? { policy: opts.policy } : {}), ...(opts.mosquittoTarget ? { mosquittoTarget: opts.mosquittoTarget } : {}), besideConfig: false, fileModes: true });
  return facts;
}

/**
 * Host audit: find the configs under `root` (plus the given files) and load them.
 * Paths in findings stay as on the host (/etc/...), reads go under the root.
 */
export function collectConfigFacts(opts: { root: string; files?: string[]; env?: Record<string, string>; emqxVersion?: string; policy?: Policy; io?: ConfigIO }): Promise<FactMap> {
  return new Promise((resolve) => resolve(hostConfigFacts(readHostConfigs(opts), opts.policy ? { policy: opts.policy } : {})));
}
