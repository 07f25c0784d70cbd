/**
 * `mqtt-warden lab` through the real CLI: the estate starts in the background on loopback, an audit
 * of it (--no-host --intrusive) finds every planted weakness of src/lab/catalogue.ts (the lab is the
 * project's end-to-end fixture: a check that stops finding one fails here), `lab score` scores that
 * report, the Mosquitto-format log feeds `guard test`, and `lab stop` leaves no process and no port.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { CLI, runCli, type CliRun } from './helpers/cli.js';
import { mosquittoSkipReason } from './helpers/mosquitto.js';
import { LAB_PORT_BASE, LAB_SCENARIOS, LAB_WEAKNESSES, scenarioUrl } from '../src/lab/catalogue.js';
import { loopbackBind, LabUsageError } from '../src/lab/select.js';
import { parseAuditReport, scoreReport } from '../src/lab/score.js';
import { CATALOGUE } from '../src/checks/index.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqtt-warden-lab-'));
const ENV = { XDG_STATE_HOME: join(tmp, 'state') };
const STATE = join(tmp, 'state', 'mqtt-warden', 'lab', 'state.json');
const IN_PROCESS = LAB_SCENARIOS.filter((s) => !s.real);

interface StateJson {
  pid: number;
  bind: string;
  logFile: string;
  startMs?: number;
  brokers: { scenario: string; port: number; url: string; kind: string; pid?: number }[];
}

const lab = (args: string[], timeoutMs = 120_000) => runCli(['lab', ...args], { env: ENV, timeoutMs });
const show = (r: CliRun) => `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 3000)}`;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function answers(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(1000, () => (s.destroy(), resolve(false)));
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

/** Ends a lab a failed test left behind, by its recorded pid only. */
after(async () => {
  if (existsSync(STATE)) {
    const st = JSON.parse(readFileSync(STATE, 'utf8')) as StateJson;
    for (const pid of [st.pid, ...st.brokers.flatMap((b) => (b.pid ? [b.pid] : []))]) if (alive(pid)) process.kill(pid, 'SIGKILL');
  }
  rmSync(tmp, { recursive: true, force: true });
});

test('the catalogue: every planted weakness names a scenario and a check of the catalogue that can find it', () => {
  const checks = new Map(CATALOGUE.map((c) => [c.meta.id, c.meta]));
  for (const w of LAB_WEAKNESSES) {
    assert.ok(LAB_SCENARIOS.some((s) => s.name === w.scenario), `${w.id}: no scenario ${w.scenario}`);
    const meta = checks.get(w.checkId);
    assert.ok(meta, `${w.id}: no check ${w.checkId}`);
    assert.equal(meta.intrusive, w.intrusive, `${w.id}: ${w.checkId} intrusive is ${meta.intrusive}`);
    assert.equal(meta.scope, w.subject, `${w.id}: ${w.checkId} judges the ${meta.scope}`);
  }
  assert.equal(new Set(LAB_WEAKNESSES.map((w) => w.id)).size, LAB_WEAKNESSES.length, 'weakness IDs are unique');
  const ports = LAB_SCENARIOS.map((s) => s.offset);
  assert.equal(new Set(ports).size, ports.length, 'one port per scenario');
  // docs/lab.md keeps the same table: every weakness with its check, every scenario with its URL.
  const doc = readFileSync(new URL('../docs/lab.md', import.meta.url), 'utf8');
  for (const w of LAB_WEAKNESSES) assert.match(doc, new RegExp(`^\\| \`${w.id}\`: .* \\| ${w.checkId} \\|`, 'm'), `docs/lab.md: ${w.id} → ${w.checkId}`);
  assert.equal(doc.match(/^\| `[a-z-]+\/[a-z-]+`: /gm)?.length, LAB_WEAKNESSES.length, 'docs/lab.md lists no other weakness');
  for (const s of LAB_SCENARIOS) assert.ok(doc.includes(`| \`${scenarioUrl(s)}\` |`), `docs/lab.md: ${s.name} at ${scenarioUrl(s)}`);
});

