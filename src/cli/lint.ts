/**
 * `lint`: the command and its options. The implementation (config parsers, check catalogue, engine) is in
 * ./impl/lint.ts, loaded when the command runs.
 */
import { Option, type Command } from 'commander';
import { CONFIG_FORMATS, type ConfigFormat } from '../collectors/config-formats.js';
import { REPORT_FORMATS } from '../reporters/formats.js';
import type { ProjectFlags } from './project.js';
import { deprecated, emqxEnvOptions, judgeOptions, legacyOption, type EmqxEnvFlags, type JudgeFlags } from './options.js';
import type { SetExit } from './commands.js';

export interface LintFlags extends JudgeFlags, ProjectFlags, EmqxEnvFlags {
  configType?: ConfigFormat;
  policy?: string;
  mosquittoVersion?: string;
}

export function register(program: Command, setExit: SetExit): void {
  const lint = program
    .command('lint')
    .description(
      'Lint Mosquitto and EMQX configs without a broker: mosquitto.conf (with include_dir), ACL, password and PSK files;\n' +
        'EMQX: the files of one directory are one node, layered base.hocon < other files < cluster.hocon < emqx.conf\n' +
        '< EMQX_* environment (--env-file, else this process; etc/emqx.env next to emqx.conf over both: EMQX_SECURITY_PROFILE),\n' +
        'and acl.conf (given, or found through authorization.sources). Defaults follow the EMQX release (--emqx-version).\n' +
        'Directories are searched for config files. Every finding has file:line:column.',
    )
    .argument('<paths...>', 'config files or directories')
    .addOption(new Option('--config-type <type>', 'force the file type instead of auto-detection').choices([...CONFIG_FORMATS]))
    .option('--policy <file>', 'security policy (YAML or JSON): thresholds for the checks')
    .option('--mosquitto-version <X.Y>', 'the Mosquitto version the configs are for (e.g. 2.0 or 2.1): its defaults and options apply (unknown: both are stated)');
  emqxEnvOptions(lint);
  // Until 0.2 `--format` chose the file type and `-r/--report` the report format.
  judgeOptions(lint, { formats: REPORT_FORMATS, what: 'report', legacyValues: CONFIG_FORMATS });
  legacyOption(lint, '-r, --report <format>', 'format', 'use -f/--format');
  lint.action(async (paths: string[], flags: LintFlags) => {
    if ((CONFIG_FORMATS as readonly string[]).includes(flags.format)) {
      deprecated(`--format ${flags.format}`, `-f/--format is the report format; the file type is --config-type ${flags.format}`);
      flags.configType ??= flags.format as ConfigFormat;
      flags.format = 'terminal';
    }
    const { lintCommand } = await import('./impl/lint.js');
    setExit(await lintCommand(paths, flags));
  });
}
