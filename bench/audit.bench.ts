/**
 * Benchmark: a full non-intrusive audit of one local Mosquitto endpoint
 * (port scan of the standard ports on loopback + the MQTT probe with the
 * default 1000 ms subscription window), in-process and through the built CLI.
 * Prints the median of several runs. Run with `npm run bench`.
 */
import { spawnSync } from 'node:child_process';
import { runAudit } from '../src/core/engine.js';
import { CATALOGUE } from '../src/checks/index.js';
import { STANDARD_PORTS } from '../src/collectors/ports.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { auditOptions } from '../test/helpers/audit.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

function line(label: string, ms: number[]) {
  const { median, min, max } = stats(ms);
  console.log(`${label.padEnd(46)} median ${median.toFixed(0).padStart(5)} ms   min ${min.toFixed(0).padStart(5)}   max ${max.toFixed(0).padStart(5)}   (${ms.length} runs)`);
}

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
  const bin = new URL('../dist/cli.js', import.meta.url).pathname;
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
} finally {
  await broker.stop();
}