test('the lab binds to loopback only: anything else is refused with exit 2 before a port opens', async () => {
  assert.equal(loopbackBind('127.0.0.1'), '127.0.0.1');
  assert.equal(loopbackBind('localhost'), '127.0.0.1');
  assert.equal(loopbackBind('127.0.0.5'), '127.0.0.5');
  assert.equal(loopbackBind('::1'), '::1');
  for (const bad of ['0.0.0.0', '10.0.0.1', '::', '192.168.1.1', 'example.org']) assert.throws(() => loopbackBind(bad), LabUsageError, bad);
  const r = await lab(['start', '--detach', '--bind', '0.0.0.0']);
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /--bind 0\.0\.0\.0: not a loopback address; the lab is deliberately weak and binds to loopback only/);
  assert.equal(existsSync(STATE), false);
  assert.equal(await answers(LAB_PORT_BASE), false);
  const unknown = await lab(['start', '--scenario', 'nope']);
  assert.equal(unknown.code, 2, show(unknown));
  assert.match(unknown.stderr, /--scenario nope: unknown; the scenarios are open, weak-login/);
});

test('a port of the block that is taken refuses the start cleanly: exit 2 naming the port, nothing left running', async () => {
  const base = 31883;
  const holder = net.createServer();
  await new Promise<void>((r) => holder.listen({ host: '127.0.0.1', port: base + 1 }, () => r()));
  try {
    const r = await lab(['start', '--detach', '--port-base', String(base)]);
    assert.equal(r.code, 2, show(r));
    assert.match(r.stderr, new RegExp(`lab not started: port ${base + 1} \\(lab scenario "weak-login"\\) is already in use`));
    assert.equal(existsSync(STATE), false, 'no state file');
    for (const s of IN_PROCESS.filter((x) => x.offset !== 1)) assert.equal(await answers(base + s.offset), false, `port ${base + s.offset} stays closed`);
  } finally {
    await new Promise<void>((r) => holder.close(() => r()));
  }
});

