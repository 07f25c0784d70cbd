/**
 * `mqtt-warden lint <files|dirs…>`: the config checks on Mosquitto and EMQX files,
 * without a running broker. Every finding carries file:line:column.
 */
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGUE } from '../../checks/index.js';
import { CONFIG_FORMATS, detectFormat, loadConfigFacts, type ConfigFormat, type ConfigInput } from '../../collectors/config.js';
import type { Check } from '../../core/check.js';
import { judgeOne } from '../../core/engine.js';
import { reportClock } from '../../core/report.js';
import { severityRank, type CheckResult, type FactKey, type Report, type Severity } from '../../core/types.js';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../config/policy.js';
import type { SourceLoc } from '../../config/io.js';
import { renderReport } from '../../reporters/index.js';
import { readText, UsageError } from '../common.js';
import type { LintFlags } from '../lint.js';

const CONFIG_FACTS: readonly FactKey[] = ['config.mosquitto', 'config.emqx', 'config.passwords', 'policy'];

/** The checks lint runs: system checks that need nothing but config facts. */
export const LINT_CHECKS: readonly Check[] = CATALOGUE.filter((c) => c.meta.scope === 'system' && c.meta.needs.every((n) => CONFIG_FACTS.includes(n)));

const MAX_FILES = 2000;
const MAX_DEPTH = 8;
const CANDIDATE = /(\.conf|\.hocon|\.acl|\.example|\.csv)$|(^|[._-])(acl|passwd|password|pwfile|psk|bootstrap)/i;

