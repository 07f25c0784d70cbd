/**
 * The drill cadence end to end: `drill run --history` records drills, the audit's `drill.history` provider reads
 * them back (read-only) and CFG-110 holds them against the policy's required drills and cadence.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CATALOGUE } from '../src/checks/index.js';
import { PolicySchema } from '../src/config/policy.js';
import { runChecks, selectChecks } from '../src/core/engine.js';
import { startAedes } from './helpers/aedes.js';
import { runCli } from './helpers/cli.js';

const checks = selectChecks(CATALOGUE, { scopes: ['system'], requires: 'drill.history' });
const judge = (historyPath: string, policy = PolicySchema.parse({ drills: { required: ['subscription-sweep', 'sys-publish'] } })) =>
  runChecks({
    command: 'audit',
    checks,
    system: { root: '/', timeoutMs: 5000, historyPath, policy },
    options: { intrusive: false, host: true, network: false, failOn: 'medium', identity: 'none' },
  });

test('drills recorded with --history are judged by CFG-110: held, never held, never recorded; no database is a SKIP, never created', { timeout: 90_000 }, async () => {
  assert.deepEqual(checks.map((c) => c.meta.id), ['CFG-110'], 'the checks that read the drill history');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-cadence-'));
  const open = await startAedes();
  const closed = await startAedes({ denySubscribe: (t) => t === '#' || t.startsWith('$SYS') });
  try {
    const db = path.join(dir, 'history.db');
    const missing = await judge(db);
    const skip = missing.results.find((r) => r.checkId === 'CFG-110')!;
    assert.equal(skip.status, 'SKIP');
    assert.match(skip.message, /no history database at .*history\.db: record drills with `mqtt-warden drill run/);
    assert.equal(existsSync(db), false, 'the audit never creates the history');

    // Against the open broker the sweep does not hold: recorded, but not a rehearsal that held.
    const failed = await runCli(['drill', 'run', 'subscription-sweep', '--target', open.url, '--history', db, '-q'], { timeoutMs: 60_000 });
    assert.equal(failed.code, 1, failed.stderr);
    let r = (await judge(db)).results.filter((x) => x.checkId === 'CFG-110');
    assert.equal(r.find((x) => x.evidence.drill === 'subscription-sweep')!.status, 'FAIL');
    assert.match(r.find((x) => x.evidence.drill === 'subscription-sweep')!.message, /ran 1 time\(s\), .* and never held/);

    // Against a broker that refuses # and $SYS/# it holds.
    const held = await runCli(['drill', 'run', 'subscription-sweep', '--target', closed.url, '--history', db, '-q'], { timeoutMs: 60_000 });
    assert.equal(held.code, 0, held.stdout + held.stderr);
    r = (await judge(db)).results.filter((x) => x.checkId === 'CFG-110');
    const sweep = r.find((x) => x.evidence.drill === 'subscription-sweep')!;
    assert.equal(sweep.status, 'PASS', sweep.message);
    assert.match(sweep.message, new RegExp(`held 0 day\\(s\\) ago against ${closed.url.replace(/[.]/g, '\\.')}`));
    const sys = r.find((x) => x.evidence.drill === 'sys-publish')!;
    assert.equal(sys.status, 'FAIL');
    assert.match(sys.message, /drill sys-publish was never recorded/);
  } finally {
    await open.stop();
    await closed.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