test('lab start --detach → audit finds every planted weakness → lab score → guard reads the log → lab stop leaves nothing', { timeout: 300_000 }, async () => {
  const start = await lab(['start', '--detach', '-f', 'json']);
  assert.equal(start.code, 0, show(start));
  const state = JSON.parse(start.stdout) as StateJson;
  try {
    assert.equal(state.bind, '127.0.0.1');
    assert.deepEqual(
      state.brokers.map((b) => b.url),
      IN_PROCESS.map((s) => scenarioUrl(s)),
    );
    assert.ok(alive(state.pid), 'the background lab runs');
    assert.notEqual(state.pid, process.pid);
    // A generous bound only (the machine is shared); the time is measured and reported in docs/lab.md.
    assert.ok(typeof state.startMs === 'number' && state.startMs < 60_000, `startMs ${state.startMs}`);
    // Bound to loopback only.
    for (const b of state.brokers) assert.equal(await answers(b.port), true, `${b.url} answers`);

    const again = await lab(['start', '--detach']);
    assert.equal(again.code, 2, show(again));
    assert.match(again.stderr, new RegExp(`a lab is already running \\(pid ${state.pid}`));

    const status = await lab(['status', '-f', 'json']);
    assert.equal(status.code, 0, show(status));
    const st = JSON.parse(status.stdout) as { running: boolean; pid: number; brokers: { answers: boolean }[] };
    assert.equal(st.running, true);
    assert.equal(st.pid, state.pid);
    assert.ok(st.brokers.every((b) => b.answers));

    const report = join(tmp, 'lab-report.json');
    const audit = await runCli(['audit', ...state.brokers.map((b) => b.url), '--no-host', '--intrusive', '--no-port-scan', '-f', 'json', '-o', report, '-q'], { timeoutMs: 240_000 });
    assert.ok(audit.code === 1, show(audit));
    const data = JSON.parse(readFileSync(report, 'utf8')) as { options: { intrusive: boolean }; results: { checkId: string; subject: string; status: string; message: string }[] };
    // Every planted weakness, judged here without the scorer: the check FAILs for the scenario's endpoint.
    const missed: string[] = [];
    for (const w of LAB_WEAKNESSES.filter((x) => IN_PROCESS.some((s) => s.name === x.scenario))) {
      const url = scenarioUrl(IN_PROCESS.find((s) => s.name === w.scenario)!);
      const hit = data.results.find((r) => r.checkId === w.checkId && r.status === 'FAIL' && (w.subject === 'endpoint' ? r.subject === url : r.subject === '127.0.0.1' && r.message.includes(url)));
      if (!hit) missed.push(`${w.id} (${w.checkId} on ${url}): ${JSON.stringify(data.results.filter((r) => r.checkId === w.checkId).map((r) => [r.subject, r.status, r.message]))}`);
    }
    assert.deepEqual(missed, [], 'planted weaknesses the audit did not find');
    // The fake secrets stay fake and out of the report (counts only without --show-payloads).
    assert.doesNotMatch(readFileSync(report, 'utf8'), /Winter2024|unlock-code/);

    const score = await lab(['score', report, '-f', 'json']);
    assert.equal(score.code, 0, show(score));
    const sc = JSON.parse(score.stdout) as { found: number; total: number; weaknesses: { status: string }[] };
    assert.equal(sc.found, sc.total);
    assert.equal(sc.total, LAB_WEAKNESSES.filter((w) => IN_PROCESS.some((s) => s.name === w.scenario)).length);
    const scoreText = await lab(['score', report]);
    assert.equal(scoreText.code, 0, show(scoreText));
    assert.match(scoreText.stdout, new RegExp(`${sc.total} of ${sc.total} planted weaknesses found`));

    // The same report without the intrusive results and without the TLS endpoint: missed, with hints.
    const layout = { bind: '127.0.0.1', portBase: LAB_PORT_BASE, scenarios: IN_PROCESS.map((s) => s.name) };
    const tlsUrl = scenarioUrl(IN_PROCESS.find((s) => s.scheme === 'mqtts')!);
    const partial = parseAuditReport(
      {
        ...data,
        options: { ...data.options, intrusive: false },
        targets: (data as unknown as { targets: { uri: string }[] }).targets.filter((t) => t.uri !== tlsUrl),
        results: data.results.filter((r) => !['ACC-007', 'ACC-008', 'ACC-009'].includes(r.checkId) && r.subject !== tlsUrl),
      },
      'partial.json',
    );
    const scored = scoreReport(partial, layout);
    const byId = new Map(scored.results.map((r) => [r.weakness.id, r]));
    assert.equal(byId.get('weak-login/default-password')?.status, 'missed');
    assert.match(byId.get('weak-login/default-password')?.hint ?? '', /--intrusive/);
    assert.equal(byId.get('legacy-tls/weak-key')?.status, 'not-audited');
    assert.match(byId.get('legacy-tls/weak-key')?.hint ?? '', /audit mqtts:\/\/127\.0\.0\.1:21886/);
    assert.equal(byId.get('open/anonymous')?.status, 'found');
    const partialFile = join(tmp, 'partial.json');
    writeFileSync(partialFile, JSON.stringify({ ...partial, command: 'audit' }));
    const partialScore = await lab(['score', partialFile]);
    assert.equal(partialScore.code, 1, show(partialScore));
    assert.match(partialScore.stdout, /MISSED ACC-007 .*\n.*\n?\s+hint: ACC-007 only runs with --intrusive/);
    assert.match(partialScore.stdout, /NOT AUDITED TLS-011/);

    // The broker log is Mosquitto 2.0 format: the guard counts the audit's refused logins from loopback.
    const guard = await runCli(['guard', 'test', state.logFile, '--no-allow-defaults', '-f', 'json']);
    assert.equal(guard.code, 0, show(guard));
    const g = JSON.parse(guard.stdout) as { failures: number; perIp: { ip: string; failures: number }[]; bans: { ip: string; reason: string }[] };
    assert.ok(g.failures >= 8, `the guard saw ${g.failures} refused logins`);
    assert.equal(g.perIp[0]?.ip, '127.0.0.1');
    // The brute-force exercise: the guard would ban the guessing address.
    assert.ok(g.bans.some((b) => b.ip === '127.0.0.1' && b.reason === 'auth'), JSON.stringify(g.bans));
  } finally {
    const stop = await lab(['stop', '-f', 'json']);
    assert.equal(stop.code, 0, show(stop));
    assert.deepEqual((JSON.parse(stop.stdout) as { ports: number[] }).ports, state.brokers.map((b) => b.port));
  }
  assert.equal(alive(state.pid), false, 'no lab process left');
  for (const b of state.brokers) assert.equal(await answers(b.port), false, `port ${b.port} closed`);
  assert.equal(existsSync(STATE), false, 'state file removed');
  const status = await lab(['status']);
  assert.equal(status.code, 1, show(status));
  assert.match(status.stdout, /no lab is running/);
  const stopAgain = await lab(['stop']);
  assert.equal(stopAgain.code, 0, show(stopAgain));
});

