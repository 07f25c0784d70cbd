/**
 * `mqtt-warden guard`: the implementation of the daemon and its operator commands, loaded by ../guard.ts
 * when a guard command runs.
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { FirewallError } from '../../firewall/run.js';
import { ConfigError, loadConfig, type GuardConfig } from '../../guard/config.js';
import { isCidr, normaliseTarget } from '../../guard/ip.js';
import type { StateStore } from '../../guard/state.js';
import { UsageError } from '../common.js';
import type { OutputFlags } from '../options.js';
import { writeOutput } from '../write.js';
import { applyCommonFlags } from './guard-test.js';
import type { CommonFlags, DaemonFlags } from '../guard.js';

export function configFrom(flags: CommonFlags): GuardConfig {
  let cfg: GuardConfig;
  try {
    cfg = loadConfig(flags.config);
  } catch (e) {
    if (e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  return applyCommonFlags(cfg, flags);
}

// The daemon's modules (SQLite, Redis, Prometheus) load only when a guard command needs them,
// so that every other mqtt-warden command starts as fast as before.
const lazy = {
  backends: () => import('../../guard/backends/index.js'),
  daemon: () => import('../../guard/daemon.js'),
  redis: () => import('../../guard/redis.js'),
  state: () => import('../../guard/state.js'),
};

async function stateFile(cfg: GuardConfig): Promise<StateStore> {
  if (!existsSync(cfg.state)) throw new UsageError(`no guard state at ${cfg.state} (has the daemon run? --state FILE)`);
  const { StateStore } = await lazy.state();
  return new StateStore(cfg.state);
}

/** The `guard` daemon after its options are parsed; returns the exit code. */
export async function daemon(flags: DaemonFlags): Promise<number> {
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
    const backend = makeBackend(cfg, false);
    try {
      if (flags.dryRun) {
        // Plan → apply: the preview names what --remove would delete and deletes nothing.
        const what = await backend.describeRemove();
        process.stdout.write(what.length ? `${what.join('\n')}\n` : `nothing to remove (${cfg.ban.backend}, table ${cfg.ban.table})\n`);
        process.stderr.write('mqtt-warden: dry run, nothing changed; run without --dry-run to remove\n');
        return 0;
      }
      await backend.remove();
    } catch (e) {
      if (e instanceof FirewallError) throw new UsageError(e.message, true);
      throw e;
    }
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

/** `guard status` after its options are parsed; returns the exit code. */
export async function guardStatus(_local: unknown, cmd: Command): Promise<number> {
  const flags = cmd.optsWithGlobals<CommonFlags & OutputFlags>();
  const cfg = configFrom(flags);
  const st = await stateFile(cfg);
  const out: string[] = [];
  try {
    const bans = st.activeBans();
    const positions = st.positions().map((p) => ({ ...p, updated: new Date(p.updated).toISOString() }));
    const status = { state: cfg.state, activeBans: bans.length, failures: st.failureTotal(), failuresPerIp: st.failureCounts(20), bans, positions };
    if (flags.format === 'json') out.push(JSON.stringify(status, null, 2));
    else {
      const networks = bans.filter((b) => isCidr(b.ip)).length;
      out.push(`State: ${cfg.state}`, `Active bans: ${bans.length}${networks ? ` (${networks} of whole networks: ${bans.filter((b) => isCidr(b.ip)).map((b) => b.ip).join(', ')})` : ''}`, `Recent refused logins: ${status.failures}`);
      for (const f of status.failuresPerIp) out.push(`  ${(f.ip ?? '(no unique address)').padEnd(40)} ${f.n}`);
      for (const p of positions) out.push(`Source ${p.source}: byte ${p.offset} of inode ${p.inode} (${p.updated})`);
    }
  } finally {
    st.close();
  }
  writeOutput(`${out.join('\n')}\n`, flags, `${flags.format} status`);
  return 0;
}

/** `guard bans` after its options are parsed; returns the exit code. */
export async function guardBans(_local: unknown, cmd: Command): Promise<number> {
  const flags = cmd.optsWithGlobals<CommonFlags & OutputFlags>();
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
  const out: string[] = [];
  if (flags.format === 'json') out.push(JSON.stringify({ bans, firewall }, null, 2));
  else {
    if (typeof firewall === 'string') out.push(`firewall (${cfg.ban.backend}) ${firewall}`);
    for (const b of bans) {
      const members = b.members?.length ? `  (network; from ${b.members.length} addresses: ${b.members.slice(0, 5).join(', ')}${b.members.length > 5 ? ', …' : ''})` : '';
      out.push(`${b.ip.padEnd(40)} ${b.reason.padEnd(8)} ${String(b.secondsLeft).padStart(7)} s left  ${b.origin}${b.inFirewall === false ? '  (NOT in firewall)' : ''}${members}`);
    }
    if (!bans.length) out.push('no active bans');
  }
  writeOutput(`${out.join('\n')}\n`, flags, `${flags.format} ban list`);
  return 0;
}

/**
 * `guard unban IP|CIDR` after its options are parsed; returns the exit code. With --dry-run: what would change,
 * changing nothing. A network is unbanned as the exact network banned (10.1.2.0/24), not address by address.
 */
export async function guardUnban(raw: string, _local: unknown, cmd: Command): Promise<number> {
  const flags = cmd.optsWithGlobals<CommonFlags & { dryRun?: boolean }>();
  const ip = normaliseTarget(raw);
  if (!ip) throw new UsageError(`not an IP address or network (CIDR): ${raw}`);
  const cfg = configFrom(flags);
  const st = await stateFile(cfg);
  const { makeBackend } = await lazy.backends();
  const backend = makeBackend(cfg, false);
  if (flags.dryRun) {
    let ban;
    try {
      ban = st.activeBans().find((b) => b.ip === ip);
    } finally {
      st.close();
    }
    let inFirewall: string;
    try {
      inFirewall = (await backend.list()).some((b) => b.ip === ip) ? 'in the firewall: would be removed' : 'not in the firewall';
    } catch (e) {
      inFirewall = `firewall unavailable: ${(e as Error).message}`;
    }
    process.stdout.write(
      `${ip}: ${ban ? `banned in the state until ${new Date(ban.expires).toISOString()}: would be unbanned` : 'not banned in the state'}; ${inFirewall}` +
        `${cfg.redis ? `; would be unbanned in the cluster (${cfg.redis.prefix})` : ''}\n`,
    );
    process.stderr.write('mqtt-warden: dry run, nothing changed\n');
    return 0;
  }
  let had: boolean;
  try {
    had = st.deleteBan(ip);
  } finally {
    st.close();
  }
  try {
    await backend.unban(ip);
  } catch (e) {
    if (e instanceof FirewallError) throw new UsageError(e.message, true);
    throw e;
  }
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
  return 0;
}
