/**
 * `mqtt-warden guard`: the login-attempt restriction daemon and its operator
 * commands (test, status, bans, unban). See docs/guard.md. The commands and options
 * are defined here; their implementation (config loader, log replay, daemon) is in
 * ./impl/guard.ts (./impl/guard-test.ts for `guard test`), loaded when a guard command runs.
 */
import { Option, type Command } from 'commander';
import type { GuardConfig } from '../guard/config.js';
import type { SetExit } from './commands.js';
import { int } from './common.js';
import { outputOptions, requires } from './options.js';

const GUARD_FORMATS = ['terminal', 'json'] as const;

export interface CommonFlags {
  config?: string;
  state?: string;
  table?: string;
  backend?: GuardConfig['ban']['backend'];
  redis?: string;
}

export interface DaemonFlags extends CommonFlags {
  log?: string[];
  logFormat: 'mosquitto' | 'emqx' | 'generic';
  stdin?: boolean;
  journald?: string;
  dryRun?: boolean;
  remove?: boolean;
  metricsPort?: number;
  allow?: string[];
  fromStart?: boolean;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function commonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'guard configuration (YAML or JSON, see docs/guard.md)')
    .option('--state <file>', 'SQLite state file (default /var/lib/mqtt-warden/guard.db)')
    .option('--table <name>', 'nftables table / ipset and iptables chain name prefix (default mqtt_warden_guard; never the port plan\'s table)')
    .addOption(new Option('--backend <name>', 'where bans take effect').choices(['nftables', 'ipset', 'log-only']))
    .option('--redis <url>', 'share bans with the other nodes through Redis (redis://host:port)');
}

export function register(program: Command, setExit: SetExit): void {
  const guard = commonOptions(
    program
      .command('guard')
      .description('Ban addresses that fail MQTT logins (log watch → nftables/ipset bans, SQLite state, optional Redis cluster sync). Foreground daemon; SIGTERM/SIGINT stop it.'),
  )
    .option('--log <file>', 'follow this broker log file (repeatable)', collect)
    .addOption(new Option('--log-format <format>', 'format of --log/--stdin/--journald sources').choices(['mosquitto', 'emqx', 'generic']).default('mosquitto'))
    .option('--stdin', 'read log lines from standard input')
    .option('--journald <unit>', 'follow a systemd unit through journalctl -f -o json')
    .option('--allow <cidr>', 'never ban this address or CIDR (repeatable; loopback and own addresses are allowed by default)', collect)
    .option('--from-start', 'read log files without a stored position from their start (default: from their end)')
    .option('--metrics-port <port>', 'serve Prometheus metrics on 127.0.0.1:PORT', int('--metrics-port', 0, 65535))
    .option('--dry-run', 'change nothing: detect and log bans without firewall or state file; with --remove or unban, print what would change')
    .option('--remove', 'remove the firewall table/sets/chain the guard created (only those), then exit')
    .action(async (flags: DaemonFlags, cmd: Command) => {
      requires(cmd, [
        {
          modifier: ['log', 'stdin', 'journald', 'fromStart', 'metricsPort', 'allow', 'logFormat'],
          needs: !flags.remove,
          with: 'the daemon: --remove only removes the guard\'s firewall and exits',
        },
        { modifier: 'fromStart', needs: Boolean(flags.log?.length || flags.config), with: '--log (or file sources in --config)' },
        { modifier: 'logFormat', needs: Boolean(flags.log?.length || flags.stdin || flags.journald), with: '--log, --stdin or --journald (sources in --config name their own format)' },
      ]);
      const { daemon } = await import('./impl/guard.js');
      setExit(await daemon(flags));
    });

  outputOptions(
    guard
      .command('test')
      .description('Replay a log once (like fail2ban-regex): failures, per-address counts, the bans the daemon would issue')
      .argument('<logfile>', 'log file to replay'),
    { formats: GUARD_FORMATS },
  )
    .option('--no-allow-defaults', 'do not allowlist loopback and this host\'s addresses')
    .option('--top <n>', 'addresses listed per-address (0 = all)', int('--top', 0, 10_000_000), 100)
    .action(async (file: string, _local: unknown, cmd: Command) => {
      const { guardTest } = await import('./impl/guard-test.js');
      setExit(await guardTest(file, _local, cmd));
    });

  outputOptions(guard.command('status').description('State of the guard: active bans, refused logins per address (guard options such as --state go before or after)'), { formats: GUARD_FORMATS })
    .action(async (_local: unknown, cmd: Command) => {
      const { guardStatus } = await import('./impl/guard.js');
      setExit(await guardStatus(_local, cmd));
    });

  outputOptions(guard.command('bans').description('List active bans (state and firewall)'), { formats: GUARD_FORMATS })
    .action(async (_local: unknown, cmd: Command) => {
      const { guardBans } = await import('./impl/guard.js');
      setExit(await guardBans(_local, cmd));
    });

  guard
    .command('unban')
    .description('Lift a ban (state, firewall and, with --redis, the cluster)')
    .argument('<ip>', 'address, or network as banned (CIDR, e.g. 203.0.113.0/24), to unban')
    .action(async (raw: string, _local: unknown, cmd: Command) => {
      const { guardUnban } = await import('./impl/guard.js');
      setExit(await guardUnban(raw, _local, cmd));
    });
}
