/**
 * `lint`: the command and its options. The implementation (config parsers, check catalogue, engine) is in
 * ./impl/lint.ts, loaded when the command runs.
 */
import { Option, type Command } from 'commander';
import { CONFIG_FORMATS, type ConfigFormat } from '../collectors/config-formats.js';
import { SEVERITIES, type Severity } from '../core/types.js';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';
import type { SetExit } from './commands.js';

export interface LintFlags {
  format?: ConfigFormat;
  report: ReportFormat;
  output?: string;
  envFile?: string;
  processEnv: boolean;
  policy?: string;
  failOn: Severity | 'none';
  color: boolean;
  verbose?: boolean;
}

export function register(program: Command, setExit: SetExit): void {
  program
    .command('lint')
    .description(
      'Lint Mosquitto and EMQX configs without a broker: mosquitto.conf (with include_dir), ACL, password and PSK files;\n' +
        'EMQX: the files of one directory are one node, layered base.hocon < other files < cluster.hocon < emqx.conf\n' +
        '< EMQX_* environment (--env-file, else this process), and acl.conf (given, or found through authorization.sources).\n' +
        'Directories are searched for config files. Every finding has file:line:column.',
    )
    .argument('<paths...>', 'config files or directories')
    .addOption(new Option('--format <format>', 'force the file format instead of auto-detection').choices([...CONFIG_FORMATS]))
    .addOption(new Option('-r, --report <format>', 'report format').choices([...REPORT_FORMATS]).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file')
    .option('--env-file <file>', 'EMQX_* overrides (KEY=VALUE lines), e.g. the Docker/systemd environment file')
    .option('--no-process-env', 'ignore EMQX_* variables of this process (used when no --env-file is given)')
    .option('--policy <file>', 'security policy (YAML or JSON): thresholds for the checks')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a FAIL at or above this severity exists').choices([...SEVERITIES, 'none']).default('medium'))
    .option('--no-color', 'no colours in the terminal report')
    .option('-v, --verbose', 'show evidence and full remediation in the terminal report')
    .action(async (paths: string[], flags: LintFlags) => {
      const { lintCommand } = await import('./impl/lint.js');
      setExit(lintCommand(paths, flags));
    });
}
