/**
 * The one command surface: option groups shared by every command, so that the
 * same option has the same spelling, meaning and default everywhere (Trivy's
 * report flag group is the model).
 *
 * - outputOptions: every command that prints something: -f/--format, -o/--output,
 *   --no-color (NO_COLOR / FORCE_COLOR honoured), -v/--verbose, -q/--quiet.
 * - judgeOptions: every command that judges (audit, lint, passwd audit, ports --check):
 *   the output group plus --fail-on, --baseline and the project file.
 *
 * Old spellings keep working for now; each prints one deprecation note on stderr.
 * This module stays light: it is loaded at start-up by every command.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { SEVERITIES, type Severity } from '../core/types.js';
import { UsageError } from './common.js';

/** The human format's one name; `text` and `table` were its names in some commands. */
export const HUMAN_FORMAT = 'terminal';
const HUMAN_ALIASES = ['text', 'table'];

const noted = new Set<string>();
/** One deprecation note on stderr per old spelling and run. */
export function deprecated(old: string, instead: string): void {
  if (noted.has(old)) return;
  noted.add(old);
  process.stderr.write(`mqtt-warden: ${old} is deprecated: ${instead}\n`);
}

export interface OutputFlags {
  format: string;
  output?: string;
  color: boolean;
  verbose?: boolean;
  quiet?: boolean;
}

export interface JudgeFlags extends OutputFlags {
  failOn: Severity | 'none';
  baseline?: string;
  /** The project file (mqtt-warden.yaml); false with --no-config-file. */
  configFile?: string | false;
  /** Store the run in the history database: its path, or true for the default one (docs/history.md). */
  history?: string | true;
  /** Only findings the previous run of the same scope did not have count for the exit code. */
  failOnNew?: boolean;
}

/** Parser of -f values: the command's formats, the old human-format names (noted), and extra values a command resolves itself. */
function formatParser(formats: readonly string[], extra: readonly string[]) {
  return (v: string) => {
    if (formats.includes(v) || extra.includes(v)) return v;
    if (HUMAN_ALIASES.includes(v) && formats.includes(HUMAN_FORMAT)) {
      deprecated(`--format ${v}`, `the human format is called "${HUMAN_FORMAT}" in every command`);
      return HUMAN_FORMAT;
    }
    throw new InvalidArgumentError(`Allowed choices are ${formats.join(', ')}.`);
  };
}

export interface OutputGroup {
  /** Output formats of the command, the human one first. */
  formats: readonly string[];
  /** What -f chooses the format of, for --help. */
  what?: string;
  /** Values -f also accepts for backward compatibility, resolved by the command (e.g. lint's old --format emqx). */
  legacyValues?: readonly string[];
}

export function outputOptions(cmd: Command, g: OutputGroup): Command {
  return cmd
    .addOption(new Option('-f, --format <format>', `${g.what ?? 'output'} format (${g.formats.join(', ')})`).argParser(formatParser(g.formats, g.legacyValues ?? [])).default(g.formats[0]))
    .option('-o, --output <file>', 'write to this file instead of standard output')
    .option('--no-color', 'no colours (also: NO_COLOR set; FORCE_COLOR forces them)')
    .addOption(new Option('-v, --verbose', 'more detail: evidence, references, passed and skipped checks').conflicts('quiet'))
    .option('-q, --quiet', 'only the summary and what failed; no progress or notes on stderr');
}

const SEVERITY_CHOICES = [...SEVERITIES, 'none'];

export function judgeOptions(cmd: Command, g: OutputGroup): Command {
  return outputOptions(cmd, g)
    .addOption(new Option('--fail-on <severity>', 'exit 1 when an unsuppressed FAIL at or above this severity exists (none: never); an ERROR result exits 2').choices(SEVERITY_CHOICES).default('medium'))
    .option('--baseline <report.json>', 'report only findings that are not in this earlier JSON report (matched by fingerprint)')
    .option('--config-file <file>', 'project file: option defaults, policy, checks turned off, severity overrides, waivers (default: ./mqtt-warden.yaml if present)')
    .option('--no-config-file', 'ignore ./mqtt-warden.yaml')
    .option('--history [db]', 'store the run in the history database (default: the project file\'s history, else $XDG_STATE_HOME/mqtt-warden/history.db)')
    .option('--fail-on-new', 'with --history: only findings the previous run of the same targets did not have count for the exit code');
}

