/**
 * Benchmark: `mqtt-warden guard test` against `fail2ban-regex` (Debian package
 * fail2ban) on the same generated Mosquitto 2.0.11-style log: two-line refused
 * logins ("New connection from" + "Client <unknown> disconnected, not
 * authorised.") from many addresses, mixed with successful sessions. fail2ban
 * runs an equivalent two-line filter (maxlines = 2). Prints lines/s of both,
 * the ratio, and the failures each detected (must be equal).
 *
 * Then, when run as root with nftables and network namespaces: detection-to-ban
 * latency of the guard daemon (real nftables in a namespace), p50/p99 over
 * BENCH_LATENCY_BANS attackers: from appending an attacker's last failure to
 * the log until the ban is applied (decision time from the guard's JSON log
 * plus the measured apply time of the nft transaction).
 *
 * Env: BENCH_LINES (default 400000), BENCH_RUNS (3), BENCH_LATENCY_BANS (50).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable } from '../test/helpers/netns.js';
import { CLI, guardLog, hasCommand, uniqueTable } from '../test/helpers/guard.js';

const LINES = Number(process.env.BENCH_LINES ?? 400_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const BANS = Number(process.env.BENCH_LATENCY_BANS ?? 50);

const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

try {
  // --- the log: ~60 % of lines belong to refused logins (5,000 attacking addresses), the rest to
  // successful sessions (2,000 client addresses).
  const log = path.join(dir, 'mosquitto.log');
  const parts: string[] = [];
  let t = 1_700_000_000;
  let lines = 0;
  let written = 0;
  let port = 1024;
  let seed = 12345;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  while (lines < LINES) {
    if (rnd() < 0.01) t++;
    port = port >= 65000 ? 1024 : port + 1;
    if (rnd() < 0.75) {
      const ip = `10.${Math.floor(rnd() * 20)}.0.${Math.floor(rnd() * 250)}`;
      parts.push(`${t}: New connection from ${ip}:${port} on port 8883.\n${t}: Client <unknown> disconnected, not authorised.\n`);
      lines += 2;
      written++;
    } else {
      const ip = `172.16.${Math.floor(rnd() * 8)}.${Math.floor(rnd() * 250)}`;
      const id = `sensor-${Math.floor(rnd() * 1e6)}`;
      parts.push(`${t}: New connection from ${ip}:${port} on port 1883.\n${t}: New client connected from ${ip}:${port} as ${id} (p2, c1, k60, u'sensor').\n${t}: Client ${id} disconnected.\n`);
      lines += 3;
    }
  }
  writeFileSync(log, parts.join(''));
  console.log(`log: ${lines} lines, ${written} refused logins written, ${(Buffer.byteLength(parts.join('')) / 1e6).toFixed(1)} MB`);

  // Both tools are timed by bash's `time` (wall clock and CPU = user + sys of the whole process):
  // on a shared machine the CPU figure is the fair one, so both are printed.
  const timed = (cmd: string[]): { out: string; wall: number; cpu: number } => {
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time "$@" > "$OUT"', 'bench', ...cmd], {
      env: { ...process.env, OUT: path.join(dir, 'out.txt') },
      maxBuffer: 64 << 20,
    });
    const [wall, user, sys] = r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number);
    return { out: readFileSync(path.join(dir, 'out.txt'), 'utf8'), wall: wall! * 1000, cpu: (user! + sys!) * 1000 };
  };
  const rate = (ms: number) => Math.round(lines / (ms / 1000));
  const fmt = (n: number) => n.toLocaleString('en');

  // --- mqtt-warden guard test
  const ours: { wall: number; cpu: number; innerCpu: number; failures: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = timed([process.execPath, CLI, 'guard', 'test', log, '--format', 'json', '--no-allow-defaults']);
    const r = JSON.parse(t.out) as { failures: number; cpuMs: number };
    ours.push({ wall: t.wall, cpu: t.cpu, innerCpu: r.cpuMs, failures: r.failures });
  }
  const o = { wall: median(ours.map((x) => x.wall)), cpu: median(ours.map((x) => x.cpu)), inner: median(ours.map((x) => x.innerCpu)) };
  const oursFailures = ours[0]!.failures;
  console.log(`mqtt-warden guard test: ${oursFailures} failures; whole process ${fmt(rate(o.cpu))} lines per CPU second (${o.cpu.toFixed(0)} ms CPU), ${fmt(rate(o.wall))} lines/s wall clock (${o.wall.toFixed(0)} ms); replay alone (no node start) ${fmt(rate(o.inner))} lines per CPU second — median of ${RUNS}`);

  // --- fail2ban-regex with an equivalent two-line filter
  if (!hasCommand('fail2ban-regex')) {
    console.log('fail2ban-regex: not installed (apt-get install fail2ban) — comparison SKIPPED');
  } else {
    const filter = path.join(dir, 'mosquitto-auth.conf');
    writeFileSync(filter, [
      '[Definition]',
      '# Two lines per refused login (Mosquitto 2.0.0–2.0.12): the address is on the first one.',
      'failregex = ^\\s*New connection from <ADDR>:\\d+ on port \\d+\\.\\n(?:\\d+:)?\\s*Client \\S+ disconnected, not authorised\\.$',
      'ignoreregex =',
      'datepattern = ^{EPOCH}:',
      '[Init]',
      'maxlines = 2',
      '',
    ].join('\n'));
    const f = timed(['fail2ban-regex', log, filter]);
    const f2bFailures = Number(/Failregex: (\d+) total/.exec(f.out)?.[1] ?? NaN);
    const f2bLines = Number(/Lines: (\d+) lines/.exec(f.out)?.[1] ?? NaN);
    console.log(`fail2ban-regex: ${f2bFailures} failures in ${f2bLines} lines; ${fmt(rate(f.cpu))} lines per CPU second (${f.cpu.toFixed(0)} ms CPU), ${fmt(rate(f.wall))} lines/s wall clock (one run)`);
    console.log(`ratio: ${(f.cpu / o.cpu).toFixed(1)}× by CPU time (whole processes), ${(f.wall / o.wall).toFixed(1)}× by wall clock, ${(f.cpu / o.inner).toFixed(1)}× replay alone vs fail2ban-regex process`);
    console.log(`failure counts ${f2bFailures === oursFailures && oursFailures === written ? 'EQUAL' : 'DIFFERENT'} (written ${written}, guard ${oursFailures}, fail2ban ${f2bFailures})`);
    if (f2bFailures !== oursFailures) process.exitCode = 1;
  }

  // --- detection-to-ban latency with real nftables in a namespace
  const why = (await netnsUnavailable()) ?? (hasCommand('nft') ? undefined : 'nft missing');
  if (why) console.log(`latency: SKIPPED (${why})`);
  else {
    const lab = await createLab(['node']);
    try {
      const live = path.join(dir, 'live.log');
      writeFileSync(live, '');
      const table = uniqueTable();
      const child = lab.spawn('node', process.execPath, [CLI, 'guard', '--log', live, '--from-start', '--table', table, '--state', path.join(dir, 'g.db')]);
      const glog = guardLog(child);
      await glog.waitFor((r) => r.msg === 'guard started', 20_000, 'start');
      const total: number[] = [];
      for (let i = 0; i < BANS; i++) {
        const ip = `198.18.${i >> 8}.${i & 255}`;
        const now = Math.floor(Date.now() / 1000);
        let s = '';
        for (let k = 0; k < 5; k++) s += `${now}: New connection from ${ip}:${2000 + k} on port 1883.\n${now}: Client <unknown> disconnected, not authorised.\n`;
        const t0 = Date.now();
        appendFileSync(live, s);
        const ban = await glog.waitFor((r) => r.msg === 'ban' && r.ip === ip, 10_000, `ban ${ip}`);
        const applied = await glog.waitFor((r) => r.msg === 'ban applied' && (r.ips as string[]).includes(ip), 10_000, `applied ${ip}`);
        total.push(Date.parse(ban.time as string) - t0 + Number(applied.ms));
      }
      child.kill('SIGTERM');
      console.log(`detection-to-ban latency (append → nft ban in force, real nftables, ${BANS} bans): p50 ${pct(total, 50).toFixed(1)} ms, p99 ${pct(total, 99).toFixed(1)} ms`);
    } finally {
      await lab.destroy();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
