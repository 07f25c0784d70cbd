/**
 * From config files to evaluators: the files given (or found at the standard paths) are read
 * with the project's parsers and config loader (`loadConfigFacts`), and each ACL source becomes
 * one evaluator. Reading goes through the bounded reader.
 */
import { existsSync } from 'node:fs';
import { detectFormat, loadConfigFacts, type ConfigFormat, type ConfigInput } from '../collectors/config.js';
import type { ConfigEmqxFact, ConfigMosquittoFact, ConfigPasswordsFact } from '../config/bundle.js';
import type { ConfigDynsecFact } from '../config/dynsec.js';
import { fsIO } from '../config/io.js';
import { readTextFile } from '../io/read.js';
import { LATEST_EMQX_VERSION } from '../config/emqx.js';
import { dynsecEvaluators, emqxEvaluator, mosquittoEvaluators } from './from-facts.js';
import type { AclAction, AclEvaluator, Decision, Identity } from './model.js';

export interface AclInputs {
  /** Files of any supported kind, detected like `lint` does. */
  configs?: readonly string[];
  mosquittoConf?: readonly string[];
  aclFile?: readonly string[];
  emqxConf?: readonly string[];
  emqxAcl?: readonly string[];
  dynsec?: readonly string[];
}

export interface AclLoadOptions {
  /** `--emqx-version X.Y` (default: the latest 6.x, as lint assumes). */
  emqxVersion?: string;
  profile?: 'legacy' | 'hardened';
  /** Test hook: passed to every evaluator. */
  tamper?: (d: Decision, id: Identity, action: AclAction, topic: string) => Decision;
}

export class AclInputError extends Error {}

/** Where `acl` looks when no file is named. */
export const STANDARD_PATHS: readonly { path: string; format: ConfigFormat }[] = [
  { path: '/etc/mosquitto/mosquitto.conf', format: 'mosquitto' },
  { path: '/etc/emqx/emqx.conf', format: 'emqx' },
];

export interface AclSetup {
  evaluators: AclEvaluator[];
  /** Problems in the files (a broker would refuse them, or refuse to start), and what was assumed. */
  notes: string[];
  /** The files read, for the report. */
  files: string[];
}

function read(path: string, what: string): string {
  try {
    return readTextFile(path, 'config', { label: what });
  } catch (e) {
    throw new AclInputError((e as Error).message);
  }
}

