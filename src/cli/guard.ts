/**
 * `mqtt-warden guard`: the login-attempt restriction daemon and its operator
 * commands (test, status, bans, unban). See docs/guard.md.
 */
import { existsSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError, loadConfig, type GuardConfig } from '../guard/config.js';
import { normaliseIp } from '../guard/ip.js';
import { renderReplay, replayFile } from '../guard/replay.js';
import type { StateStore } from '../guard/state.js';
import type { SetExit } from './commands.js';
import { int, UsageError } from './common.js';

interface CommonFlags {
  config?: string;
  state?: string;
  table?: string;
  backend?: GuardConfig['ban']['backend'];
  redis?: string;
}

interface DaemonFlags extends CommonFlags {
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

function configFrom(flags: CommonFlags): GuardConfig {
  let cfg: GuardConfig;
  try {
    cfg = loadConfig(flags.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  if (flags.state) cfg.state = flags.state;
  if (flags.table) cfg.ban.table = flags.table;
  if (flags.backend) cfg.ban.backend = flags.backend;
  if (flags.redis) cfg.redis = { url: flags.redis, prefix: cfg.redis?.prefix ?? 'mqtt-warden:guard' };
  return cfg;
}

function collect(v: string, prev: string[] = []): string[] {
  return [...prev, v];
}

function commonOptions(cmd: Command): Command {
  return cmd
    .option('-c, --config <file>', 'guard configuration (YAML or JSON, see docs/guard.md)')
    .option('--state <file>', 'SQLite state file (default /var/lib/mqtt-warden/guard.db)')
    .option('--table <name>', 'nftables table / ipset name prefix (default mqtt_warden)')
    .addOption(new Option('--backend <name>', 'where bans take effect').choices(['nftables', 'ipset', 'log-only']))
    .option('--redis <url>', 'share bans with the other nodes through Redis (redis://host:port)');
}

// The daemon's modules (SQLite, Redis, Prometheus) load only when a guard command needs them,
// so that every other mqtt-warden command starts as fast as before.
const lazy = {
  backends: () => import('../guard/backends/index.js'),
  daemon: () => import('../guard/daemon.js'),
  redis: () => import('../guard/redis.js'),
  state: () => import('../guard/state.js'),
};

async function stateFile(cfg: GuardConfig): Promise<StateStore> {
  if (!existsSync(cfg.state)) throw new UsageError(`no guard state at ${cfg.state} (has the daemon run? --state FILE)`);
  const { StateStore } = await lazy.state();
  return new StateStore(cfg.state);
}

async function daemon(flags: DaemonFlags): Promise<number> {
  const cfg = configFrom(flags);
  for (const f of flags.log ?? []) cfg.sources.push({ type: 'file', path: f, format: flags.logFormat });
  if (flags.stdin) cfg.sources.push({ type: 'stdin', format: flags.logFormat });
  if (flags.journald) cfg.sources.push({ type: 'journald', unit: flags.journald, format: flags.logFormat });
  if (flags.metricsPort !== undefined) cfg.metrics = { host: cfg.metrics?.host ?? '127.0.0.1', port: flags.metricsPort };
  if (flags.allow) cfg.ban.allow.push(...flags.allow);
  if (flags.fromStart) cfg.startAt = 'start';
  const { GuardDaemon, jsonLogger } = await lazy.daemon();
  const { makeBackend } = await lazy.backends();
  const log = jsonLogger();
  if (flags.remove) {
    await makeBackend(cfg, false).remove();
    log('info', 'removed', { backend: cfg.ban.backend, table: cfg.ban.table });
    return 0;
  }
  if (!cfg.sources.length) throw new UsageError('nothing to watch: give --log FILE, --journald UNIT, --stdin or "sources:" in the config');
  // Signals are caught from here on: a SIGTERM during a long start (catching up on a big log) still stops cleanly.
  let stopRequested!: () => void;
  const stopSignal = new Promise<void>((resolve) => (stopRequested = resolve));
  const onSignal = () => stopRequested();
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  let d: InstanceType<typeof GuardDaemon>;
  try {
    d = new GuardDaemon(cfg, { dryRun: Boolean(flags.dryRun), log });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  try {
    await d.start();
  } catch (e) {
    log('error', 'start failed', { error: (e as Error).message });
    await d.stop().catch(() => undefined);
    return 2;
  }
  if (flags.stdin) process.stdin.once('end', onSignal);
  await stopSignal;
  await d.stop();
  if (flags.stdin) process.stdin.destroy();
  return 0;
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
    .option('--dry-run', 'detect and log bans, touch no firewall and no state file')
    .option('--remove', 'remove the firewall table/sets the guard created, then exit')
    .action(async (flags: DaemonFlags) => setExit(await daemon(flags)));

  guard
    .command('test')
    .description('Replay a log once (like fail2ban-regex): failures, per-address counts, the bans the daemon would issue')
    .argument('<logfile>', 'log file to replay')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option('--no-allow-defaults', 'do not allowlist loopback and this host\'s addresses')
    .option('--top <n>', 'addresses listed per-address (0 = all)', int('--top', 0, 10_000_000), 100)
    .action((file: string, _local: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<{ config?: string; logFormat: 'mosquitto' | 'emqx' | 'generic'; format: 'text' | 'json'; allowDefaults: boolean; top: number }>();
      const cfg = configFrom(flags);
      if (!flags.allowDefaults) cfg.ban.allowDefaults = false;
      if (!existsSync(file)) throw new UsageError(`cannot read log file ${file}: ENOENT`);
      let r;
      try {
        r = replayFile(file, flags.logFormat, cfg, flags.top);
      } catch (e) {
        throw new UsageError(`${file}: ${(e as Error).message}`);
      }
      process.stdout.write(flags.format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderReplay(r, Math.min(flags.top || 20, 20)));
      setExit(0);
    });

  guard
    .command('status')
    .description('State of the guard: active bans, refused logins per address (guard options such as --state go before or after)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (_local: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CommonFlags & { format: 'text' | 'json' }>();
      const cfg = configFrom(flags);
      const st = await stateFile(cfg);
      try {
        const bans = st.activeBans();
        const positions = st.positions().map((p) => ({ ...p, updated: new Date(p.updated).toISOString() }));
        const status = { state: cfg.state, activeBans: bans.length, failures: st.failureTotal(), failuresPerIp: st.failureCounts(20), bans, positions };
        if (flags.format === 'json') process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        else {
          process.stdout.write(`State: ${cfg.state}\nActive bans: ${bans.length}\nRecent refused logins: ${status.failures}\n`);
          for (const f of status.failuresPerIp) process.stdout.write(`  ${(f.ip ?? '(no unique address)').padEnd(40)} ${f.n}\n`);
          for (const p of positions) process.stdout.write(`Source ${p.source}: byte ${p.offset} of inode ${p.inode} (${p.updated})\n`);
        }
      } finally {
        st.close();
      }
      setExit(0);
    });

  guard
    .command('bans')
    .description('List active bans (state and firewall)')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .action(async (_local: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CommonFlags & { format: 'text' | 'json' }>();
      const cfg = configFrom(flags);
      const st = await stateFile(cfg);
      const { makeBackend } = await lazy.backends();
      let rows;
      try {
        rows = st.activeBans();
      } finally {
        st.close();
      }
      let firewall: { ip: string; expiresIn?: number }[] | string;
      try {
        firewall = await makeBackend(cfg, false).list();
      } catch (e) {
        firewall = `unavailable: ${(e as Error).message}`;
      }
      const inFw = new Set(typeof firewall === 'string' ? [] : firewall.map((f) => f.ip));
      const now = Date.now();
      const bans = rows.map((b) => ({ ...b, secondsLeft: Math.round((b.expires - now) / 1000), inFirewall: typeof firewall === 'string' ? null : inFw.has(b.ip) }));
      if (flags.format === 'json') process.stdout.write(`${JSON.stringify({ bans, firewall }, null, 2)}\n`);
      else {
        if (typeof firewall === 'string') process.stdout.write(`firewall (${cfg.ban.backend}) ${firewall}\n`);
        for (const b of bans) process.stdout.write(`${b.ip.padEnd(40)} ${b.reason.padEnd(8)} ${String(b.secondsLeft).padStart(7)} s left  ${b.origin}${b.inFirewall === false ? '  (NOT in firewall)' : ''}\n`);
        if (!bans.length) process.stdout.write('no active bans\n');
      }
      setExit(0);
    });

  guard
    .command('unban')
    .description('Lift a ban (state, firewall and, with --redis, the cluster)')
    .argument('<ip>', 'address to unban')
    .action(async (raw: string, _local: unknown, cmd: Command) => {
      const flags = cmd.optsWithGlobals<CommonFlags>();
      const ip = normaliseIp(raw);
      if (!ip) throw new UsageError(`not an IP address: ${raw}`);
      const cfg = configFrom(flags);
      const st = await stateFile(cfg);
      const { makeBackend } = await lazy.backends();
      let had: boolean;
      try {
        had = st.deleteBan(ip);
      } finally {
        st.close();
      }
      await makeBackend(cfg, false).unban(ip);
      if (cfg.redis) {
        const { RedisSync } = await lazy.redis();
        const r = new RedisSync(cfg.redis.url, cfg.redis.prefix, 'cli', () => undefined, () => undefined);
        try {
          await r.start();
          await r.unban(ip);
        } finally {
          await r.stop();
        }
      }
      process.stdout.write(`${ip}: ${had ? 'unbanned' : 'was not banned in the state; removed from the firewall if present'}\n`);
      setExit(0);
    });
}
