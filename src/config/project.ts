/**
 * The project file, `mqtt-warden.yaml` (or `.mqtt-warden.yaml`): option defaults per
 * command, the security policy, check selection and severities, and waivers. Reference:
 * docs/project-file.md.
 *
 * It is looked up in the working directory only, never in its parents: a run from a
 * subdirectory, or from a directory some other project contains, must not pick up
 * somebody else's waivers. Give the path explicitly otherwise.
 *
 * Loading is strict (zod, unknown keys are errors) and every problem is reported as
 * `file:line:column: message`. The loader does not know the check catalogue or the
 * command options: `validateCheckIds` and `validateOptionNames` check those, with places.
 */
import { statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { SEVERITIES, type Severity } from '../core/types.js';
import { readBoundedFile, type ConfigIssue, type SourceLoc } from './io.js';
import { formatIssues, locateIssues, parseLocatedYaml, type LocatedYaml } from './located-yaml.js';
import { parsePolicy, validatePolicy, type Policy } from './policy.js';

/** Names looked for in the working directory, in this order (both present is an error). */
export const PROJECT_FILE_NAMES = ['mqtt-warden.yaml', '.mqtt-warden.yaml'] as const;
/** Largest project file (and policy file it names) read. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;
/** The judging commands that read the project file; `passwd-audit` is `mqtt-warden passwd audit`. */
export const PROJECT_COMMANDS = ['audit', 'lint', 'passwd-audit', 'ports'] as const;
export type ProjectCommand = (typeof PROJECT_COMMANDS)[number];
export const CHECK_ID_PATTERN = /^[A-Z]{3}-\d{3}$/;

/** An option value as written: the command layer maps it to the command-line option. */
export type OptionValue = string | number | boolean | string[];
/** Long option name without dashes (kebab-case, as on the command line) → value. */
export type OptionValues = Record<string, OptionValue>;

export interface Waiver {
  check: string;
  /** Glob (`*`, `?`) matched against the result's subject. */
  subject?: string;
  /** Glob matched against the result's file, or `file:line`; results without a file never match. */
  location?: string;
  reason: string;
  /** YYYY-MM-DD: the waiver stops suppressing on this date. */
  expires: string;
  owner?: string;
  /** Where the waiver is written: `file:line`. */
  source: string;
}

export interface ProjectFile {
  /** The project file as given or found. */
  path: string;
  /** Option defaults for every command (a command uses those it has). */
  defaults: OptionValues;
  /** Per-command options; they win over `defaults`. */
  commands: Partial<Record<ProjectCommand, OptionValues>>;
  /** The policy, read from the file it names or written inline; `source` is that file, or `project:line`. */
  policy?: { policy: Policy; source: string };
  checks: { disable: string[]; severity: Record<string, Severity> };
  waivers: Waiver[];
  /** The history database, resolved against the project file's directory. */
  history?: string;
  /**
   * Places of what later validation may reject, by dotted path: every option key
   * (`defaults.fail-on`, `commands.audit.timeout`), `checks.disable.N`,
   * `checks.severity.ID` (the key), `waivers.N` and `waivers.N.check`, `policy`.
   */
  places: Record<string, SourceLoc>;
}

/** Every problem of a project file; the message lists them as `file:line:column: message`. */
export class ProjectFileError extends Error {
  constructor(
    readonly path: string,
    readonly issues: ConfigIssue[],
    message = formatIssues(issues),
  ) {
    super(message);
    this.name = 'ProjectFileError';
  }
}

const CheckId = z.string().regex(CHECK_ID_PATTERN, 'a check ID is three capital letters, a dash and three digits, e.g. ACC-030');

const IsoDate = z
  .string({ error: (i) => (i.input === undefined ? 'a waiver needs an end date: expires: YYYY-MM-DD' : 'expected a date YYYY-MM-DD') })
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'expected a date YYYY-MM-DD', abort: true })
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, 'not a calendar date');

const OptionValueSchema = z.union([z.string(), z.number(), z.boolean(), z.array(z.union([z.string(), z.number()]))], {
  error: 'an option value is a string, a number, true/false or a list of strings',
});
const OptionValuesSchema = z.record(
  z.string().regex(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'an option is named by its long name without the dashes, e.g. fail-on'),
  OptionValueSchema,
);

