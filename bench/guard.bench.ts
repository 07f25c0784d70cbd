/**
 * Benchmark: `mqtt-warden guard test` against `fail2ban-regex` (Debian package
 * fail2ban) on the same generated Mosquitto 2.0.11-style log: two-line refused
 * logins ("New connection from" + "Client <unknown> disconnected, not
 * authorised.") from many addresses, mixed with successful sessions. fail2ban
 * runs an equivalent two-line filter (maxlines = 2). The two run interleaved
 * (guard, fail2ban, guard, …) as whole processes under /usr/bin/time; the bench
 * prints medians of wall clock, CPU time and peak memory, the ratios against
 * the goal of issue 16 (20× by wall clock, peak memory at most fail2ban's), and
 * the failures each detected (must be equal). Where the time goes: the same
 * medians for a bare `node -e 0` and for `guard test` on an empty log.
 *
 * Then, when run as root with nftables and network namespaces: detection-to-ban
 * latency of the guard daemon (real nftables in a namespace), p50/p99 over
 * BENCH_LATENCY_BANS attackers: from appending an attacker's last failure to
 * the log until the ban is applied (decision time from the guard's JSON log
 * plus the measured apply time of the nft transaction).
 *
 * Env: BENCH_LINES (default 200000), BENCH_REFUSED (share of refused logins among
 * the connections, default 0.39: about 30,000 failures in 200,000 lines), BENCH_RUNS (5),
 * BENCH_LATENCY_BANS (50).
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable } from '../test/helpers/netns.js';
import { CLI, guardLog, hasCommand, uniqueTable } from '../test/helpers/guard.js';

const LINES = Number(process.env.BENCH_LINES ?? 200_000);
const REFUSED = Number(process.env.BENCH_REFUSED ?? 0.39);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL = 20;
const BANS = Number(process.env.BENCH_LATENCY_BANS ?? 50);

const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-bench-'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

try {
  // --- the log: two-line refused logins (5,000 attacking addresses) and three-line successful
  // sessions (2,000 client addresses); with the default share most lines are not failures.
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
    if (rnd() < REFUSED) {
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

  // Whole processes under /usr/bin/time (GNU time: wall clock, user + system CPU, peak RSS); bash's
  // `time` without the peak memory when GNU time is missing.
  const gnuTime = existsSync('/usr/bin/time');
  type Run = { out: string; wall: number; cpu: number; rssMb: number };
  const timed = (cmd: string[]): Run => {
    const out = path.join(dir, 'out.txt');
    if (gnuTime) {
      const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %U %S %M', '-o', path.join(dir, 'time.txt'), 'bash', '-c', '"$@" > "$OUT"', 'bench', ...cmd], { env: { ...process.env, OUT: out } });
      if (r.status === null) throw new Error(`${cmd[0]} killed by ${r.signal}`);
      const [wall, user, sys, rss] = /TIME (\S+) (\S+) (\S+) (\S+)/.exec(readFileSync(path.join(dir, 'time.txt'), 'utf8'))!.slice(1).map(Number);
      return { out: readFileSync(out, 'utf8'), wall: wall! * 1000, cpu: (user! + sys!) * 1000, rssMb: rss! / 1024 };
    }
    const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time "$@" > "$OUT"', 'bench', ...cmd], { env: { ...process.env, OUT: out } });
    const [wall, user, sys] = r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number);
    return { out: readFileSync(out, 'utf8'), wall: wall! * 1000, cpu: (user! + sys!) * 1000, rssMb: NaN };
  };
  const rate = (ms: number) => Math.round(lines / (ms / 1000));
  const fmt = (n: number) => n.toLocaleString('en');
  const med = (runs: Run[]) => ({ wall: median(runs.map((x) => x.wall)), cpu: median(runs.map((x) => x.cpu)), rssMb: median(runs.map((x) => x.rssMb)) });
  const show = (m: { wall: number; cpu: number; rssMb: number }) => `${(m.wall / 1000).toFixed(2)} s wall, ${(m.cpu / 1000).toFixed(2)} s CPU, ${m.rssMb.toFixed(0)} MB peak`;

  const guardCmd = (file: string) => [process.execPath, CLI, 'guard', 'test', file, '--format', 'json', '--no-allow-defaults'];
  const empty = path.join(dir, 'empty.log');
  writeFileSync(empty, '');
  const haveF2b = hasCommand('fail2ban-regex');
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

  // --- interleaved: guard test, fail2ban-regex, node alone, guard test on an empty log; RUNS rounds.
  const ours: Run[] = [];
  const f2b: Run[] = [];
  const bare: Run[] = [];
  const startup: Run[] = [];
  const inner: number[] = [];
  let oursFailures = NaN;
  let f2bFailures = NaN;
  let f2bLines = NaN;
  for (let i = 0; i < RUNS; i++) {
    const o = timed(guardCmd(log));
    const r = JSON.parse(o.out) as { failures: number; cpuMs: number };
    ours.push(o);
    inner.push(r.cpuMs);
    oursFailures = r.failures;
    if (haveF2b) {
      const f = timed(['fail2ban-regex', log, filter]);
      f2b.push(f);
      f2bFailures = Number(/Failregex: (\d+) total/.exec(f.out)?.[1] ?? NaN);
      f2bLines = Number(/Lines: (\d+) lines/.exec(f.out)?.[1] ?? NaN);
    }
    bare.push(timed([process.execPath, '-e', '0']));
    startup.push(timed(guardCmd(empty)));
  }
  const o = med(ours);
  const b = med(bare);
  const st = med(startup);
  const replayCpu = median(inner);
  console.log(`mqtt-warden guard test: ${oursFailures} failures; ${show(o)}; ${fmt(rate(o.wall))} lines/s wall clock, ${fmt(rate(o.cpu))} per CPU second — median of ${RUNS}`);
  console.log(`  where the time goes (CPU, medians): node alone ${b.cpu.toFixed(0)} ms (${b.rssMb.toFixed(0)} MB), node + guard test start-up on an empty log ${st.cpu.toFixed(0)} ms (${st.rssMb.toFixed(0)} MB), replay itself ${replayCpu.toFixed(0)} ms (${fmt(rate(replayCpu))} lines per CPU second), the rest ${Math.max(0, o.cpu - st.cpu - replayCpu).toFixed(0)} ms`);
  if (!haveF2b) console.log('fail2ban-regex: not installed (apt-get install fail2ban) — comparison SKIPPED');
  else {
    const f = med(f2b);
    const wallRatio = f.wall / o.wall;
    const cpuRatio = f.cpu / o.cpu;
    console.log(`fail2ban-regex: ${f2bFailures} failures in ${f2bLines} lines; ${show(f)}; ${fmt(rate(f.wall))} lines/s wall clock — median of ${RUNS}, interleaved`);
    console.log(`ratio (whole processes): ${wallRatio.toFixed(1)}× by wall clock, ${cpuRatio.toFixed(1)}× by CPU time; goal ≥ ${GOAL}×: ${wallRatio >= GOAL ? 'MET' : `MISSED by ${(GOAL / wallRatio).toFixed(1)}× (wall)`}${cpuRatio >= GOAL ? ', met by CPU time' : `, missed by ${(GOAL / cpuRatio).toFixed(1)}× by CPU time`}`);
    console.log(`  at best, with only node's own start-up left: ${(f.cpu / b.cpu).toFixed(1)}× by CPU time (fail2ban-regex CPU / node -e 0 CPU)`);
    console.log(`peak memory: guard ${o.rssMb.toFixed(0)} MB, fail2ban-regex ${f.rssMb.toFixed(0)} MB: ${o.rssMb <= f.rssMb ? 'at most fail2ban\'s (goal met)' : `MISSED by ${(o.rssMb - f.rssMb).toFixed(0)} MB`}`);
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
