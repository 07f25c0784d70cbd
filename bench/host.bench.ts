/**
 * Benchmark: the host audit of this machine (`audit --host-only`, the built CLI as a whole process) side
 * by side with `lynis audit system --quick` (Debian package lynis, not needed by the tests:
 * `apt-get install lynis` to run this), interleaved (mqtt-warden, Lynis, mqtt-warden, Lynis, …) so that
 * load from other work falls on both alike; medians and their ratio against the goal (≥ 50×). Also
 * prints the per-fact collection times of one in-process run and the pending-updates paths side by side
 * (APT's data against the `apt-get -s dist-upgrade` simulation), the profile's verdict.
 * Lynis's log and report go to a temp dir, not /var/log.
 *
 * BENCH_PAIRS (default 3): interleaved pairs. BENCH_RUNS (default 3): extra mqtt-warden runs after them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { aptPendingFromData } from '../src/collectors/system/apt-data.js';
import { collectSystemFacts } from '../src/collectors/system/index.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
import { aptSimulation } from '../src/collectors/system/updates.js';
import { interleaved, loadAverage, median, printGoal, ratioGoal } from './goal-line.js';

const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const GOAL = 50;

const bin = new URL('../dist/cli.js', import.meta.url).pathname;
function warden(): number {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'audit', '--host-only', '-f', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 120_000 });
  const ms = performance.now() - t;
  if (r.status !== 0) throw new Error(`mqtt-warden failed: ${r.stderr}`);
  return ms;
}

console.log(`load average before: ${await loadAverage()}`);
const t0 = performance.now();
const one = await collectSystemFacts({ root: '/', timeoutMs: 3000 });
console.log(`mqtt-warden host collection, one in-process run: ${(performance.now() - t0).toFixed(0)} ms (facts collected side by side; a fact's time includes waiting for the others on the one event loop)`);
for (const [k, f] of Object.entries(one.facts)) console.log(`  ${k.padEnd(16)} ${f.state === 'skipped' ? 'skipped' : `${String(f.ms).padStart(5)} ms`}${f.state === 'error' ? ` (error: ${f.error})` : ''}`);

const root = makeRoot('/', 3000, 240_000);
let t = performance.now();
const data = await aptPendingFromData(root);
const dataMs = performance.now() - t;
t = performance.now();
const sim = await aptSimulation(root);
const simMs = performance.now() - t;
console.log(
  `pending updates: APT's data ${dataMs.toFixed(0)} ms (${'pending' in data ? `${data.pending.length} upgrades` : `not usable here: ${data.fallback}`}) against apt-get -s dist-upgrade ${simMs.toFixed(0)} ms (${'pending' in sim ? `${sim.pending.length} Inst lines` : sim.skipped})`,
);

const lynisPath = spawnSync('sh', ['-c', 'command -v lynis || ls /usr/sbin/lynis'], { encoding: 'utf8' }).stdout.trim();
if (!lynisPath) {
  const runs = Array.from({ length: PAIRS }, warden);
  console.log(`mqtt-warden audit --host-only (CLI process): median ${median(runs).toFixed(0)} ms (${runs.map((x) => x.toFixed(0)).join(', ')})`);
  console.log('lynis is not installed (apt-get install lynis): no comparison');
  printGoal('host-vs-lynis', `not measured (lynis not installed); mqtt-warden alone ${(median(runs) / 1000).toFixed(2)} s`, `≥ ${GOAL}× lynis audit system --quick`, false, 'an unknown factor: install lynis to measure');
} else {
  const dir = mkdtempSync(join(tmpdir(), `mw-lynis-${process.pid}-`));
  try {
    const lynis = () => {
      const t1 = performance.now();
      const r = spawnSync(lynisPath, ['audit', 'system', '--quick', '--no-colors', '--logfile', join(dir, 'lynis.log'), '--report-file', join(dir, 'report.dat')], { encoding: 'utf8', timeout: 900_000 });
      const ms = performance.now() - t1;
      if (r.status !== 0) console.log(`lynis exited ${r.status}: ${r.stderr.slice(0, 300)}`);
      return ms;
    };
    const loads: string[] = [];
    const { a, b } = await interleaved(
      PAIRS,
      warden,
      async () => {
        const ms = lynis();
        loads.push(await loadAverage());
        return ms;
      },
    );
    const mw = median(a);
    const ly = median(b);
    console.log(`mqtt-warden audit --host-only (CLI process)  median ${mw.toFixed(0).padStart(7)} ms   (${a.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`lynis audit system --quick                   median ${ly.toFixed(0).padStart(7)} ms   (${b.map((x) => x.toFixed(0)).join(', ')})`);
    console.log(`interleaved pairs: ${PAIRS}; load average after each Lynis run: ${loads.join(' | ')}`);
    ratioGoal('host-vs-lynis', ly / mw, `lynis --quick ${(ly / 1000).toFixed(1)} s / audit --host-only ${(mw / 1000).toFixed(2)} s, medians of ${PAIRS} interleaved pairs, whole processes`, GOAL);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