const WaiverSchema = z
  .object({
    check: CheckId,
    subject: z.string().min(1).optional(),
    location: z.string().min(1).optional(),
    reason: z.string({ error: 'a waiver needs a reason' }).trim().min(1, 'a waiver needs a reason'),
    expires: IsoDate,
    owner: z.string().min(1).optional(),
  })
  .strict();

const ProjectSchema = z
  .object({
    defaults: OptionValuesSchema.nullish(),
    commands: z
      .object(Object.fromEntries(PROJECT_COMMANDS.map((c) => [c, OptionValuesSchema.nullish()])) as Record<ProjectCommand, z.ZodOptional<z.ZodNullable<typeof OptionValuesSchema>>>)
      .strict()
      .nullish(),
    /** A path, or the policy itself: validated separately, at its place. */
    policy: z.unknown().optional(),
    checks: z
      .object({
        disable: z.array(CheckId).nullish(),
        severity: z.record(CheckId, z.enum(SEVERITIES)).nullish(),
      })
      .strict()
      .nullish(),
    waivers: z.array(WaiverSchema).nullish(),
    /** The history database (--history without a value, and the history commands), relative to the project file. */
    history: z.string().min(1, 'history: the path of the history database').nullish(),
  })
  .strict();

/** The project file of `cwd` (no walking up), or undefined. Both names present is an error. */
export function findProjectFile(cwd: string): string | undefined {
  const found = PROJECT_FILE_NAMES.map((n) => join(cwd, n)).filter((p) => {
    try {
      statSync(p);
      return true;
    } catch (e) {
      // Anything but "not there" is the loader's to report.
      const code = (e as NodeJS.ErrnoException).code;
      return code !== 'ENOENT' && code !== 'ENOTDIR';
    }
  });
  if (found.length > 1) throw new ProjectFileError(found[0]!, [], `${found.join(' and ')} both exist: keep one`);
  return found[0];
}

function toOptions(v: Record<string, string | number | boolean | (string | number)[]> | null | undefined): OptionValues {
  return Object.fromEntries(Object.entries(v ?? {}).map(([k, x]) => [k, Array.isArray(x) ? x.map(String) : x]));
}

/** Read and validate a project file; throws ProjectFileError naming every problem. */
export function loadProjectFile(path: string): ProjectFile {
  let text: string;
  try {
    text = readBoundedFile(path, MAX_PROJECT_FILE_BYTES, 'project file');
  } catch (e) {
    throw new ProjectFileError(path, [], (e as Error).message);
  }
  const parsed = parseLocatedYaml(text, path);
  if (!parsed.yaml) throw new ProjectFileError(path, parsed.issues);
  const yaml = parsed.yaml;

  const issues: ConfigIssue[] = [];
  const r = ProjectSchema.safeParse(yaml.data);
  if (!r.success) issues.push(...locateIssues(yaml, r.error));
  const raw = (yaml.data ?? {}) as { policy?: unknown; defaults?: unknown; commands?: unknown };

  // `policy` is a section of its own, not an option default.
  const optionSections: (readonly (string | number)[])[] = [['defaults'], ...PROJECT_COMMANDS.map((c) => ['commands', c])];
  for (const section of optionSections) {
    const values = section.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined), yaml.data);
    if (values && typeof values === 'object' && 'policy' in values) {
      issues.push({ ...yaml.keyPlace([...section, 'policy']), message: `${section.join('.')}.policy: write the policy at the top level (policy: FILE or the policy itself)` });
    }
  }

  const policy = loadPolicy(raw.policy, yaml, issues);
  if (issues.length || !r.success) {
    issues.sort((a, b) => (a.file === b.file ? a.line - b.line || a.column - b.column : 0));
    throw new ProjectFileError(path, issues);
  }

  const d = r.data;
  const places: Record<string, SourceLoc> = {};
  const put = (p: (string | number)[], loc: SourceLoc) => (places[p.join('.')] = loc);
  const defaults = toOptions(d.defaults);
  for (const k of Object.keys(defaults)) put(['defaults', k], yaml.keyPlace(['defaults', k]));
  const commands: ProjectFile['commands'] = {};
  for (const c of PROJECT_COMMANDS) {
    const v = d.commands?.[c];
    if (!v) continue;
    commands[c] = toOptions(v);
    for (const k of Object.keys(v)) put(['commands', c, k], yaml.keyPlace(['commands', c, k]));
  }
  const disable = d.checks?.disable ?? [];
  disable.forEach((_, i) => put(['checks', 'disable', i], yaml.place(['checks', 'disable', i])));
  const severity = d.checks?.severity ?? {};
  for (const id of Object.keys(severity)) put(['checks', 'severity', id], yaml.keyPlace(['checks', 'severity', id]));
  const waivers: Waiver[] = (d.waivers ?? []).map((w, i) => {
    const at = yaml.place(['waivers', i]);
    put(['waivers', i], at);
    put(['waivers', i, 'check'], yaml.place(['waivers', i, 'check']));
    return { ...w, source: `${path}:${at.line}` };
  });
  if (raw.policy !== undefined && raw.policy !== null) put(['policy'], yaml.place(['policy']));

  return {
    path,
    defaults,
    commands,
    ...(policy && { policy }),
    checks: { disable, severity },
    waivers,
    ...(d.history ? { history: isAbsolute(d.history) ? d.history : resolve(dirname(path), d.history) } : {}),
    places,
  };
}

