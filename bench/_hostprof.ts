import { collectSystemFacts } from '../src/collectors/system/index.js';
for (let i = 0; i < 2; i++) {
const t0 = performance.now();
const one = await collectSystemFacts({ root: '/', timeoutMs: 3000 });
console.log('total', (performance.now() - t0).toFixed(0));
for (const [k, f] of Object.entries(one.facts)) console.log(`  ${k.padEnd(14)} ${f.state === 'skipped' ? 'skipped' : `${String((f as {ms:number}).ms).padStart(5)} ms`}`);
}
