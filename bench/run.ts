/**
 * `npm run bench`: runs every bench/*.bench.ts one after the other (each in its
 * own process, so one benchmark's brokers and timers cannot skew the next).
 * `npm run bench -- tls guard` runs only the benchmarks whose file names contain
 * one of the words.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';

const dir = new URL('./', import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((w) => f.includes(w)))
  .sort();
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', new URL(f, dir).pathname], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.log(`=== ${f} failed (exit ${r.status ?? r.signal})`);
  }
}
process.exitCode = failed ? 1 : 0;
