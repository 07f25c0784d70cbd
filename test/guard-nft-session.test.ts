/**
 * The long-lived `nft --interactive` session that applies the guard's bans, with real nftables in a
 * network namespace: a line resolves only once its transaction is committed (the element is then in
 * the set), a refused line rejects with nft's message and the next line runs in a fresh process,
 * and a session whose nft died starts a new one.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLab, netnsUnavailable } from './helpers/netns.js';
import { needCommands } from './helpers/guard.js';

const skip = (await netnsUnavailable()) ?? needCommands('nft');
const SESSION = new URL('../src/guard/backends/nft-session.ts', import.meta.url).pathname;

// Runs inside the namespace: every nft it starts sees only the namespace's ruleset.
const script = `
import { execFileSync } from 'node:child_process';
const { NftSession } = await import(${JSON.stringify(SESSION)});
const nft = (...a) => execFileSync('nft', a, { encoding: 'utf8' });
execFileSync('nft', ['-f', '-'], { input: 'add table inet t\\nadd set inet t s { type ipv4_addr; flags timeout; }\\n' });
const out = {};
const s = new NftSession(3000);
s.warm();
await s.run(['add element inet t s { 192.0.2.1 timeout 1s }', 'delete element inet t s { 192.0.2.1 }', 'add element inet t s { 192.0.2.1 timeout 600s }']);
out.afterFirst = nft('list', 'set', 'inet', 't', 's');
try { await s.run(['add element inet t nosuch { 192.0.2.2 }']); out.refused = 'resolved'; } catch (e) { out.refused = e.message; }
await s.run(['add element inet t s { 192.0.2.3 timeout 600s }']);
out.afterRefused = nft('list', 'set', 'inet', 't', 's');
// nft dies under the session (killed by its own pid): the next line starts a new one
process.kill(s.pid);
await new Promise((r) => setTimeout(r, 100));
await s.run(['add element inet t s { 192.0.2.4 timeout 600s }']);
out.afterKill = nft('list', 'set', 'inet', 't', 's');
s.close();
console.log(JSON.stringify(out));
`;

test('nft --interactive session: committed before it resolves, refusals reject, a dead nft is replaced', { skip, timeout: 60_000 }, async () => {
  const lab = await createLab(['node']);
  try {
    const { stdout } = await lab.exec('node', process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { timeoutMs: 30_000 });
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, string>;
    assert.match(out.afterFirst!, /192\.0\.2\.1 timeout 10m/);
    assert.match(out.refused!, /Error: .*No such file or directory/s);
    assert.match(out.afterRefused!, /192\.0\.2\.3 timeout 10m/);
    assert.doesNotMatch(out.afterRefused!, /192\.0\.2\.2/);
    assert.match(out.afterKill!, /192\.0\.2\.4 timeout 10m/);
  } finally {
    await lab.destroy();
  }
});