test('lab start in the foreground: recorded while it runs; SIGTERM closes its port, removes the state and exits 0', { timeout: 120_000 }, async () => {
  const base = 51883;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), CLI, 'lab', 'start', '--scenario', 'open', '--port-base', String(base)], {
    env: { ...process.env, ...ENV, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('Ctrl-C stops it')) resolve();
      });
      void exited.then((code) => reject(new Error(`lab start ended (exit ${code}) before it listened: ${stdout} ${stderr}`)));
    });
    assert.match(stdout, new RegExp(`open +mqtt://127\\.0\\.0\\.1:${base} `));
    const st = JSON.parse(readFileSync(STATE, 'utf8')) as StateJson & { detached: boolean };
    assert.equal(st.pid, child.pid);
    assert.equal(st.detached, false);
    assert.equal(await answers(base), true);
    const status = await lab(['status']);
    assert.equal(status.code, 0, show(status));
    assert.match(status.stdout, /running, pid \d+, since .*; 1 of 1 ports answer/);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, stderr);
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
  assert.equal(await answers(base), false);
  assert.equal(existsSync(STATE), false);
});

test('lab score refuses what is not an audit report (exit 2, naming the file)', async () => {
  const f = join(tmp, 'not-a-report.json');
  writeFileSync(f, '{"command":"lint","options":{"intrusive":false},"targets":[],"results":[]}');
  const r = await lab(['score', f]);
  assert.equal(r.code, 2, show(r));
  assert.match(r.stderr, /not-a-report\.json: a report of `mqtt-warden lint`, not of `mqtt-warden audit`/);
  writeFileSync(f, 'nope');
  const r2 = await lab(['score', f]);
  assert.equal(r2.code, 2, show(r2));
  assert.match(r2.stderr, /not-a-report\.json: not JSON/);
});

test('lab list and lab exercise print the catalogue and the exercises', async () => {
  const list = await lab(['list', '-f', 'json']);
  assert.equal(list.code, 0, show(list));
  const l = JSON.parse(list.stdout) as { scenarios: { name: string; url: string; weaknesses: { checkId: string }[] }[] };
  assert.deepEqual(l.scenarios.map((s) => s.name), LAB_SCENARIOS.map((s) => s.name));
  assert.equal(l.scenarios.flatMap((s) => s.weaknesses).length, LAB_WEAKNESSES.length);
  const ex = await lab(['exercise']);
  assert.equal(ex.code, 0, show(ex));
  assert.match(ex.stdout, /^find: Find the weaknesses/m);
  assert.match(ex.stdout, /^brute-force: Stop the brute force/m);
  const one = await lab(['exercise', 'harden', '-f', 'json']);
  assert.equal((JSON.parse(one.stdout) as { exercises: unknown[] }).exercises.length, 1);
  const bad = await lab(['exercise', 'nope']);
  assert.equal(bad.code, 2, show(bad));
});

test('lab start --real: a real Mosquitto with a weak generated config; the audit finds its weaknesses; stop ends it', { skip: mosquittoSkipReason(), timeout: 180_000 }, async () => {
  const base = 41883;
  const start = await lab(['start', '--detach', '--real', '--scenario', 'mosquitto', '--port-base', String(base), '-f', 'json']);
  assert.equal(start.code, 0, show(start));
  const state = JSON.parse(start.stdout) as StateJson;
  const m = state.brokers.find((b) => b.kind === 'mosquitto')!;
  try {
    assert.ok(m.pid && alive(m.pid), 'mosquitto runs');
    const report = join(tmp, 'real-report.json');
    const audit = await runCli(['audit', m.url, '--no-host', '--no-port-scan', '-f', 'json', '-o', report, '-q'], { timeoutMs: 120_000 });
    assert.equal(audit.code, 1, show(audit));
    const score = await lab(['score', report, '-f', 'json']);
    const sc = JSON.parse(score.stdout) as { found: number; total: number; weaknesses: { id: string; status: string; verdict?: unknown }[] };
    assert.equal(sc.total, LAB_WEAKNESSES.filter((w) => w.scenario === 'mosquitto').length);
    assert.equal(sc.found, sc.total, JSON.stringify(sc.weaknesses));
    assert.equal(score.code, 0, show(score));
  } finally {
    const stop = await lab(['stop']);
    assert.equal(stop.code, 0, show(stop));
  }
  assert.equal(alive(state.pid), false);
  assert.equal(alive(m.pid!), false, 'no mosquitto left');
  assert.equal(await answers(m.port), false);
});
