/**
 * `mqtt-warden history`: the runs stored by `--history` (docs/history.md).
 *   history list [--scope KEY] [--limit N]    runs, newest first, with their scope and counts
 *   history show RUN                          a stored run as a report in any report format
 *   history diff [A] [B]                      new, fixed, still open and changed findings between two
 *                                             runs (default: the last two runs of the latest scope)
 * The implementation (SQLite) is in ./impl/history.ts, loaded when a command runs.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { REPORT_FORMATS } from '../reporters/formats.js';
import type { SetExit } from './commands.js';
import { int, UsageError } from './common.js';
import { outputOptions, type JudgeFlags } from './options.js';
import type { ProjectFlags } from './project.js';

const runId = (v: string) => {
  const s = v.replace(/^#/, '');
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new InvalidArgumentError('a run is named by its number (history list shows them), e.g. 12 or #12');
  return Number(s);
};

export interface HistoryCommandFlags {
  format: string;
  output?: string;
  color: boolean;
  verbose?: boolean;
  quiet?: boolean;
  history?: string;
  configFile?: string | false;
}

function dbOptions(cmd: Command): Command {
  return cmd
    .option('--history <db>', 'the history database (default: the project file\'s history, else $XDG_STATE_HOME/mqtt-warden/history.db)')
    .option('--config-file <file>', 'project file whose `history:` names the database (default: ./mqtt-warden.yaml if present)')
    .option('--no-config-file', 'ignore ./mqtt-warden.yaml');
}

export function register(program: Command, setExit: SetExit): void {
  const history = program.command('history').description('Runs stored with --history: list them, show one, compare two (drift)');

  const list = dbOptions(history.command('list').description('List the stored runs, newest first, with their scope and findings'))
    .option('--scope <key>', 'only the runs of this scope (the key history list shows)')
    .option('--limit <n>', 'at most this many runs', int('--limit', 1, 1_000_000), 50);
  outputOptions(list, { formats: ['terminal', 'json'] }).action(async (flags: HistoryCommandFlags & { scope?: string; limit: number }) => {
    const { historyList } = await import('./impl/history.js');
    setExit(historyList(flags));
  });

  const show = dbOptions(history.command('show').description('Show a stored run as a report (any report format; html with the trend of its scope)').argument('<run>', 'run number', runId));
  outputOptions(show, { formats: REPORT_FORMATS, what: 'report' }).action(async (run: number, flags: HistoryCommandFlags) => {
    const { historyShow } = await import('./impl/history.js');
    setExit(historyShow(run, flags));
  });

  const diff = dbOptions(
    history
      .command('diff')
      .description('Compare two runs of one scope: new, fixed, still open and changed-severity findings, and the counts.\nWithout runs: the last two runs of the scope of the latest run; with one run: that run and the one before it in its scope')
      .argument('[a]', 'the older run', runId)
      .argument('[b]', 'the newer run', runId),
  ).option('--fail-on-new', 'exit 1 when the newer run has findings the older one did not have');
  outputOptions(diff, { formats: ['terminal', 'json'] }).action(async (a: number | undefined, b: number | undefined, flags: HistoryCommandFlags & { failOnNew?: boolean }) => {
    const { historyDiff } = await import('./impl/history.js');
    setExit(historyDiff(a, b, flags));
  });
}

/**
 * Before a judging command runs: --fail-on-new needs --history, and the history database
 * must be usable, so that a damaged file stops the command before a long audit, not after it.
 */
export async function checkHistoryOptions(cmd: Command): Promise<void> {
  const flags = cmd.opts<JudgeFlags & ProjectFlags>();
  if (flags.failOnNew && !flags.history) throw new UsageError('--fail-on-new goes with --history (the previous run it compares with is stored there)', true);
  if (!flags.history) return;
  // `ports` judges only with --check; its action refuses --history without it, before any file is made.
  if (cmd.name() === 'ports' && !cmd.getOptionValue('check')) return;
  const { historyPath } = await import('./history-path.js');
  const { History, HistoryError } = await import('../history/db.js');
  try {
    History.open(historyPath(flags), { create: true }).close();
  } catch (e) {
    if (e instanceof HistoryError) throw new UsageError(e.message, true);
    throw e;
  }
}