export function loadAclSetup(inputs: AclInputs, opts: AclLoadOptions = {}): AclSetup {
  const given: ConfigInput[] = [];
  const notes: string[] = [];
  for (const p of inputs.dynsec ?? []) given.push({ path: p, format: 'mosquitto-dynsec' });
  for (const p of inputs.mosquittoConf ?? []) given.push({ path: p, format: 'mosquitto' });
  for (const p of inputs.aclFile ?? []) given.push({ path: p, format: 'mosquitto-acl' });
  for (const p of inputs.emqxConf ?? []) given.push({ path: p, format: 'emqx' });
  for (const p of inputs.emqxAcl ?? []) given.push({ path: p, format: 'emqx-acl' });
  for (const p of inputs.configs ?? []) {
    const text = read(p, 'config file');
    const format = detectFormat(p, text);
    if (!format) throw new AclInputError(`${p}: cannot tell what kind of file this is; name it with --mosquitto-conf, --acl-file, --emqx-conf, --emqx-acl or --dynsec`);
    given.push({ path: p, format });
  }
  if (!given.length) {
    for (const s of STANDARD_PATHS) if (existsSync(s.path)) given.push(s);
    if (!given.length) throw new AclInputError(`no ACL input: name files with --mosquitto-conf, --acl-file, --emqx-conf, --emqx-acl or --dynsec (none of ${STANDARD_PATHS.map((s) => s.path).join(', ')} exists)`);
  }
  const { facts, notes: loadNotes } = loadConfigFacts(given, { io: fsIO(), besideConfig: true, ...(opts.emqxVersion ? { emqxVersion: opts.emqxVersion } : {}) });
  notes.push(...loadNotes);
  const value = <T>(k: 'config.mosquitto' | 'config.emqx' | 'config.passwords' | 'config.dynsec'): T | undefined => {
    const f = facts[k];
    if (f?.state === 'error') throw new AclInputError(f.error);
    return f?.state === 'ok' ? (f.value as T) : undefined;
  };
  const mosq = value<ConfigMosquittoFact>('config.mosquitto');
  const emqx = value<ConfigEmqxFact>('config.emqx');
  const passwords = value<ConfigPasswordsFact>('config.passwords');
  // Dynamic-security files: given, or named by a mosquitto.conf's plugin (the project's parser, src/config/dynsec.ts).
  const dynsec = value<ConfigDynsecFact>('config.dynsec');
  const evaluators: AclEvaluator[] = [];
  const files: string[] = [];

  if (mosq) {
    for (const c of mosq.configs) {
      files.push(c.file);
      for (const i of c.issues) notes.push(`${i.file}:${i.line}: ${i.message}`);
      if (c.perListenerSettings) notes.push(`${c.file}: per_listener_settings true: mqtt-warden evaluates the ACL files without telling listeners apart`);
    }
    for (const f of mosq.aclFiles) {
      if (!f.parsed) throw new AclInputError(`cannot read ACL file ${f.path}${f.ref.file !== f.path ? ` (named at ${f.ref.file}:${f.ref.line})` : ''}: ${f.error}`);
      files.push(f.parsed.file);
      for (const i of f.parsed.issues) notes.push(`${i.file}:${i.line}: ${i.message} (Mosquitto refuses to start with this ACL file)`);
    }
    evaluators.push(...mosquittoEvaluators(mosq, passwords, opts.tamper));
    if (mosq.configs.length && !mosq.aclFiles.length && !dynsec?.files.length) notes.push('the Mosquitto config names no acl_file and no dynamic security plugin: every client that connects may read and write every topic (ACC-032)');
  }
  for (const f of dynsec?.files ?? []) {
    if (!f.parsed) throw new AclInputError(`cannot read dynamic-security file ${f.path}${f.ref.file !== f.path ? ` (named at ${f.ref.file}:${f.ref.line})` : ''}: ${f.error}`);
    files.push(f.parsed.file);
    for (const i of f.parsed.issues) notes.push(`${i.file}:${i.line}: ${i.message}`);
    if (!f.parsed.loaded) throw new AclInputError(`${f.parsed.file}: the dynamic security plugin would not load this file${f.parsed.issues[0] ? ` (${f.parsed.issues[0].file}:${f.parsed.issues[0].line}: ${f.parsed.issues[0].message})` : ''}`);
  }
  if (dynsec) evaluators.push(...dynsecEvaluators(dynsec, opts.tamper));
  if (emqx) {
    for (const f of emqx.aclFiles) {
      if (!f.parsed) throw new AclInputError(`cannot read acl.conf ${f.path}${f.ref.file !== f.path ? ` (named at ${f.ref.file}:${f.ref.line})` : ''}: ${f.error}`);
      files.push(f.parsed.file);
      for (const i of f.parsed.issues) notes.push(`${i.file}:${i.line}: ${i.message} (EMQX refuses this file)`);
    }
    if (emqx.configs[0]) files.push(...emqx.configs[0].files);
    if (emqx.configs.length > 1) notes.push(`${emqx.configs.length} EMQX nodes given: no_match and the sources are taken from the first`);
    const e = emqxEvaluator(emqx, { version: opts.emqxVersion ? (Number.parseInt(opts.emqxVersion.replace(/^v/, ''), 10) >= 6 ? 6 : 5) : LATEST_EMQX_VERSION.major >= 6 ? 6 : 5, ...(opts.profile ? { profile: opts.profile } : {}), ...(opts.tamper ? { tamper: opts.tamper } : {}) });
    if (e) evaluators.push(e);
  }
  if (!evaluators.length) throw new AclInputError(`no ACL rules found in ${given.map((g) => g.path).join(', ')}`);
  return { evaluators, notes, files: [...new Set(files)] };
}
