/**
 * The project file (mqtt-warden.yaml) on the command line: found or given before a
 * judging command runs, its option defaults applied where the command line said
 * nothing, and its policy, checks and waivers handed to the run and the report.
 * Loaded only when a judging command runs and a project file exists.
 */
import { isAbsolute, relative } from 'node:path';
import type { Command, Option } from 'commander';
import type { Policy } from '../config/policy.js';
import { findProjectFile, loadProjectFile, optionsFor, ProjectFileError, validateCheckIds, validateOptionNames, type OptionValue, type ProjectCommand, type ProjectFile } from '../config/project.js';
import { applyBaseline, applySeverityOverrides, applyWaivers, BaselineError, type Baseline, expiredWaiverNote, loadBaseline, localDate, staleWaiverNote } from '../core/suppress.js';
import { summarize } from '../core/report.js';
import type { Report } from '../core/types.js';
import { UsageError } from './common.js';
import type { JudgeFlags } from './options.js';

/** The judging commands and their section in the project file. */
function section(cmd: Command): ProjectCommand | undefined {
  if (cmd.parent?.name() === 'passwd' && cmd.name() === 'audit') return 'passwd-audit';
  const name = cmd.name();
  return name === 'audit' || name === 'lint' || name === 'ports' ? name : undefined;
}

function optionKey(o: Option): string {
  return (o.long ?? '').replace(/^--/, '');
}

/** The option names each judging command takes, as the project file writes them (long names without dashes). */
function knownOptions(program: Command): Record<ProjectCommand, readonly string[]> {
  const known: Record<string, string[]> = { audit: [], lint: [], 'passwd-audit': [], ports: [] };
  const walk = (c: Command) => {
    const s = section(c);
    if (s) known[s] = c.options.filter((o) => o.long && !o.hidden).map(optionKey);
    c.commands.forEach(walk);
  };
  walk(program);
  return known as Record<ProjectCommand, readonly string[]>;
}

/** The options of cmd that o conflicts with, or that conflict with o (commander's `.conflicts()`, either way round). */
function conflicting(cmd: Command, o: Option): Option[] {
  const conflictsWith = (x: Option) => (x as Option & { conflictsWith?: string[] }).conflictsWith ?? [];
  const name = o.attributeName();
  return cmd.options.filter((x) => x !== o && (conflictsWith(o).includes(x.attributeName()) || conflictsWith(x).includes(name)));
}

/** Set one option from the file, through the option's own parser (so `timeout: 5` is checked like `--timeout 5`). */
function setFromFile(cmd: Command, o: Option, value: OptionValue, place: string): void {
  const attr = o.attributeName();
  const src = cmd.getOptionValueSource(attr);
  if (src && src !== 'default') return; // the command line wins
  const fail = (why: string) => {
    throw new UsageError(`${place}: ${optionKey(o)}: ${why}`);
  };
  // Options that cannot go together (-v/-q): commander checked the command line before the file was read.
  for (const other of conflicting(cmd, o)) {
    const otherSrc = cmd.getOptionValueSource(other.attributeName());
    if (!otherSrc || otherSrc === 'default' || !cmd.getOptionValue(other.attributeName())) continue;
    if (otherSrc !== 'config') return; // the command line wins
    if (value !== false) fail(`cannot be used with --${optionKey(other)}`);
  }
  // An option with an optional value (--history [db]): true turns it on with its default, false leaves it off.
  if (o.optional && typeof value === 'boolean') {
    if (value) cmd.setOptionValueWithSource(attr, true, 'config');
    return;
  }
  if (o.negate || !(o.required || o.optional)) {
    if (typeof value !== 'boolean') fail('expects true or false');
    cmd.setOptionValueWithSource(attr, o.negate ? !value : value, 'config');
    return;
  }
  const parse = (v: string, prev: unknown) => {
    try {
      if (o.argChoices && !o.argChoices.includes(v)) fail(`must be one of ${o.argChoices.join(', ')}`);
      return o.parseArg ? o.parseArg(v, prev) : v;
    } catch (e) {
      if (e instanceof UsageError) throw e;
      return fail((e as Error).message);
    }
  };
  if (Array.isArray(value)) {
    // A list option (repeatable or comma-separated): each item as if given once more.
    let acc: unknown = undefined;
    for (const v of value) acc = parse(String(v), acc);
    cmd.setOptionValueWithSource(attr, acc, 'config');
  } else cmd.setOptionValueWithSource(attr, parse(String(value), undefined), 'config');
}

