/**
 * `mqtt-warden lab`: a deliberately weak MQTT estate on loopback for training, and the project's
 * end-to-end fixture (see docs/lab.md). The commands and options are defined here; their
 * implementation is in ./impl/lab.ts, loaded when a lab command runs.
 */
import { Option, type Command } from 'commander';
import { LAB_DEFAULT_BIND, LAB_PORT_BASE } from '../lab/catalogue.js';
import type { SetExit } from './commands.js';
import { int } from './common.js';
import { outputOptions, type OutputFlags } from './options.js';

const LAB_FORMATS = ['terminal', 'json'] as const;

export interface LabLayoutFlags extends OutputFlags {
  bind: string;
  portBase: number;
}

export interface LabStartFlags extends LabLayoutFlags {
  detach?: boolean;
  scenario?: string[];
  real?: boolean;
  /** Internal: this process is the detached lab that `lab start --detach` spawned. */
  child?: boolean;
}

function scenarios(v: string, prev: string[] = []): string[] {
  return [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];
}

function layoutOptions(cmd: Command): Command {
  return cmd
    .option('--bind <address>', 'loopback address the brokers listen on (anything but loopback is refused)', LAB_DEFAULT_BIND)
    .option('--port-base <port>', `first port of the lab's block (scenario ports are this plus their offset)`, int('--port-base', 1024, 65_500), LAB_PORT_BASE);
}

export function register(program: Command, setExit: SetExit): void {
  const lab = program
    .command('lab')
    .description('A deliberately weak MQTT estate on loopback for training: start, status, stop, list, exercise, score (docs/lab.md). Nothing to install.');

  outputOptions(
    layoutOptions(
      lab
        .command('start')
        .description(`Start the lab's brokers on loopback (ports ${LAB_PORT_BASE}…); in the foreground until Ctrl-C, or in the background with --detach`),
    ),
    { formats: LAB_FORMATS },
  )
    .option('-d, --detach', 'start in a background process and return once every broker listens (state file under $XDG_STATE_HOME/mqtt-warden/lab/)')
    .option('--scenario <names>', 'start only these scenarios (comma-separated or repeated; see `lab list`)', scenarios)
    .option('--real', 'also start real Mosquitto brokers from generated weak configs (needs mosquitto installed)')
    .addOption(new Option('--child').hideHelp())
    .action(async (flags: LabStartFlags) => {
      const { labStart } = await import('./impl/lab.js');
      setExit(await labStart(flags));
    });

  outputOptions(lab.command('status').description('Show the running lab (from its state file) and whether each port answers; exit 1 when no lab runs or a port does not answer'), { formats: LAB_FORMATS })
    .action(async (flags: OutputFlags) => {
      const { labStatus } = await import('./impl/lab.js');
      setExit(await labStatus(flags));
    });

  outputOptions(lab.command('stop').description('Stop the running lab: its process, every broker and port, and its state file'), { formats: LAB_FORMATS })
    .action(async (flags: OutputFlags) => {
      const { labStop } = await import('./impl/lab.js');
      setExit(await labStop(flags));
    });

  outputOptions(lab.command('list').description('List the scenarios, their ports and the planted weaknesses with the check that must find each'), { formats: LAB_FORMATS })
    .action(async (flags: OutputFlags) => {
      const { labList } = await import('./impl/lab.js');
      setExit(labList(flags));
    });

  outputOptions(
    lab
      .command('exercise')
      .description('List the training exercises with their instructions, or show one')
      .argument('[name]', 'the exercise to show (find, harden, brute-force)'),
    { formats: LAB_FORMATS },
  ).action(async (name: string | undefined, flags: OutputFlags) => {
    const { labExercise } = await import('./impl/lab.js');
    setExit(labExercise(name, flags));
  });

  outputOptions(
    layoutOptions(
      lab
        .command('score')
        .description('Score a JSON audit report of the lab: which planted weaknesses it found, which it missed (with hints); exit 1 when one was missed')
        .argument('<report.json>', 'a report of `mqtt-warden audit … -f json -o FILE`'),
    ),
    { formats: LAB_FORMATS },
  ).action(async (file: string, flags: LabLayoutFlags, cmd: Command) => {
    const { labScore } = await import('./impl/lab.js');
    setExit(labScore(file, flags, cmd));
  });
}
