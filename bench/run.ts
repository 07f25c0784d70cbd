/**
 * `npm run bench`: runs every bench/*.bench.ts one after the other (each in its
 * own process, so one benchmark's brokers and timers cannot skew the next).
 * `npm run bench -- tls guard` runs only the benchmarks whose file names contain
 * one of the words. Each bench's output is passed through as it comes; the
 * `GOAL …` lines (bench/goal-line.ts) are collected and printed at the end as
 * one goals table, with the machine and its load average.
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import os from 'node:os';

const dir = new URL('./', import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => !only.length || only.some((w) => f.includes(w)))
  .sort();

/** Runs one bench, echoing its stdout line by line and returning its GOAL lines and exit status. */
function runBench(file: string): Promise<{ goals: string[]; status: string | null }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', new URL(file, dir).pathname], { stdio: ['ignore', 'pipe', 'inherit'] });
    const goals: string[] = [];
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      process.stdout.write(chunk);
      const lines = (rest + chunk).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('GOAL ')) goals.push(l);
    });
    child.on('close', (code, signal) => {
      if (rest.startsWith('GOAL ')) goals.push(rest);
      resolve({ goals, status: code === 0 ? null : String(code ?? signal) });
    });
  });
}

let failed = 0;
const table: { bench: string; line: string }[] = [];
for (const f of files) {
  console.log(`\n=== ${f}`);
  const r = await runBench(f);
  for (const line of r.goals) table.push({ bench: f, line });
  if (r.status !== null) {
    failed++;
    console.log(`=== ${f} failed (exit ${r.status})`);
    table.push({ bench: f, line: `GOAL (${f}) | measured - | goal - | MISSED by the whole bench: it failed (exit ${r.status})` });
  }
}

const rows = table.map(({ bench, line }) => {
  const [name, measured, goal, verdict] = line.replace(/^GOAL /, '').split(' | ');
  return { bench: bench.replace(/\.bench\.ts$/, ''), name: name ?? '', measured: (measured ?? '').replace(/^measured /, ''), goal: (goal ?? '').replace(/^goal /, ''), verdict: verdict ?? '' };
});
console.log(`\n=== goals (${os.cpus().length} cores, ${os.cpus()[0]?.model.trim() ?? 'unknown CPU'}, load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')})`);
if (!rows.length) console.log('no GOAL lines');
else {
  const w = (k: 'bench' | 'name' | 'goal' | 'verdict') => Math.max(k.length, ...rows.map((r) => r[k].length));
  const head = { bench: 'bench', name: 'goal', measured: 'measured', goal: 'target', verdict: 'verdict' };
  for (const r of [head, ...rows]) console.log(`${r.bench.padEnd(w('bench'))}  ${r.name.padEnd(w('name'))}  ${r.goal.padEnd(w('goal'))}  ${r.verdict.padEnd(w('verdict'))}  ${r.measured}`);
  const missed = rows.filter((r) => !r.verdict.startsWith('MET')).length;
  console.log(`${rows.length - missed} of ${rows.length} goals met`);
}
process.exitCode = failed ? 1 : 0;