/** The `policy:` entry: a path relative to the project file, or the policy itself. */
function loadPolicy(value: unknown, yaml: LocatedYaml, issues: ConfigIssue[]): ProjectFile['policy'] {
  if (value === undefined || value === null) return undefined;
  const here = yaml.place(['policy']);
  if (typeof value === 'string') {
    const file = isAbsolute(value) ? value : resolve(dirname(yaml.file), value);
    let text: string;
    try {
      text = readBoundedFile(file, MAX_PROJECT_FILE_BYTES, 'policy file');
    } catch (e) {
      issues.push({ ...here, message: (e as Error).message });
      return undefined;
    }
    const p = parsePolicy(text, file);
    issues.push(...p.issues.map((i) => ({ ...i, message: `${i.message} (policy named at ${here.file}:${here.line})` })));
    return p.policy && { policy: p.policy, source: file };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const p = validatePolicy(value, yaml, ['policy']);
    issues.push(...p.issues);
    return p.policy && { policy: p.policy, source: `${here.file}:${here.line}` };
  }
  issues.push({ ...here, message: 'policy: expected the path of a policy file, or the policy itself (tls:, passwords:, …)' });
  return undefined;
}

/** Check IDs the project file names (disable, severity, waivers) that the catalogue does not know. */
export function validateCheckIds(project: ProjectFile, knownIds: Iterable<string>): ConfigIssue[] {
  const known = new Set(knownIds);
  const out: ConfigIssue[] = [];
  const unknown = (id: string, path: string, what: string) => {
    if (known.has(id)) return;
    const at = project.places[path] ?? { file: project.path, line: 1, column: 1 };
    out.push({ ...at, message: `${what}: unknown check ${id}` });
  };
  project.checks.disable.forEach((id, i) => unknown(id, `checks.disable.${i}`, `checks.disable.${i}`));
  for (const id of Object.keys(project.checks.severity)) unknown(id, `checks.severity.${id}`, 'checks.severity');
  project.waivers.forEach((w, i) => unknown(w.check, `waivers.${i}.check`, `waivers.${i}.check`));
  return out;
}

/**
 * Option names the commands do not have. A `defaults` entry must be an option of at
 * least one command (each command takes the defaults it has); a `commands.X` entry an option of X.
 */
export function validateOptionNames(project: ProjectFile, known: Record<ProjectCommand, readonly string[]>): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const at = (path: string) => project.places[path] ?? { file: project.path, line: 1, column: 1 };
  const anyCommand = new Set(Object.values(known).flat());
  for (const k of Object.keys(project.defaults)) {
    if (!anyCommand.has(k)) out.push({ ...at(`defaults.${k}`), message: `defaults.${k}: no command has an option --${k}` });
  }
  for (const c of PROJECT_COMMANDS) {
    const own = new Set(known[c]);
    for (const k of Object.keys(project.commands[c] ?? {})) {
      if (!own.has(k)) out.push({ ...at(`commands.${c}.${k}`), message: `commands.${c}.${k}: ${c.replace('-', ' ')} has no option --${k}` });
    }
  }
  return out;
}

/**
 * The option values for one command: `defaults` overlaid with `commands.<command>`.
 * `defaults` may hold options this command does not have; the caller keeps those it knows.
 */
export function optionsFor(project: ProjectFile, command: ProjectCommand): OptionValues {
  return { ...project.defaults, ...project.commands[command] };
}