/**
 * Before a judging command: load the project file (given, found in the working
 * directory, or none with --no-config-file), check it against the catalogue and the
 * command's options, and apply its option defaults. The file is left on the flags
 * as `project` for the run (policy, disabled checks) and the report (waivers).
 */
export async function applyProjectFile(program: Command, cmd: Command): Promise<void> {
  const s = section(cmd);
  if (!s) return;
  const given = cmd.getOptionValue('configFile') as string | false | undefined;
  if (given === false) return;
  const found = typeof given === 'string' ? given : findProjectFileOrThrow();
  if (!found) return;
  // Places in reports (waiver sources, SARIF suppressions) are relative to the working directory, like the findings'.
  const rel = relative(process.cwd(), found);
  const path = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : found;
  let project: ProjectFile;
  try {
    project = loadProjectFile(path);
  } catch (e) {
    if (e instanceof ProjectFileError) throw new UsageError(e.message, true);
    throw e;
  }
  const { CATALOGUE } = await import('../checks/index.js');
  const issues = [...validateCheckIds(project, CATALOGUE.map((c) => c.meta.id)), ...validateOptionNames(project, knownOptions(program))];
  if (issues.length) throw new UsageError(`invalid project file:\n${issues.map((i) => `  ${i.file}:${i.line}:${i.column}: ${i.message}`).join('\n')}`, true);
  const values = optionsFor(project, s);
  for (const [key, value] of Object.entries(values)) {
    const o = cmd.options.find((x) => optionKey(x) === key);
    if (!o) continue; // a default for other commands
    const place = project.places[`commands.${s}.${key}`] ?? project.places[`defaults.${key}`];
    setFromFile(cmd, o, value, place ? `${place.file}:${place.line}:${place.column}` : project.path);
  }
  cmd.setOptionValueWithSource('project', project, 'config');
}

function findProjectFileOrThrow(): string | undefined {
  try {
    return findProjectFile(process.cwd());
  } catch (e) {
    if (e instanceof ProjectFileError) throw new UsageError(e.message, true);
    throw e;
  }
}

/** The flags of a judging command after the hook: the project file, if any. */
export interface ProjectFlags {
  project?: ProjectFile;
}

/** The policy for the run: --policy wins over the project file's; undefined means the default policy. */
export function projectPolicy(flags: ProjectFlags, fromFlag: () => Policy | undefined): Policy | undefined {
  return fromFlag() ?? flags.project?.policy?.policy;
}

/** Checks the project file turns off. */
export function disabledChecks(flags: ProjectFlags): readonly string[] {
  return flags.project?.checks.disable ?? [];
}

/**
 * The findings the operator already accepted: severity overrides, waivers (expired
 * ones turn back into findings and say so) and the baseline report. Returns the
 * report with its summary recomputed and notes added.
 */
export function suppressFindings(report: Report, flags: JudgeFlags & ProjectFlags, today = localDate(new Date())): { report: Report; baseline?: Baseline } {
  const p = flags.project;
  let results = report.results;
  const notes = [...report.notes];
  if (p) {
    results = applySeverityOverrides(results, p.checks.severity);
    const w = applyWaivers(results, p.waivers, today);
    results = w.results;
    notes.push(...w.expired.map(expiredWaiverNote), ...w.stale.map(staleWaiverNote));
  }
  let baseline: Baseline | undefined;
  if (flags.baseline) {
    try {
      baseline = loadBaseline(flags.baseline);
    } catch (e) {
      if (e instanceof BaselineError) throw new UsageError(e.message, true);
      throw e;
    }
    const b = applyBaseline(results, baseline);
    results = b.results;
    const known = results.filter((r) => r.suppression?.kind === 'baseline').length;
    notes.push(`Baseline ${flags.baseline}: ${known} known finding(s) suppressed${b.absent ? `, ${b.absent} of its findings no longer present` : ''}.`);
  }
  if (!p && !baseline) return { report };
  return { report: { ...report, notes, results, summary: summarize(results, report.summary.notApplicable) }, ...(baseline && { baseline }) };
}
