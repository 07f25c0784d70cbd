/** The actions of `mqtt-warden policy` (see ../policy.ts); each returns its exit code. */
import { existsSync } from 'node:fs';
import { DEFAULT_POLICY, parsePolicy, type Policy } from '../../config/policy.js';
import { policyInitYaml, renderPolicy, type PolicyDocFormat } from '../../policy/document.js';
import { readText, UsageError } from '../common.js';
import type { OutputFlags } from '../options.js';
import { writeOutput } from '../write.js';

export function policyInit(flags: OutputFlags & { force?: boolean }): number {
  if (flags.output && existsSync(flags.output) && !flags.force) throw new UsageError(`${flags.output} exists: not overwritten (--force to replace it)`);
  writeOutput(policyInitYaml(), flags, 'the policy file');
  return 0;
}

function load(file: string): ReturnType<typeof parsePolicy> {
  return parsePolicy(readText(file, 'policy file', 'settings'), file);
}

export function policyValidate(file: string, flags: OutputFlags): number {
  const r = load(file);
  const issues = r.issues.map((i) => ({ file: i.file, line: i.line, column: i.column, message: i.message }));
  if (flags.format === 'json') writeOutput(`${JSON.stringify({ file, valid: issues.length === 0, issues }, null, 2)}\n`, flags, 'the validation');
  else if (issues.length) writeOutput(issues.map((i) => `${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n'), flags, 'the validation');
  else if (!flags.quiet) writeOutput(`${file}: valid policy`, flags, 'the validation');
  return issues.length ? 2 : 0;
}

export async function policyRender(file: string | undefined, flags: OutputFlags): Promise<number> {
  let policy: Policy = DEFAULT_POLICY;
  if (file) {
    const r = load(file);
    if (!r.policy) throw new UsageError(`invalid policy:\n${r.issues.map((i) => `  ${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n')}`);
    policy = r.policy;
  }
  const { CATALOGUE } = await import('../../checks/index.js');
  const { builtinIds, loadDrill } = await import('../../drill/load.js');
  // The built-in drills: each rule names those that exercise one of its checks (and the drill rules the required ones).
  const drills = builtinIds().map((id) => loadDrill(id).drill);
  writeOutput(renderPolicy(policy, CATALOGUE.map((c) => c.meta), flags.format as PolicyDocFormat, file ?? 'the built-in default policy', drills), flags, 'the security policy');
  return 0;
}
