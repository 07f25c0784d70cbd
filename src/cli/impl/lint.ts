/**
 * `mqtt-warden lint <files|dirs…>`: the config checks on Mosquitto and EMQX files,
 * without a running broker. Every finding carries file:line:column.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '../../checks/index.js';
import { CONFIG_FORMATS, detectFormat, notConfigReason, type ConfigFormat, type ConfigInput } from '../../collectors/config.js';
import type { Check } from '../../core/check.js';
import { runChecks, selectChecks } from '../../core/engine.js';
import type { FactKey, Report, Severity } from '../../core/types.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../config/policy.js';
import { fsIO, recordingIO, type SourceLoc } from '../../config/io.js';
import { emitReport } from '../emit.js';
import { emqxEnvironment } from './emqx-env.js';
import { disabledChecks, projectPolicy, type ProjectFlags } from '../project.js';
import { fsErrorText, readText, UsageError } from '../common.js';
import { formatBytes, READ_LIMITS } from '../../io/read.js';
import type { LintFlags } from '../lint.js';
import type { MosquittoTarget } from '../../config/mosquitto.js';

const CONFIG_FACTS: readonly FactKey[] = ['config.mosquitto', 'config.emqx', 'config.passwords', 'config.dynsec', 'config.nanomq', 'policy'];

/** The checks lint runs: system checks that need nothing but config facts. */
export const LINT_CHECKS: readonly Check[] = selectChecks(CATALOGUE, { scopes: ['system'], within: CONFIG_FACTS });

const MAX_FILES = 2000;
const MAX_DEPTH = 8;
const CANDIDATE = /(\.conf|\.hocon|\.acl|\.example|\.csv)$|(^|[._-])(acl|passwd|password|pwfile|psk|bootstrap|dynsec)|^dynamic-security.*\.json$/i;

/** Files under a directory that look like configs (bounded walk; .git and node_modules skipped). */
function walk(dir: string, out: string[], depth = 0) {
  if (depth > MAX_DEPTH) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new UsageError(`cannot list ${dir}: ${fsErrorText(e)}`);
  }
  for (const n of names) {
    if (out.length >= MAX_FILES) throw new UsageError(`more than ${MAX_FILES} candidate files under ${dir}: name the files to lint`);
    const p = join(dir, n);
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) {
      if (n !== '.git' && n !== 'node_modules') walk(p, out, depth + 1);
    } else if (st.isFile() && CANDIDATE.test(n)) out.push(p);
  }
}

/** The policy of a judging command: --policy, else the project file's (else the default, left to the caller). */
export function policyOf(flags: ProjectFlags & { policy?: string }): { policy?: Policy } {
  const policy = projectPolicy(flags, () => (flags.policy ? loadPolicyFile(flags.policy) : undefined));
  return policy ? { policy } : {};
}