/** A hidden old spelling that sets the new option, with a deprecation note when used. */
export function legacyOption(cmd: Command, flags: string, target: string, instead: string, parse: (v: string) => unknown = (v) => v): Command {
  const opt = new Option(flags).hideHelp();
  // Every spelling of the old option (`-r, --report <format>` → `-r/--report`): the note cannot tell which one was typed.
  const name = flags.replace(/\s*[<[].*$/, '').split(/,\s*/).join('/');
  opt.argParser((v: string) => {
    deprecated(name, instead);
    cmd.setOptionValueWithSource(target, parse(v), 'cli');
    return undefined;
  });
  return cmd.addOption(opt);
}

/** Colours for the human format: asked for, not turned off by NO_COLOR, and a terminal (or FORCE_COLOR). */
export function useColor(flags: OutputFlags): boolean {
  if (!flags.color || flags.format !== HUMAN_FORMAT || process.env.NO_COLOR) return false;
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true;
  return Boolean(process.stdout.isTTY) && !flags.output;
}

/** A modifier option and what it needs: `needs` is true when the option it modifies is in force. */
export interface Requirement {
  /** Attribute name(s) of the modifier option(s), e.g. 'zone' for --zone, 'maxAttempts' for --max-attempts. */
  modifier: string | readonly string[];
  /** Whether what the modifier modifies is in force (evaluated on the parsed values, wherever they came from). */
  needs: boolean;
  /** What it goes with, for the message: "--render firewalld". */
  with: string;
}

/**
 * A modifier without the option it modifies is a usage error, not a silent no-op: checks every rule whose
 * modifier was given on the command line (commander's value source 'cli'; project-file defaults are
 * not the user's words on this run). The message names the modifier as the user spelt it.
 */
export function requires(cmd: Command, rules: readonly Requirement[]): void {
  for (const r of rules) {
    if (r.needs) continue;
    for (const attr of typeof r.modifier === 'string' ? [r.modifier] : r.modifier) {
      if (cmd.getOptionValueSource(attr) !== 'cli') continue;
      const opts = cmd.options.filter((o) => o.attributeName() === attr);
      const opt = opts.find((o) => o.negate === (cmd.getOptionValue(attr) === false)) ?? opts[0];
      throw new UsageError(`${opt?.long ?? attr} goes with ${r.with}`, true);
    }
  }
}

/**
 * `--emqx-version X.Y` of the commands that judge EMQX configs (lint, audit): the release whose
 * defaults are assumed when the files do not reveal theirs (their documentation links do). Without
 * it the latest 6.x is assumed, and findings about defaults say so.
 */
/** What `emqxEnvOptions` adds to a command's flags. */
export interface EmqxEnvFlags {
  envFile?: string;
  processEnv: boolean;
  emqxVersion?: string;
}

/**
 * The EMQX environment of the commands that read EMQX configs (lint, ports): EMQX_* overrides from an env file
 * or this process (etc/emqx.env next to emqx.conf is read over both), and the release whose defaults apply.
 */
export function emqxEnvOptions(cmd: Command): Command {
  cmd
    .option('--env-file <file>', 'EMQX_* overrides (KEY=VALUE lines), e.g. the Docker/systemd environment file')
    .option('--no-process-env', 'ignore EMQX_* variables of this process (used when no --env-file is given)');
  return emqxVersionOption(cmd);
}

export function emqxVersionOption(cmd: Command): Command {
  return cmd.option('--emqx-version <X.Y>', 'EMQX release whose defaults to assume when the configs do not reveal theirs, e.g. 5.8 (default: the latest 6.x)', (v: string) => {
    if (!/^v?\d+\.\d+(\.\d+)?$/.test(v.trim())) throw new InvalidArgumentError('expected a release such as 6.3 or 5.8.');
    return v.trim();
  });
}
