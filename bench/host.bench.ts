/**
 * Benchmark: the host audit of this machine (`audit --host-only`) side by side
 * with `lynis audit system --quick` (Debian package lynis, not installed by CI:
 * `apt-get install lynis` to run this). Prints medians, the per-fact collection
 * times of one run, and the ratio. Goal: at least 10× faster than Lynis.
 * Lynis's log and report go to a temp dir, not /var/log.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectSystemFacts } from '../src/collectors/system/index.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const LYNIS_RUNS = Number(process.env.BENCH_LYNIS_RUNS ?? 1);

const median = (ms: number[]) => [...ms].sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;

const bin = new URL('../dist/cli.js', import.meta.url).pathname;
const cli: number[] = [];
for (let i = 0; i < RUNS; i++) {
  const t = performance.now();
  const r = spawnSync(process.execPath, [bin, 'audit', '--host-only', '-f', 'json', '--fail-on', 'none'], { encoding: 'utf8', timeout: 120_000 });
  cli.push(performance.now() - t);
  if (r.status !== 0) throw new Error(`mqtt-warden failed: ${r.stderr}`);
}
const t0 = performance.now();
const one = await collectSystemFacts({ root: '/', timeoutMs: 3000 });
const total = performance.now() - t0;
console.log(`mqtt-warden host collection, one in-process run: ${total.toFixed(0)} ms`);
for (const [k, f] of Object.entries(one.facts)) console.log(`  ${k.padEnd(14)} ${f.state === 'skipped' ? 'skipped' : `${String(f.ms).padStart(5)} ms`}${f.state === 'error' ? ` (error: ${f.error})` : ''}`);

const lynisPath = spawnSync('sh', ['-c', 'command -v lynis || ls /usr/sbin/lynis'], { encoding: 'utf8' }).stdout.trim();
const mw = median(cli);
console.log(`mqtt-warden audit --host-only (CLI process)   median ${mw.toFixed(0).padStart(6)} ms   (${RUNS} runs: ${cli.map((x) => x.toFixed(0)).join(', ')})`);
if (!lynisPath) {
  console.log('lynis is not installed (apt-get install lynis): no comparison');
} else {
  const dir = mkdtempSync(join(tmpdir(), `mw-lynis-${process.pid}-`));
  try {
    const lynis: number[] = [];
    for (let i = 0; i < LYNIS_RUNS; i++) {
      const t = performance.now();
      const r = spawnSync(lynisPath, ['audit', 'system', '--quick', '--no-colors', '--logfile', join(dir, 'lynis.log'), '--report-file', join(dir, 'report.dat')], { encoding: 'utf8', timeout: 600_000 });
      lynis.push(performance.now() - t);
      if (r.status !== 0) console.log(`lynis exited ${r.status}: ${r.stderr.slice(0, 300)}`);
    }
    const ly = median(lynis);
    console.log(`lynis audit system --quick                    median ${ly.toFixed(0).padStart(6)} ms   (${LYNIS_RUNS} runs)`);
    const ratio = ly / mw;
    console.log(`ratio: mqtt-warden is ${ratio.toFixed(1)}× faster -> goal (≥ 10×) ${ratio >= 10 ? 'met' : 'NOT met'}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
