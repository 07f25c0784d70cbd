/**
 * `guard test LOGFILE`: replay a log once, like fail2ban-regex, and say what
 * the daemon would detect and ban. Nothing is banned and no state is written.
 */
import { closeSync, readSync } from 'node:fs';
import { openRegularFile } from '../io/read.js';
import type { GuardConfig } from './config.js';
import { Detector, type BanDecision, type SwarmReport, type UsernameReport } from './detector.js';
import { LineSplitter, type LineCounters } from './lines.js';
import { detectorConfig, makeAllowList, makeParser, type Format } from './pipeline.js';

export interface ReplayResult {
  file: string;
  format: Format;
  /** Refused logins, each counted once. */
  failures: number;
  unattributedFailures: number;
  allowlistedFailures: number;
  protocolErrors: number;
  connections: number;
  lines: LineCounters;
  /** Addresses with failures or protocol errors. */
  distinctIps: number;
  /** The `top` addresses with the most failures (all when top is 0). */
  perIp: { ip: string; failures: number; protocolErrors: number }[];
  /** Ban decisions; `ip` is a network in CIDR notation for reason `subnet`. */
  bans: (BanDecision & { at: string })[];
  usernames: UsernameReport[];
  /** Swarm alarms raised (detect.swarm): while one lasts the per-address threshold is swarm.maxretry. */
  swarms: (SwarmReport & { at: string; untilAt: string })[];
  elapsedMs: number;
  /** CPU time (user + system) of the replay itself, without process start. */
  cpuMs: number;
  /** Lines per second of wall-clock time. */
  linesPerSecond: number;
  /** Lines per second of CPU time: the fair number on a busy machine. */
  linesPerCpuSecond: number;
}

export function replayFile(file: string, format: Format, cfg: GuardConfig, top = 100): ReplayResult {
  const decisions: BanDecision[] = [];
  const usernames: UsernameReport[] = [];
  const swarms: SwarmReport[] = [];
  const detector = new Detector(detectorConfig(cfg), makeAllowList(cfg), {
    onBan: (d) => decisions.push(d),
    onUsername: (r) => usernames.push(r),
    onSwarm: (r) => swarms.push(r),
  }, { keepTotals: true });
  const parser = makeParser(format, detector, cfg);
  const splitter = new LineSplitter(parser, cfg.maxLineBytes);
  const started = performance.now();
  const cpu0 = process.cpuUsage();
  // Streamed with the splitter's line limit; a FIFO or device is refused before it is opened.
  const fd = openRegularFile(file, 'log file');
  try {
    // 128 KB reads: each chunk becomes one string on V8's heap; 1 MB chunks became external strings
    // (a malloc and a copy each) and raised the peak memory by about 14 MB for no gain in speed.
    const buf = Buffer.allocUnsafe(128 << 10);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      splitter.push(buf.subarray(0, n));
    }
    // A last line without newline is still a line when replaying a finished file.
    if (splitter.pending) splitter.push(Buffer.from('\n'));
  } finally {
    closeSync(fd);
  }
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const bans = decisions.map((d) => ({ ...d, at: new Date(d.time).toISOString() }));
  const sorted = [...detector.perIp].map(([ip, t]) => ({ ip, ...t })).sort((a, b) => b.failures - a.failures || b.protocolErrors - a.protocolErrors || (a.ip < b.ip ? -1 : 1));
  const perIp = top > 0 ? sorted.slice(0, top) : sorted;
  return {
    file,
    format,
    failures: detector.failures.total,
    unattributedFailures: detector.failures.unattributed,
    allowlistedFailures: detector.failures.allowed,
    protocolErrors: detector.protocolErrors.total,
    connections: detector.connects,
    lines: splitter.counters,
    distinctIps: sorted.length,
    perIp,
    bans,
    usernames,
    // `until` as first reported; the alarm is extended while the swarm goes on.
    swarms: swarms.map((w) => ({ ...w, at: new Date(w.time).toISOString(), untilAt: new Date(w.until).toISOString() })),
    elapsedMs,
    cpuMs,
    linesPerSecond: elapsedMs > 0 ? Math.round(splitter.counters.read / (elapsedMs / 1000)) : 0,
    linesPerCpuSecond: cpuMs > 0 ? Math.round(splitter.counters.read / (cpuMs / 1000)) : 0,
  };
}

export function renderReplay(r: ReplayResult, top = 20): string {
  const out: string[] = [];
  out.push(`File:      ${r.file} (format ${r.format})`);
  out.push(`Lines:     ${r.lines.read} read, ${r.lines.skipped} skipped (${r.lines.skippedLong} too long, ${r.lines.skippedBinary} binary, ${r.lines.skippedInvalidUtf8} invalid UTF-8)`);
  out.push(`Failures:  ${r.failures} refused logins (${r.unattributedFailures} without a unique address, ${r.allowlistedFailures} from allowlisted addresses)`);
  out.push(`Protocol errors: ${r.protocolErrors}   connections: ${r.connections}`);
  if (r.perIp.length) {
    out.push('', `Per address (top ${Math.min(top, r.perIp.length)} of ${r.distinctIps}):`);
    for (const p of r.perIp.slice(0, top)) out.push(`  ${p.ip.padEnd(40)} ${String(p.failures).padStart(7)} failures  ${String(p.protocolErrors).padStart(5)} protocol errors`);
  }
  out.push('', `Would ban: ${r.bans.length}`);
  for (const b of r.bans.slice(0, top)) {
    const members = b.reason === 'subnet' && b.members ? `, from ${b.members.length} addresses` : '';
    out.push(`  ${b.ip.padEnd(40)} ${b.reason.padEnd(8)} ${String(b.seconds).padStart(7)} s  (offence ${b.offence}, ${b.count} events${members}, at ${b.at})`);
    if (b.detail && b.reason === 'subnet-members') out.push(`    ${b.detail}`);
  }
  if (r.bans.length > top) out.push(`  … ${r.bans.length - top} more`);
  for (const w of r.swarms) {
    out.push(`Swarm alarm at ${w.at}: ${w.failures} refused logins from ${w.addresses}+ addresses within the window; per-address threshold ${w.maxretry} until at least ${w.untilAt} (tightens, bans nobody by itself)`);
  }
  for (const u of r.usernames) out.push(`Username "${u.user}" refused from ${u.ips} addresses (reported, not banned)`);
  out.push('', `Processed in ${r.elapsedMs.toFixed(0)} ms, ${r.cpuMs.toFixed(0)} ms CPU (${r.linesPerSecond} lines/s wall clock, ${r.linesPerCpuSecond} lines per CPU second)`);
  return `${out.join('\n')}\n`;
}