/** Files under a directory that look like configs (bounded walk; .git and node_modules skipped). */
function walk(dir: string, out: string[], depth = 0) {
  if (depth > MAX_DEPTH) return;
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (e) {
    throw new UsageError(`cannot list ${dir}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
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

/** Parse a KEY=VALUE env file (comments, `export`, quotes), with the place of each variable. */
export function parseEnvFile(text: string, file: string): { env: Record<string, string>; locations: Record<string, SourceLoc> } {
  const env: Record<string, string> = {};
  const locations: Record<string, SourceLoc> = {};
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.trimStart().startsWith('#')) return;
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) throw new UsageError(`${file}:${i + 1}: expected KEY=VALUE`);
    let v = m[2]!.trim();
    if ((v.startsWith('"') && v.endsWith('"') && v.length > 1) || (v.startsWith("'") && v.endsWith("'") && v.length > 1)) v = v.slice(1, -1);
    env[m[1]!] = v;
    locations[m[1]!] = { file, line: i + 1, column: line.indexOf(m[2]!) + 1 };
  });
  return { env, locations };
}

export function loadPolicyFile(file: string): Policy {
  const r = parsePolicy(readText(file, 'policy file'), file);
  if (!r.policy) throw new UsageError(`invalid policy:\n${r.issues.map((i) => `  ${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n')}`);
  return r.policy;
}

export interface LintOptions {
  /** Force one format for every file (auto-detected otherwise). */
  format?: ConfigFormat;
  env?: Record<string, string>;
  envLocations?: Record<string, SourceLoc>;
  policy?: Policy;
  failOn: Severity | 'none';
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
      throw new UsageError(`cannot read ${p}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (st.isDirectory()) {
      const found: string[] = [];
      walk(p, found);
      let skipped = 0;
      for (const f of found) {
        const fmt = format ?? detectFormat(f, readText(f, 'file'));
        if (fmt) inputs.push({ path: f, format: fmt });
        else skipped++;
      }
      if (skipped) notes.push(`${p}: ${skipped} file(s) not recognised as Mosquitto or EMQX configs were not linted (name them with --format to force).`);
    } else {
      const fmt = format ?? detectFormat(p, readText(p, 'file'));
      if (!fmt) throw new UsageError(`${p}: cannot tell whether this is a Mosquitto or EMQX file; use --format (${CONFIG_FORMATS.join(', ')})`);
      inputs.push({ path: p, format: fmt });
    }
  }
  if (!inputs.length) throw new UsageError('nothing to lint: no Mosquitto or EMQX config found in the given paths');
  return { inputs, notes };
}

/** Lint files: the config checks, one result per offending place. Pure apart from reading the files. */
export function runLint(paths: readonly string[], opts: LintOptions): Report {
  const finish = reportClock('lint');
  const { inputs, notes } = lintInputs(paths, opts.format);
  const { facts, notes: loadNotes } = loadConfigFacts(inputs, {
    ...(opts.env ? { env: opts.env } : {}),
    ...(opts.envLocations ? { envLocations: opts.envLocations } : {}),
    policy: opts.policy ?? DEFAULT_POLICY,
  });
  notes.push(...loadNotes);
  const subject = inputs[0]!.path;
  const results: CheckResult[] = [];
  // Checks of a product none of whose files was given are left out (with a note), not listed as SKIP.
  const absent = (['config.mosquitto', 'config.emqx', 'config.passwords'] as const).filter((k) => facts[k]?.state === 'skipped');
  const skippedChecks = new Map<string, number>();
  for (const check of LINT_CHECKS) {
    const missing = check.meta.needs.find((n) => (absent as readonly string[]).includes(n));
    if (missing) {
      skippedChecks.set(missing, (skippedChecks.get(missing) ?? 0) + 1);
      continue;
    }
    for (const r of judgeOne(check, facts, { subject, host: subject, loopback: false }, false)) {
      // A verdict without a place (a PASS) is about the linted files as a whole.
      results.push(r.location.kind === 'file' ? r : { ...r, location: { uri: subject, kind: 'file' } });
    }
  }
  for (const [k, n] of skippedChecks) {
    const f = facts[k as FactKey];
    notes.push(`${n} check(s) not applicable: ${f?.state === 'skipped' ? f.reason : k}.`);
  }
  return finish({
    options: { intrusive: false, host: false, network: false, failOn: opts.failOn, identity: 'none (config lint)' },
    targets: inputs.map((i) => ({ uri: i.path, explicit: true })),
    notes,
    results,
  });
}

/** 1 when a FAIL at or above the threshold exists. */
export function exitCodeFor(report: Report, failOn: Severity | 'none'): number {
  if (failOn === 'none') return 0;
  return report.results.some((r) => r.status === 'FAIL' && severityRank(r.severity) >= severityRank(failOn)) ? 1 : 0;
}

/** `lint PATHS…` after its options are parsed; returns the exit code. */
export function lintCommand(paths: string[], flags: LintFlags): number {
  let env: Record<string, string> | undefined;
  let envLocations: Record<string, SourceLoc> | undefined;
  if (flags.envFile) ({ env, locations: envLocations } = parseEnvFile(readText(flags.envFile, 'env file'), flags.envFile));
  else if (flags.processEnv) env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('EMQX_') && e[1] !== undefined));
  const report = runLint(paths, {
    ...(flags.format ? { format: flags.format } : {}),
    ...(env ? { env } : {}),
    ...(envLocations ? { envLocations } : {}),
    ...(flags.policy ? { policy: loadPolicyFile(flags.policy) } : {}),
    failOn: flags.failOn,
  });
  const tty = Boolean(process.stdout.isTTY);
  const color = flags.color && tty && !flags.output && flags.report === 'terminal' && !process.env.NO_COLOR;
  const text = renderReport(flags.report, report, { color, verbose: Boolean(flags.verbose), catalogue: LINT_CHECKS.map((c) => c.meta) });
  if (flags.output) {
    writeFileSync(flags.output, text);
    const s = report.summary;
    process.stderr.write(`mqtt-warden: wrote ${flags.report} report to ${flags.output} (${s.FAIL} failed, ${s.ERROR} errors, ${s.SKIP} skipped, ${s.PASS} passed)\n`);
  } else process.stdout.write(text);
  return exitCodeFor(report, flags.failOn);
}
