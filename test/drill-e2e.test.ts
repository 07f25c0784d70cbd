/**
 * Drills end to end with real parts (the done-when):
 * (a) drills/brute-force-burst.yaml against a real Mosquitto (password file, connection messages) in the
 *     "node" namespace from the "attacker" namespace (`--source` a second address of it, `--authorized` the
 *     broker): FAILS with "not detected within N s" while no guard runs (deadlines shortened in a copy of
 *     the file), PASSES once `guard` (nftables backend) watches the broker log;
 * (b) drills/subscription-sweep.yaml passes against a real Mosquitto whose ACL denies `#` and `$SYS/#`,
 *     and fails against the lab's open broker;
 * (c) a non-loopback target without --authorized is refused (exit 2) before any packet: the broker's
 *     namespace sees no connection from the attacker.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLab, netnsUnavailable, type Lab } from './helpers/netns.js';
import { mosquittoPasswdPath, mosquittoPath, mosquittoSkipReason, startMosquitto } from './helpers/mosquitto.js';
import { guardLog, needCommands, uniqueTable, until } from './helpers/guard.js';
import { CLI, runCli } from './helpers/cli.js';
import { reportErrors } from './helpers/schemas.js';
import type { Report } from '../src/core/types.js';
import { startLab } from '../src/lab/run.js';
import { LAB_SCENARIOS } from '../src/lab/catalogue.js';

const TSX = import.meta.resolve('tsx');
const BURST = new URL('../drills/brute-force-burst.yaml', import.meta.url).pathname;
const SWEEP = new URL('../drills/subscription-sweep.yaml', import.meta.url).pathname;

const nsSkip = (await netnsUnavailable()) ?? (mosquittoSkipReason() || needCommands('nft'));

/** The CLI from source inside a namespace; resolves with its exit code and output (never rejects on exit 1/2). */
function cliIn(ns: string, args: string[], env: Record<string, string> = {}, timeoutMs = 90_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('ip', ['netns', 'exec', ns, process.execPath, '--import', TSX, CLI, ...args], { timeout: timeoutMs, env: { ...process.env, NO_COLOR: '1', ...env }, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stdout, stderr });
    });
  });
}

function results(stdout: string): Report['results'] {
  return (JSON.parse(stdout) as Report).results;
}

async function brokerIn(lab: Lab, dir: string, log: string): Promise<void> {
  execFileSync(mosquittoPasswdPath()!, ['-c', '-b', path.join(dir, 'passwd'), 'alice', 'secret']);
  writeFileSync(path.join(dir, 'mosquitto.conf'), [
    'user root', 'persistence false', `log_dest file ${log}`,
    'log_type error', 'log_type warning', 'log_type notice', 'log_type information',
    'log_timestamp true', 'connection_messages true', 'allow_anonymous false', `password_file ${dir}/passwd`,
    'listener 1883', '',
  ].join('\n'));
  lab.spawn('node', mosquittoPath()!, ['-c', path.join(dir, 'mosquitto.conf')]);
  assert.ok(await until(() => lab.canConnect('attacker', lab.members.node!.ipv4, 1883), 5000), 'broker did not start');
}

