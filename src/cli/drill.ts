/**
 * `mqtt-warden drill`: rehearsals that verify the defences detect and block an attack (docs/drill.md).
 * The commands and options are here; the implementation is in ./impl/drill.ts, loaded when a command runs.
 */
import { Option, type Command } from 'commander';
import { REPORT_FORMATS } from '../reporters/formats.js';
import type { SetExit } from './commands.js';
import { int } from './common.js';
import { judgeOptions, outputOptions, type JudgeFlags, type OutputFlags } from './options.js';
import type { ProjectFlags } from './project.js';

export interface DrillRunFlags extends JudgeFlags, ProjectFlags {
  target: string;
  authorized?: string;
  source?: string[];
  guardState?: string;
  nftTable?: string | true;
  redis?: string;
  redisPrefix: string;
  brokerLog?: string;
  emqxApi?: string;
  emqxKeyEnv?: string;
  webhookPort?: number;
  user?: string;
  passwordEnv?: string;
  timeout: number;
  journal?: string;
}

const collect = (v: string, prev: string[] = []) => [...prev, v];

export function register(program: Command, setExit: SetExit): void {
  const drill = program
    .command('drill')
    .description('Rehearse an attack within safety caps and verify the defences detect and block it in time: list, show, validate, run (docs/drill.md)');

  outputOptions(drill.command('list').description('The built-in drills: id, title, strategies, and the MQTT 5 detection items (spec section 5.4.8) they rehearse'), { formats: ['terminal', 'json'] }).action(
    async (flags: OutputFlags) => {
      const { drillList } = await import('./impl/drill.js');
      setExit(drillList(flags));
    },
  );

  drill
    .command('show')
    .description('Show a drill (built-in id or file): safety block, steady-state probes, steps with their expectations, rollback')
    .argument('<drill>', 'built-in drill id, or a drill file')
    .action(async (name: string) => {
      const { drillShow } = await import('./impl/drill.js');
      setExit(drillShow(name));
    });

  drill
    .command('validate')
    .description('Validate drill files against the drill schema and every inject kind\'s parameters; errors at file:line (exit 2)')
    .argument('<files...>', 'drill files')
    .action(async (files: string[]) => {
      const { drillValidate } = await import('./impl/drill.js');
      setExit(drillValidate(files));
    });

  const run = drill
    .command('run')
    .description(
      'Run a drill against a target and judge its journal (checks CFG-090…CFG-093). A target not on loopback is refused (exit 2, nothing sent) unless --authorized names it exactly',
    )
    .argument('<drill>', 'built-in drill id, or a drill file')
    .requiredOption('--target <url>', 'the broker to rehearse against: mqtt://host:port (also mqtts://, ws://, wss://)')
    .option('--authorized <target>', 'host:port or host: the non-loopback target you are authorized to attack, named exactly')
    .option('--source <addr>', 'local address to attack from (repeatable; the expectations look for these)', collect)
    .option('--guard-state <db>', 'guard\'s SQLite state file: look for its bans there (read-only; the unban rollback deletes the drill\'s own)')
    .addOption(new Option('--nft-table [table]', 'look for guard\'s bans in this nftables table (family inet; without a value guard\'s mqtt_warden_guard)').preset(true))
    .option('--redis <url>', 'look for guard\'s bans in Redis (keys <prefix>:ban:<ip>)')
    .option('--redis-prefix <prefix>', 'guard\'s Redis key prefix', 'mqtt-warden:guard')
    .option('--broker-log <file>', 'the broker\'s log file: look for the lines the expectations name')
    .option('--emqx-api <url>', 'EMQX REST API base (http://host:18083): look for bans in GET /api/v5/banned')
    .option('--emqx-key-env <var>', 'environment variable holding the EMQX API key for --emqx-api as KEY:SECRET (never on the command line, where the process list shows it)')
    .option('--webhook-port <port>', 'listen on 127.0.0.1:PORT for alerts (webhook expectations)', int('--webhook-port', 0, 65535))
    .option('-u, --user <name>', 'the known client (steady-state probes, the sweep\'s identity)')
    .option('--password-env <var>', 'environment variable holding the known client\'s password')
    .option('--timeout <ms>', 'per network operation', int('--timeout', 100, 60_000), 3000)
    .option('--journal <file>', 'also write the full journal (JSON) to this file');
  judgeOptions(run, { formats: REPORT_FORMATS, what: 'report' });
  run.action(async (name: string, flags: DrillRunFlags) => {
    const { drillRun } = await import('./impl/drill.js');
    setExit(await drillRun(name, flags));
  });
}
