/**
 * Benchmark: config lint throughput. Parses a generated large EMQX config (many
 * listeners, authenticators, substitutions) and a large mosquitto.conf with many
 * listeners, and lints the real upstream fixtures through runLint. Prints medians.
 * Run with `npm run bench -- lint`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseHocon } from '../src/config/hocon.js';
import { parseMosquittoConfig } from '../src/config/mosquitto.js';
import { memoryIO } from '../src/config/io.js';
import { runLint } from '../src/cli/impl/lint.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);

function median(f: () => void): number {
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = performance.now();
    f();
    ms.push(performance.now() - t);
  }
  return ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!;
}

let hocon = 'base { ssl { verify = verify_peer, versions = [tlsv1.3, tlsv1.2] } }\n';
for (let i = 0; i < 2000; i++) {
  hocon += `listeners.ssl.l${i} {\n  bind = "10.0.${i >> 8}.${i & 255}:${8000 + i}"\n  # comment ${i}\n  ssl_options = \${base.ssl} { certfile = "/etc/pki/l${i}.pem" }\n  max_connections = ${1000 + i}\n}\n`;
}
let mosq = 'per_listener_settings true\nmax_packet_size 1048576\n';
for (let i = 0; i < 2000; i++) mosq += `# listener ${i}\nlistener ${8000 + i} 10.0.${i >> 8}.${i & 255}\ncertfile /etc/pki/l${i}.pem\nkeyfile /etc/pki/l${i}.key\npassword_file /etc/mosquitto/passwd\nacl_file /etc/mosquitto/acl\n`;

const hb = Buffer.byteLength(hocon);
const mb = Buffer.byteLength(mosq);
const th = median(() => parseHocon(hocon, 'big.conf'));
const tm = median(() => parseMosquittoConfig(mosq, 'big-mosquitto.conf', memoryIO({})));
const real = fileURLToPath(new URL('../test/fixtures/real-configs/', import.meta.url));
const lintTimes: number[] = [];
for (let i = 0; i < 7; i++) {
  const t0 = performance.now();
  await runLint([real], { failOn: 'medium' });
  lintTimes.push(performance.now() - t0);
}
const tl = lintTimes.sort((a, b) => a - b)[3]!;
console.log(`HOCON, 2000 listeners with substitutions (${(hb / 1024).toFixed(0)} KiB)   median ${th.toFixed(1)} ms  (${(hb / 1024 / 1024 / (th / 1000)).toFixed(1)} MiB/s)`);
console.log(`mosquitto.conf, 2000 listeners (${(mb / 1024).toFixed(0)} KiB)              median ${tm.toFixed(1)} ms  (${(mb / 1024 / 1024 / (tm / 1000)).toFixed(1)} MiB/s)`);
console.log(`lint of the real upstream fixtures (28 files)           median ${tl.toFixed(1)} ms`);

// Memory per input size: each measurement in its own process (bench/parse-memory.ts), so one
// parse's garbage does not count in the next. Retained = the parsed tree after a full GC;
// peak = RSS growth during the parse. Configs over 16 MiB are refused (READ_LIMITS.config).
for (const kind of ['hocon', 'mosquitto']) {
  for (const mib of [8, 16]) {
    const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(new URL('./parse-memory.ts', import.meta.url)), kind, String(mib)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`parse-memory ${kind} ${mib}: ${r.stderr}`);
    const m = JSON.parse(r.stdout) as { bytes: number; ms: number; retainedBytes: number; peakRssGrowthBytes: number };
    const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
    console.log(
      `${kind.padEnd(9)} ${mib} MiB: ${m.ms} ms, retained ${mb(m.retainedBytes)} MiB (${(m.retainedBytes / m.bytes).toFixed(1)}× the input), peak RSS +${mb(m.peakRssGrowthBytes)} MiB (${(m.peakRssGrowthBytes / m.bytes).toFixed(1)}×)`,
    );
  }
}