test('brute-force-burst: fails ("not detected within N s") without guard, passes with guard on nftables; a non-loopback target without --authorized is refused before any packet', { skip: nsSkip, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-e2e-'));
  const lab = await createLab(['node', 'attacker']);
  try {
    const node = lab.members.node!;
    const attacker = lab.members.attacker!;
    // Two more addresses of the attacker: the attacks come from these; its own address stays the legitimate side.
    await lab.exec('attacker', 'ip', ['addr', 'add', '10.77.0.50/24', 'dev', 'eth0']);
    await lab.exec('attacker', 'ip', ['addr', 'add', '10.77.0.51/24', 'dev', 'eth0']);
    const log = path.join(dir, 'mosquitto.log');
    await brokerIn(lab, dir, log);
    const target = `mqtt://${node.ipv4}:1883`;
    const db = path.join(dir, 'guard.db');
    const env = { DRILL_PASSWORD: 'secret' };
    const common = ['--target', target, '--guard-state', db, '--broker-log', log, '-u', 'alice', '--password-env', 'DRILL_PASSWORD', '--timeout', '1500', '-f', 'json'];

    // (c) Not on loopback, no --authorized: refused, exit 2, nothing sent (the broker logs every new connection).
    const before = readFileSync(log, 'utf8');
    const refused = await cliIn(attacker.ns, ['drill', 'run', BURST, ...common, '--source', '10.77.0.50'], env);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /drill refused: 10\.77\.0\.1:1883 is not on loopback/);
    await new Promise((r) => setTimeout(r, 300));
    // From the drill's source address: the start-up probe's own connection (from the attacker's main
    // address) may reach the log only after `before` was read.
    assert.equal(readFileSync(log, 'utf8').slice(before.length).match(/New connection from 10\.77\.0\.50:/g), null, 'the broker saw no connection from the drill');

    // (a) Without guard: the ban is not detected within the (shortened) deadline; exit 1.
    const short = path.join(dir, 'burst-short.yaml');
    writeFileSync(short, readFileSync(BURST, 'utf8').replace(/within: 1\d?s/g, 'within: 3s').replace('count: 20', 'count: 8'));
    const without = await cliIn(attacker.ns, ['drill', 'run', short, ...common, '--authorized', node.ipv4, '--source', '10.77.0.51'], env);
    assert.equal(without.code, 1, without.stderr);
    const w = results(without.stdout);
    const ban = w.find((r) => r.checkId === 'CFG-090' && r.evidence.expectation === 'guard-ban')!;
    assert.equal(ban.status, 'FAIL');
    assert.match(ban.message, /guard-ban: 10\.77\.0\.51 not detected within 3 s \(looked in guard state .*guard\.db\)/);
    assert.equal(w.find((r) => r.checkId === 'CFG-090' && r.evidence.expectation === 'refused-after-ban')!.status, 'FAIL');
    assert.equal(w.find((r) => r.checkId === 'CFG-090' && r.evidence.expectation === 'broker-log')!.status, 'PASS', 'Mosquitto logged the refusals');
    assert.equal(w.find((r) => r.checkId === 'CFG-091')!.status, 'PASS', 'the known client kept working');

    // (a) With guard (nftables) watching the broker log: the built-in drill passes.
    const table = uniqueTable();
    const config = path.join(dir, 'guard.yaml');
    writeFileSync(config, [
      'sources:', `  - { type: file, path: ${log} }`,
      'detect:', '  auth: { maxretry: 3, findtime: 60 }',
      'ban:', '  bantime: 60', `  table: ${table}`,
      `state: ${db}`, 'pollMs: 50', 'metrics: { port: 19478 }', '',
    ].join('\n'));
    const guard = lab.spawn('node', process.execPath, ['--import', TSX, CLI, 'guard', '--config', config]);
    const glog = guardLog(guard);
    await glog.waitFor((r) => r.msg === 'guard started', 30_000, 'start');
    const withGuard = await cliIn(attacker.ns, ['drill', 'run', 'brute-force-burst', ...common, '--authorized', `${node.ipv4}:1883`, '--source', '10.77.0.50', '--journal', path.join(dir, 'journal.json')], env);
    assert.equal(withGuard.code, 0, `${withGuard.stdout}\n${withGuard.stderr}\n--- guard ---\n${glog.text()}`);
    const g = results(withGuard.stdout);
    for (const kind of ['guard-ban', 'refused-after-ban', 'broker-log']) {
      const r = g.find((x) => x.checkId === 'CFG-090' && x.evidence.expectation === kind)!;
      assert.equal(r.status, 'PASS', `${kind}: ${r.message}`);
      assert.equal(typeof r.evidence.timeToDetectMs, 'number');
      assert.equal(typeof r.evidence.timeToBlockMs, 'number');
    }
    assert.match(g.find((x) => x.checkId === 'CFG-092')!.message, /unban: 10\.77\.0\.50: 1 ban\(s\) removed from /, 'the rollback removed the drill\'s ban from the state');
    const journal = JSON.parse(readFileSync(path.join(dir, 'journal.json'), 'utf8')) as { steps: { timeToDetectMs?: number; timeToBlockMs?: number; outcome: { failedLogins: number; stoppedBy?: string } }[] };
    console.log(`# guard: time to detect ${journal.steps[0]!.timeToDetectMs} ms, time to block ${journal.steps[0]!.timeToBlockMs} ms, after ${journal.steps[0]!.outcome.failedLogins} failed logins`);
    assert.equal(journal.steps[0]!.outcome.stoppedBy, 'blocked', 'the ban stopped the burst before its end');
    assert.ok(journal.steps[0]!.outcome.failedLogins < 20);
    // The ban is real: nft in the broker's namespace holds the attack's address, and only it.
    const set = JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, 'ipv4_addr'])).stdout) as { nftables: { set?: { elem?: { elem: { val: string } }[] } }[] };
    assert.deepEqual(set.nftables.flatMap((x) => x.set?.elem ?? []).map((e) => e.elem.val), ['10.77.0.50']);
    assert.ok(await lab.canConnect('attacker', node.ipv4, 1883), 'the attacker\'s own address still connects');
    guard.kill('SIGTERM');
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('subscription-sweep: passes against a Mosquitto whose ACL denies # and $SYS/#, fails against the lab\'s open broker', { skip: mosquittoSkipReason(), timeout: 120_000 }, async () => {
  const broker = await startMosquitto({
    listeners: [{ kind: 'mqtt' }],
    allowAnonymous: false,
    users: { alice: 'secret' },
    acl: 'user alice\ntopic readwrite sensors/alice/#\n',
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-lab-'));
  try {
    const denied = await runCli(['drill', 'run', SWEEP, '--target', broker.ports[0]!.url, '-u', 'alice', '--password-env', 'DRILL_PASSWORD', '-f', 'json'], { env: { DRILL_PASSWORD: 'secret' } });
    assert.equal(denied.code, 0, `${denied.stdout}\n${denied.stderr}`);
    assert.equal(reportErrors(JSON.parse(denied.stdout)), '', 'the drill report validates against schema/report.schema.json');
    const r = results(denied.stdout).find((x) => x.checkId === 'CFG-090')!;
    assert.equal(r.status, 'PASS', r.message);
    assert.equal(r.evidence.resisted, 'yes');

    const open = LAB_SCENARIOS.find((s) => s.name === 'open')!;
    const base = 41_000 + (process.pid % 2000);
    const lab = await startLab({ scenarios: [open], bind: '127.0.0.1', portBase: base, dir, detached: false, real: false });
    try {
      const port = lab.state.brokers[0]!.port;
      const openRun = await runCli(['drill', 'run', 'subscription-sweep', '--target', `mqtt://127.0.0.1:${port}`, '-f', 'json']);
      assert.equal(openRun.code, 1, `${openRun.stdout}\n${openRun.stderr}`);
      const f = results(openRun.stdout).find((x) => x.checkId === 'CFG-090')!;
      assert.equal(f.status, 'FAIL');
      assert.match(f.message, /did not resist subscription-sweep .*delivered through #/);
    } finally {
      await lab.close();
    }
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('distributed-guessing (built-in drill, 8 sources × 4 guesses): passes with guard on its DEFAULT rules: the sources\' /24 is banned in nftables, the attacker\'s own address still connects', { skip: nsSkip, timeout: 240_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-e2e-dist-'));
  const lab = await createLab(['node', 'attacker']);
  try {
    const node = lab.members.node!;
    const attacker = lab.members.attacker!;
    // Eight guessing addresses in a /24 of their own (not the lab's, which holds the broker host's allowlisted address).
    const sources = Array.from({ length: 8 }, (_, i) => `10.88.1.${50 + i}`);
    for (const s of sources) await lab.exec('attacker', 'ip', ['addr', 'add', `${s}/24`, 'dev', 'eth0']);
    await lab.exec('node', 'ip', ['route', 'add', '10.88.0.0/16', 'dev', 'eth0']);
    const log = path.join(dir, 'mosquitto.log');
    await brokerIn(lab, dir, log);
    const db = path.join(dir, 'guard.db');
    const table = uniqueTable();
    const config = path.join(dir, 'guard.yaml');
    // No detect: section: the rules guard ships with.
    writeFileSync(config, ['sources:', `  - { type: file, path: ${log} }`, 'ban:', `  table: ${table}`, `state: ${db}`, 'pollMs: 50', ''].join('\n'));
    const guard = lab.spawn('node', process.execPath, ['--import', TSX, CLI, 'guard', '--config', config]);
    const glog = guardLog(guard);
    await glog.waitFor((r) => r.msg === 'guard started', 30_000, 'start');
    const target = `mqtt://${node.ipv4}:1883`;
    const run = await cliIn(attacker.ns, [
      'drill', 'run', 'distributed-guessing', '--target', target, '--authorized', `${node.ipv4}:1883`, ...sources.flatMap((s) => ['--source', s]),
      '--guard-state', db, '--broker-log', log, '-u', 'alice', '--password-env', 'DRILL_PASSWORD', '--timeout', '1500', '-f', 'json',
      '--journal', path.join(dir, 'journal.json'),
    ], { DRILL_PASSWORD: 'secret' }, 200_000);
    assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}\n--- guard ---\n${glog.text()}`);
    const g = results(run.stdout);
    for (const kind of ['guard-ban', 'resisted', 'broker-log']) {
      const r = g.find((x) => x.checkId === 'CFG-090' && x.evidence.expectation === kind)!;
      assert.equal(r.status, 'PASS', `${kind}: ${r.message}`);
    }
    const bans = glog.records.filter((r) => r.msg === 'ban');
    assert.deepEqual(bans.map((r) => [r.ip, r.reason, r.events]), [['10.88.1.0/24', 'subnet', 10]], 'one network ban at the 10th refusal, no address ban');
    const journal = JSON.parse(readFileSync(path.join(dir, 'journal.json'), 'utf8')) as { steps: { outcome: { failedLogins: number; stoppedBy?: string } }[] };
    console.log(`# distributed-guessing: stopped by ${journal.steps[0]!.outcome.stoppedBy} after ${journal.steps[0]!.outcome.failedLogins} failed logins`);
    assert.equal(journal.steps[0]!.outcome.stoppedBy, 'blocked');
    // The rollback lifted the network ban the drill caused from guard's state (the drill runs in the attacker's
    // namespace: guard's nftables in the broker's namespace is out of its reach, and there the ban is real).
    assert.match(g.find((x) => x.checkId === 'CFG-092')!.message, /unban: .*1 ban\(s\) removed from .*\(networks: 10\.88\.1\.0\/24\)/);
    const elems = async (set: string) => (JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, set])).stdout) as { nftables: { set?: { elem?: { elem: { val: unknown } }[] } }[] })
      .nftables.flatMap((x) => x.set?.elem ?? []).map((e) => e.elem.val);
    assert.deepEqual(await elems('ipv4_net'), [{ prefix: { addr: '10.88.1.0', len: 24 } }]);
    assert.deepEqual(await elems('ipv4_addr'), [], 'no address was banned on its own');
    assert.ok(await lab.canConnect('attacker', node.ipv4, 1883), 'the attacker\'s own address (outside the /24) connects');
    guard.kill('SIGTERM');
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