export function loadPolicyFile(file: string): Policy {
  const r = parsePolicy(readText(file, 'policy file', 'settings'), file);
  if (!r.policy) throw new UsageError(`invalid policy:\n${r.issues.map((i) => `  ${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n')}`);
  return r.policy;
}

export interface LintOptions {
  /** Force one format for every file (auto-detected otherwise). */
  format?: ConfigFormat;
  env?: Record<string, string>;
  envLocations?: Record<string, SourceLoc>;
  /** The EMQX release whose defaults to assume (--emqx-version). */
  emqxVersion?: string;
  policy?: Policy;
  failOn: Severity | 'none';
  /** Check IDs turned off (project file). */
  disabled?: readonly string[];
  /** `--mosquitto-version`: the Mosquitto release the configs are judged for. */
  mosquittoVersion?: string;
}

/** `--mosquitto-version X.Y[.Z]`: a release number, else a usage error. */
export function mosquittoTargetOf(version: string | undefined): MosquittoTarget | undefined {
  if (version === undefined) return undefined;
  if (!/^\d+\.\d+(\.\d+)?$/.test(version)) throw new UsageError(`--mosquitto-version ${version}: expected a release number such as 2.0, 2.1 or 2.0.18`);
  return { version, source: '--mosquitto-version' };
}

/**
 * The format of a file to lint (given, or detected from its content). Read through the bounded
 * reader: FIFOs, devices and files over the credentials-file limit are usage errors; a
 * Mosquitto or EMQX config over the config-file limit (READ_LIMITS.config) is one too.
 */
function detectInput(p: string, format?: ConfigFormat): { format?: ConfigFormat; not?: string } {
  const max = READ_LIMITS.config.maxBytes;
  // Type and existence first (never blocks); a file over the config limit is detected on its first MiB.
  readText(p, 'file to lint', 'credentials', { maxBytes: 0, truncate: true });
  const size = statSync(p).size;
  let text = readText(p, 'file to lint', 'credentials', size > max ? { maxBytes: 1024 * 1024, truncate: true } : {});
  if (size > max) text = text.slice(0, Math.max(0, text.lastIndexOf('\n')));
  // Binary files and files with a foreign magic number are no configs, whatever --config-type says.
  const not = notConfigReason(text);
  if (not) return { not };
  const fmt = format ?? detectFormat(p, text);
  if ((fmt === 'mosquitto' || fmt === 'emqx') && size > max) throw new UsageError(`cannot read config file ${p}: is ${formatBytes(size)}, over the ${formatBytes(max)} limit for a config file`);
  return fmt ? { format: fmt } : {};
}

/** Collect the inputs: explicit files must be recognisable (or --format), directories contribute what they recognise. */
export function lintInputs(paths: readonly string[], format?: ConfigFormat): { inputs: ConfigInput[]; notes: string[] } {
  const inputs: ConfigInput[] = [];
  const notes: string[] = [];
  for (const p of paths) {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      throw new UsageError(`cannot read ${p}: ${fsErrorText(e)}`);
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(p, found);
      let skipped = 0;
      for (const f of found) {
        const d = detectInput(f, format);
        if (d.not) {
          notes.push(`${f}: skipped, not a Mosquitto or EMQX config (${d.not})`);
          continue;
        }
        const fmt = d.format;
        if (fmt) inputs.push({ path: f, format: fmt });
        else skipped++;
      }
      if (skipped) notes.push(`${p}: ${skipped} file(s) not recognised as Mosquitto or EMQX configs were not linted (force a type with --config-type).`);
    } else {
      const d = detectInput(p, format);
      if (d.not) throw new UsageError(`${p}: not a Mosquitto or EMQX config (${d.not})`);
      const fmt = d.format;
      if (!fmt) throw new UsageError(`${p}: cannot tell whether this is a Mosquitto or EMQX file; use --config-type (${CONFIG_FORMATS.join(', ')})`);
      inputs.push({ path: p, format: fmt });
    }
  }
  if (!inputs.length) throw new UsageError('nothing to lint: no Mosquitto or EMQX config found in the given paths');
  return { inputs, notes };
}

/** Lint files: the config checks, one result per offending place. Pure apart from reading the files. */
export async function runLint(paths: readonly string[], opts: LintOptions): Promise<Report> {
  mosquittoTargetOf(opts.mosquittoVersion);
  const { inputs, notes } = lintInputs(paths, opts.format);
  const refused: string[] = [];
  const report = await runChecks({
    command: 'lint',
    checks: LINT_CHECKS,
    system: {
      root: '/',
      timeoutMs: 10_000,
      policy: opts.policy ?? DEFAULT_POLICY,
      inputs: {
        files: inputs,
        load: {
          io: recordingIO(fsIO(), refused),
          ...(opts.env ? { env: opts.env } : {}),
          ...(opts.envLocations ? { envLocations: opts.envLocations } : {}),
          ...(opts.emqxVersion ? { emqxVersion: opts.emqxVersion } : {}),
          ...(opts.mosquittoVersion !== undefined ? { mosquittoTarget: mosquittoTargetOf(opts.mosquittoVersion)! } : {}),
        },
      },
    },
    options: { intrusive: false, host: false, network: false, failOn: opts.failOn, identity: 'none (config lint)' },
    ...(opts.disabled && { disabled: opts.disabled }),
    notes,
  });
  refuseUnreadable(refused);
  return report;
}

/** Files a linted config references (includes, password/ACL/PSK files) that the reader refused: a usage error. */
export function refuseUnreadable(refused: readonly string[]): void {
  if (refused.length) throw new UsageError(refused.length === 1 ? refused[0]! : `files referenced by the given configs cannot be read:\n${refused.map((r) => `  ${r}`).join('\n')}`);
}

/** `lint PATHS…` after its options are parsed; returns the exit code. */
export async function lintCommand(paths: string[], flags: LintFlags): Promise<number> {
  const { env, envLocations } = emqxEnvironment(flags);
  const report = await runLint(paths, {
    ...(flags.configType ? { format: flags.configType } : {}),
    ...(env ? { env } : {}),
    ...(envLocations ? { envLocations } : {}),
    ...(flags.emqxVersion ? { emqxVersion: flags.emqxVersion } : {}),
    ...policyOf(flags),
    failOn: flags.failOn,
    disabled: disabledChecks(flags),
    ...(flags.mosquittoVersion !== undefined ? { mosquittoVersion: flags.mosquittoVersion } : {}),
  });
  return emitReport(report, flags, LINT_CHECKS.map((c) => c.meta));
}
