/**
 * `mqtt-warden guard test LOGFILE`: the implementation, loaded by ../guard.ts.
 * Kept apart from ./guard.ts (daemon, state, firewall) and light on purpose:
 * without --config it loads neither the YAML parser nor the schema library,
 * only the replay (see docs/guard.md, Benchmark).
 */
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { GuardConfig } from '../../guard/config.js';
import { defaultGuardConfig } from '../../guard/defaults.js';
import { renderReplay, replayFile } from '../../guard/replay.js';
import { UsageError } from '../common.js';
import type { CommonFlags } from '../guard.js';
import type { OutputFlags } from '../options.js';
import { writeOutput } from '../write.js';

/** The guard options common to every guard command, applied over the configuration. */
export function applyCommonFlags(cfg: GuardConfig, flags: CommonFlags): GuardConfig {
  if (flags.state) cfg.state = flags.state;
  if (flags.table) cfg.ban.table = flags.table;
  if (flags.backend) cfg.ban.backend = flags.backend;
  if (flags.redis) cfg.redis = { url: flags.redis, prefix: cfg.redis?.prefix ?? 'mqtt-warden:guard' };
  return cfg;
}

/** `guard test LOGFILE` after its options are parsed; returns the exit code. */
export async function guardTest(file: string, _local: unknown, cmd: Command): Promise<number> {
  const flags = cmd.optsWithGlobals<OutputFlags & CommonFlags & { logFormat: 'mosquitto' | 'emqx' | 'generic'; format: 'terminal' | 'json'; allowDefaults: boolean; top: number }>();
  const cfg = flags.config ? (await import('./guard.js')).configFrom(flags) : applyCommonFlags(defaultGuardConfig(), flags);
  if (!flags.allowDefaults) cfg.ban.allowDefaults = false;
  if (!existsSync(file)) throw new UsageError(`cannot read log file ${file}: ENOENT`);
  let r;
  try {
    r = replayFile(file, flags.logFormat, cfg, flags.top);
  } catch (e) {
    throw new UsageError(`${file}: ${(e as Error).message}`);
  }
  // --top given is what is shown (0 = all); by default 20 addresses, all with -v.
  const shown = cmd.getOptionValueSource('top') === 'cli' || flags.verbose ? flags.top || r.perIp.length : Math.min(flags.top || 20, 20);
  writeOutput(flags.format === 'json' ? `${JSON.stringify(r, null, 2)}\n` : renderReplay(r, shown), flags, `${flags.format} replay`);
  return 0;
}
