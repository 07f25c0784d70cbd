/**
 * How many endpoints an audit probes at once when `--concurrency auto` (the
 * default): as many as the machine can take, the smallest of three bounds.
 *
 * - File descriptors: the soft `RLIMIT_NOFILE` (Node has no getrlimit, so it is
 *   read from /proc/self/limits; 1024 where that cannot be read). An endpoint
 *   in flight holds at most 2 sockets for the MQTT probe (one conversation at a
 *   time, and one still closing), plus the TLS audit's handshakes on TLS
 *   endpoints. Half of the descriptors above a reserve of 256 are given to
 *   endpoints; the rest stay for files, closing sockets and the host checks.
 * - Memory: a quarter of the available memory, at 1 MiB per endpoint in flight
 *   (a probe buffers little; the bound is generous).
 * - CPU: 128 endpoints per core. A probe mostly waits on the network, and its
 *   CPU work is a few milliseconds; far more in flight than the cores can serve
 *   only makes every operation wait in the event loop, towards `--timeout`.
 *
 * With `--intrusive` auto stays at 4: the intrusive probes load each broker for
 * seconds (paced by `--rate` per probe), and many endpoints are often one broker.
 */
import os from 'node:os';
import { readTextFile } from '../io/read.js';

export const INTRUSIVE_AUTO_CONCURRENCY = 4;
const FD_RESERVE = 256;
const MEMORY_PER_ENDPOINT = 1024 * 1024;
const PER_CORE = 128;

/** The soft limit of open files of this process, from /proc/self/limits (undefined where not readable). */
export function openFileLimit(limitsText?: string): number | undefined {
  let text = limitsText;
  if (text === undefined) {
    try {
      text = readTextFile('/proc/self/limits', 'system', { maxBytes: 64 * 1024, truncate: true });
    } catch {
      return undefined;
    }
  }
  const m = /^Max open files\s+(\S+)/m.exec(text);
  if (!m) return undefined;
  return m[1] === 'unlimited' ? Number.MAX_SAFE_INTEGER : Number(m[1]);
}

export interface ConcurrencyInputs {
  /** Some endpoint is TLS (mqtts, wss): the TLS audit runs beside the probe. */
  tls: boolean;
  /** TLS handshakes in flight per TLS endpoint (--tls-concurrency). */
  tlsConcurrency: number;
  intrusive: boolean;
  /** Overrides for tests: the open-file limit, available memory (bytes), cores. */
  fdLimit?: number;
  freeMemory?: number;
  cores?: number;
}

export interface AutoConcurrency {
  value: number;
  /** Which bound decided, and the three bounds: for notes and --verbose. */
  reason: string;
}

export function autoConcurrency(inp: ConcurrencyInputs): AutoConcurrency {
  if (inp.intrusive) return { value: INTRUSIVE_AUTO_CONCURRENCY, reason: `intrusive probes: ${INTRUSIVE_AUTO_CONCURRENCY}` };
  const fdLimit = inp.fdLimit ?? openFileLimit() ?? 1024;
  const perEndpoint = 2 + (inp.tls ? inp.tlsConcurrency : 0);
  const byFds = Math.floor(Math.max(0, fdLimit - FD_RESERVE) / 2 / perEndpoint);
  const byMemory = Math.floor(((inp.freeMemory ?? os.freemem()) / 4) / MEMORY_PER_ENDPOINT);
  const cores = inp.cores ?? os.availableParallelism();
  const byCpu = PER_CORE * cores;
  const value = Math.max(1, Math.min(byFds, byMemory, byCpu));
  const bound = value === byCpu ? 'CPU' : value === byFds ? 'file descriptors' : 'memory';
  return {
    value,
    reason: `${value} (limited by ${bound}: ${byFds} by ${fdLimit === Number.MAX_SAFE_INTEGER ? 'unlimited' : fdLimit} open files at ${perEndpoint} per endpoint, ${byMemory} by memory, ${byCpu} by ${cores} core(s))`,
  };
}
