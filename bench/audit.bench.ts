/**
 * Benchmark: a full non-intrusive audit of one local Mosquitto endpoint
 * (port scan of the standard ports on loopback + the MQTT probe with the
 * default 1000 ms subscription window), in-process and through the built CLI,
 * with the median of several runs; then the fleet: FLEET_ENDPOINTS (10000)
 * plaintext loopback endpoints (Mosquitto brokers of FLEET_PER_BROKER (1000)
 * listeners each, every broker on a loopback address of its own) audited by one CLI process, with its wall time and peak
 * memory against the goals (60 s, 1 GB). Prints the GOAL lines one-endpoint-seconds (in-process, default
 * window, < 0.5 s), fleet-10k-seconds (≤ 60 s) and fleet-10k-memory (< 1 GB); a fleet smaller than 10,000
 * is reported as not measured at 10,000 (its time scaled is shown). FLEET_ENDPOINTS=0 skips the fleet,
 * FLEET_CONCURRENCY sets --concurrency (default: the CLI's default). Run with
 * `npm run bench -- audit`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runAudit } from '../src/core/engine.js';
import { CATALOGUE } from '../src/checks/index.js';
import { STANDARD_PORTS } from '../src/collectors/ports.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { auditOptions } from '../test/helpers/audit.js';
import { loadAverage, printGoal } from './goal-line.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

function line(label: string, ms: number[]) {
  const { median, min, max } = stats(ms);
  console.log(`${label.padEnd(46)} median ${median.toFixed(0).padStart(5)} ms   min ${min.toFixed(0).padStart(5)}   max ${max.toFixed(0).padStart(5)}   (${ms.length} runs)`);
}

const bin = new URL('../dist/cli.js', import.meta.url).pathname;
const broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
try {
  const url = broker.ports[0]!.url;
  const ports = STANDARD_PORTS.map((p) => p.port);
  const inProcess: number[] = [];
  const noWindow: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t = performance.now();
    await runAudit(auditOptions([url], { scanPorts: ports, windowMs: 1000 }), CATALOGUE);
    inProcess.push(performance.now() - t);
    t = performance.now();
    await runAudit(auditOptions([url], { scanPorts: ports, windowMs: 0 }), CATALOGUE);
    noWindow.push(performance.now() - t);
  }
  const cli: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    const r = spawnSync(process.execPath, [bin, 'audit', url, '--no-host', '-f', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 30_000 });
    cli.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`CLI failed: ${r.stderr}`);
  }
  console.log(`mqtt-warden audit of ${url} (mosquitto, anonymous, non-intrusive)`);
  line('in-process, default 1000 ms window', inProcess);
  line('in-process, window 0 (protocol work only)', noWindow);
  line('CLI process (node dist/cli.js), 1000 ms window', cli);
  const median = stats(cli).median;
  console.log(`goal: well under 2000 ms for the whole CLI run -> ${median < 2000 ? 'met' : 'NOT met'} (${(median / 2000).toFixed(2)} of the budget)`);
  const probe = stats(inProcess).median;
  printGoal('one-endpoint-seconds', `${(probe / 1000).toFixed(3)} s (in-process audit of one endpoint, default window, median of ${RUNS}; whole CLI process ${(median / 1000).toFixed(2)} s; load average ${await loadAverage()})`, '< 0.5 s', probe < 500, `${((probe - 500) / 1000).toFixed(3)} s`);
} finally {
  await broker.stop();
}

const FLEET = Number(process.env.FLEET_ENDPOINTS ?? 10_000);
const PER_BROKER = Number(process.env.FLEET_PER_BROKER ?? 1000);
if (FLEET > 0) {
  const brokers: Awaited<ReturnType<typeof startMosquitto>>[] = [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mqtt-warden-fleet-'));
  try {
    for (let left = FLEET; left > 0; left -= PER_BROKER) {
      const n = Math.min(PER_BROKER, left);
      // Each broker on a loopback address of its own: a host of the fleet.
      const bind = `127.0.0.${brokers.length + 2}`;
      brokers.push(await startMosquitto({ listeners: Array.from({ length: n }, () => ({ kind: 'mqtt' as const, bind })), allowAnonymous: true, startTimeoutMs: 60_000 }));
    }
    // Round robin over the brokers, so that the endpoints probed at the same time are mostly on
    // different brokers, as in a real fleet (every `#` subscriber of a broker hears every canary on it).
    const urls = Array.from({ length: PER_BROKER }, (_, i) => brokers.flatMap((b) => (b.ports[i] ? [b.ports[i].url] : []))).flat();
    const targets = path.join(dir, 'targets.txt');
    const out = path.join(dir, 'report.json');
    writeFileSync(targets, `${urls.join('\n')}\n`);
    const concurrency = process.env.FLEET_CONCURRENCY ? ['--concurrency', process.env.FLEET_CONCURRENCY] : [];
    // GNU time: wall seconds and the peak resident set (KiB) of the whole CLI process.
    const r = spawnSync(
      '/usr/bin/time',
      ['-f', 'TIME %e %M', process.execPath, bin, 'audit', '--targets', targets, '--no-host', '--no-port-scan', '-f', 'json', '-o', out, '--fail-on', 'none', '-q', ...concurrency],
      { encoding: 'utf8', timeout: 600_000 },
    );
    const m = /TIME ([\d.]+) (\d+)/.exec(r.stderr);
    if (r.status !== 0 || !m) throw new Error(`fleet CLI run failed (exit ${r.status ?? r.signal}): ${r.stderr.slice(-2000)}`);
    const seconds = Number(m[1]);
    const peakMb = Number(m[2]) / 1024;
    const report = JSON.parse(readFileSync(out, 'utf8')) as { targets: unknown[]; results: { checkId: string; status: string }[] };
    const count = (id: string, status: string) => report.results.filter((x) => x.checkId === id && x.status === status).length;
    console.log(`\nfleet: ${FLEET} plaintext loopback endpoints on ${brokers.length} Mosquitto broker(s), one CLI process (${os.cpus().length} cores, ${concurrency.length ? `--concurrency ${concurrency[1]}` : 'default --concurrency'})`);
    console.log(`  ${seconds.toFixed(1)} s wall, ${(FLEET / seconds).toFixed(0)} endpoints/s, peak RSS ${peakMb.toFixed(0)} MB, ${report.results.length} results`);
    console.log(`  every endpoint judged: ${report.targets.length} targets, ACC-001 FAIL ${count('ACC-001', 'FAIL')}, ACC-002 FAIL ${count('ACC-002', 'FAIL')}, ACC-003 FAIL ${count('ACC-003', 'FAIL')}, ERROR ${report.results.filter((x) => x.status === 'ERROR').length}`);
    const scaled = (seconds * 10_000) / FLEET;
    const full = FLEET >= 10_000;
    const load = await loadAverage();
    const of = full ? `${FLEET} endpoints` : `only ${FLEET} endpoints (FLEET_ENDPOINTS), not 10000`;
    printGoal('fleet-10k-seconds', `${seconds.toFixed(1)} s for ${of}${full ? '' : `, ${scaled.toFixed(0)} s scaled`}, ${(FLEET / seconds).toFixed(0)} endpoints/s; load average ${load}`, '≤ 60 s', full && seconds <= 60, full ? `${(seconds - 60).toFixed(1)} s` : 'an unknown amount: not measured at 10000');
    printGoal('fleet-10k-memory', `${peakMb.toFixed(0)} MB peak RSS for ${of}`, '< 1024 MB', full && peakMb < 1024, full ? `${(peakMb - 1024).toFixed(0)} MB` : 'an unknown amount: not measured at 10000');
  } finally {
    for (const b of brokers) await b.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
