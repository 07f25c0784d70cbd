/**
 * The run history (--history) and drift (history diff, --fail-on-new) through the real CLI:
 * a real Mosquitto fixed and broken again between audits, scopes kept apart, concurrent
 * writers in parallel processes, and damaged or foreign database files refused untouched.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import mqtt from 'mqtt';
import { History, scopeOf } from '../src/history/db.js';
import { diffRuns } from '../src/history/diff.js';
import { renderDiff } from '../src/cli/impl/history.js';
import { runCli, type CliRun } from './helpers/cli.js';
import { fixtureReport } from './helpers/report.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import type { CheckResult } from '../src/core/types.js';

const tmp = mkdtempSync(join(tmpdir(), 'mqtt-warden-history-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
const fixture = (p: string) => new URL(`fixtures/${p}`, import.meta.url).pathname;
const NO_AUTH = fixture('real-configs/mosquitto/docker_2.0_mosquitto-no-auth.conf');

const show = (r: CliRun) => `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
const sha = (f: string) => createHash('sha256').update(readFileSync(f)).digest('hex');

interface DiffJson {
  from: { id: number };
  to: { id: number };
  new: { checkId: string; subject: string }[];
  fixed: { checkId: string; subject: string }[];
  unjudged: unknown[];
  open: unknown[];
  changed: unknown[];
  counts: Record<string, number>;
}

describe('history of a real Mosquitto: one weakness fixed, then back', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  const db = join(tmp, 'mosquitto.db');
  /** The weakness: a retained message anonymous clients can read (ACC-004); an empty retained message clears it. */
  const retained = async (payload: string) => {
    const client = await mqtt.connectAsync(broker.ports[0]!.url, { reconnectPeriod: 0, connectTimeout: 3000 });
    await client.publishAsync('plant/line1/setpoint', payload, { retain: true, qos: 1 });
    await client.endAsync();
  };
  const auditArgs = () => ['audit', broker.ports[0]!.url, '--no-host', '--no-port-scan', '--history', db, '--fail-on', 'low'];
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
    await retained('42');
  });
  after(() => broker?.stop());

  test('history diff shows exactly the fixed finding, then exactly the new one; --fail-on-new counts only new findings', { timeout: 180_000 }, async () => {
    const first = await runCli([...auditArgs(), '-f', 'json']);
    assert.equal(first.code, 1, show(first));
    const r1 = JSON.parse(first.stdout) as { results: CheckResult[] };
    assert.equal(r1.results.find((r) => r.checkId === 'ACC-004')?.status, 'FAIL', 'anonymous reads the retained message');
    assert.match(first.stderr, /stored as run #1 in .*\(audit \(network only\) of mqtt:\/\/127\.0\.0\.1:\d+\)/, show(first));

    // Fixed: the retained message is cleared. Every other finding is still there, and none is new.
    await retained('');
    const fixedRun = await runCli([...auditArgs(), '--fail-on-new', '-f', 'json']);
    assert.equal(fixedRun.code, 0, `no new finding: --fail-on-new exits 0\n${show(fixedRun)}`);
    const r2 = JSON.parse(fixedRun.stdout) as { results: CheckResult[]; summary: { FAIL: number; suppressed: number } };
    assert.ok(r2.summary.FAIL > 0 && r2.summary.suppressed === r2.summary.FAIL, JSON.stringify(r2.summary));
    assert.ok(r2.results.every((r) => r.status !== 'FAIL' || r.suppression?.reason.startsWith('in baseline history run #1')));
    const diff = await runCli(['history', 'diff', '--history', db, '-f', 'json']);
    assert.equal(diff.code, 0, show(diff));
    const d = JSON.parse(diff.stdout) as DiffJson;
    assert.deepEqual([d.from.id, d.to.id], [1, 2]);
    assert.deepEqual(d.fixed.map((f) => f.checkId), ['ACC-004'], show(diff));
    assert.deepEqual(d.new, []);
    assert.deepEqual(d.unjudged, []);
    assert.equal(d.counts.open, r1.results.filter((r) => r.status === 'FAIL').length - 1);
    const text = await runCli(['history', 'diff', '1', '2', '--history', db]);
    assert.match(text.stdout, /^0 new, 1 fixed, \d+ still open/m, show(text));
    assert.match(text.stdout, /^Fixed \(1\)\n {2}\S+ +ACC-004 /m, show(text));

    // Back: the weakness is new against run #2; --fail-on-new exits 1 for it alone.
    await retained('43');
    const broken = await runCli([...auditArgs(), '--fail-on-new', '-f', 'json']);
    assert.equal(broken.code, 1, show(broken));
    const r3 = JSON.parse(broken.stdout) as { results: CheckResult[] };
    assert.deepEqual(r3.results.filter((r) => r.status === 'FAIL' && !r.suppression).map((r) => r.checkId), ['ACC-004']);
    const d2 = JSON.parse((await runCli(['history', 'diff', '--history', db, '-f', 'json'])).stdout) as DiffJson;
    assert.deepEqual([d2.from.id, d2.to.id], [2, 3]);
    assert.deepEqual(d2.new.map((f) => f.checkId), ['ACC-004']);
    assert.deepEqual(d2.fixed, []);
    const failOnNew = await runCli(['history', 'diff', '--history', db, '--fail-on-new']);
    assert.equal(failOnNew.code, 1, show(failOnNew));
    const againstFirst = await runCli(['history', 'diff', '1', '3', '--history', db, '--fail-on-new', '-f', 'json']);
    assert.equal(againstFirst.code, 0, show(againstFirst));
    assert.equal((JSON.parse(againstFirst.stdout) as DiffJson).counts.new, 0);

    // The runs as stored: listed newest first, and shown again as a report.
    const list = JSON.parse((await runCli(['history', 'list', '--history', db, '-f', 'json'])).stdout) as { runs: { id: number; summary: { FAIL: number } }[] };
    assert.deepEqual(list.runs.map((r) => r.id), [3, 2, 1]);
    // Run #2 is stored with its findings: what --fail-on-new suppressed was still found.
    assert.equal(list.runs[1]!.summary.FAIL, r2.summary.FAIL);
    const shown = await runCli(['history', 'show', '2', '--history', db, '-f', 'json']);
    assert.equal(shown.code, 0, show(shown));
    assert.deepEqual(
      (JSON.parse(shown.stdout) as { results: CheckResult[] }).results.map((r) => r.fingerprint),
      r2.results.map((r) => r.fingerprint),
    );
    const html = join(tmp, 'run3.html');
    const showHtml = await runCli(['history', 'show', '3', '--history', db, '-f', 'html', '-o', html]);
    assert.equal(showHtml.code, 0, show(showHtml));
    assert.match(readFileSync(html, 'utf8'), /<section id="trend">/);
  });
});

describe('scopes, defaults and options', () => {
  test('a lint and an audit never mix; runs of different scopes are not compared', { timeout: 120_000 }, async () => {
    const db = join(tmp, 'scopes.db');
    const lint1 = await runCli(['lint', NO_AUTH, '--history', db, '-q']);
    assert.equal(lint1.code, 1, show(lint1));
    const audit = await runCli(['audit', 'mqtt://127.0.0.1:1', '--no-host', '--no-port-scan', '--timeout', '300', '--history', db, '-q']);
    assert.equal(audit.code, 2, show(audit));
    const lint2 = await runCli(['lint', NO_AUTH, '--history', db, '--fail-on-new']);
    // The lint's previous run is #1, not the audit #2: every finding is known.
    assert.equal(lint2.code, 0, show(lint2));
    assert.match(lint2.stderr, /stored as run #3 .*previous run #1\)/, show(lint2));
    const d = await runCli(['history', 'diff', '--history', db, '-f', 'json']);
    assert.deepEqual([(JSON.parse(d.stdout) as DiffJson).from.id, (JSON.parse(d.stdout) as DiffJson).to.id], [1, 3], show(d));
    const cross = await runCli(['history', 'diff', '2', '3', '--history', db]);
    assert.equal(cross.code, 2);
    assert.match(cross.stderr, /different scopes/);
    const first = await runCli(['history', 'diff', '2', '--history', db]);
    assert.equal(first.code, 2);
    assert.match(first.stderr, /run #2 is the first run of its scope/);
    const list = await runCli(['history', 'list', '--history', db]);
    assert.match(list.stdout, /^#3 .* lint of .*docker_2\.0_mosquitto-no-auth\.conf$/m, show(list));
    assert.match(list.stdout, /^#2 .* audit \(network only\) of mqtt:\/\/127\.0\.0\.1:1$/m, show(list));
  });

  test('default place: $XDG_STATE_HOME, or the project file\'s history:', { timeout: 120_000 }, async () => {
    const state = join(tmp, 'state');
    const r = await runCli(['lint', NO_AUTH, '--history', '-q', '--no-config-file'], { env: { XDG_STATE_HOME: state } });
    assert.equal(r.code, 1, show(r));
    assert.ok(existsSync(join(state, 'mqtt-warden', 'history.db')));
    const listed = await runCli(['history', 'list', '--no-config-file'], { env: { XDG_STATE_HOME: state } });
    assert.match(listed.stdout, /: 1 run\n/, show(listed));

    const project = join(tmp, 'project');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(project);
    writeFileSync(join(project, 'mqtt-warden.yaml'), 'history: var/runs.db\ndefaults:\n  history: true\n');
    const run = await runCli(['lint', NO_AUTH, '-q'], { cwd: project, env: { XDG_STATE_HOME: state } });
    assert.equal(run.code, 1, show(run));
    assert.ok(existsSync(join(project, 'var', 'runs.db')), 'defaults.history: true records into the project file\'s history');
    const list = await runCli(['history', 'list', '-f', 'json'], { cwd: project });
    assert.equal((JSON.parse(list.stdout) as { runs: unknown[] }).runs.length, 1, show(list));
  });

  test('usage errors: --fail-on-new without --history, --history on a ports plan, a missing database, an unknown run', async () => {
    const missing = join(tmp, 'none.db');
    const one = join(tmp, 'one-run.db');
    const h = History.open(one, { create: true });
    h.record(fixtureReport([], { targets: [{ uri: 'mqtt://127.0.0.1:1', explicit: true }] }));
    h.close();
    const runs = await Promise.all([
      runCli(['lint', NO_AUTH, '--fail-on-new']),
      runCli(['ports', '--cluster', fixture('ports/cluster-3.yaml'), '--history', join(tmp, 'ports.db')]),
      runCli(['history', 'list', '--history', missing]),
      runCli(['history', 'show', '99', '--history', one]),
      runCli(['history', 'show', 'x1', '--history', one]),
    ]);
    for (const r of runs) assert.equal(r.code, 2, show(r));
    assert.match(runs[0]!.stderr, /--fail-on-new goes with --history/);
    assert.match(runs[1]!.stderr, /--history goes with --check/);
    assert.ok(!existsSync(join(tmp, 'ports.db')), 'a refused command makes no database');
    assert.match(runs[2]!.stderr, /no history database at .*none\.db: run a command with --history first/);
    assert.ok(!existsSync(missing), 'listing never creates a database');
    assert.match(runs[3]!.stderr, /no run #99 in /);
    assert.match(runs[4]!.stderr, /a run is named by its number/);
  });
});

describe('the database file', () => {
  const report = (n: number) => {
    const results: CheckResult[] = Array.from({ length: 20 }, (_, i) => ({
      checkId: `ACC-0${String(i).padStart(2, '0')}`,
      name: 'x',
      title: 'x',
      strategy: 'access',
      severity: 'high',
      status: i % 2 ? 'PASS' : 'FAIL',
      subject: `mqtt://127.0.0.1:${1000 + n}`,
      location: { uri: `mqtt://127.0.0.1:${1000 + n}`, kind: 'target' },
      message: `result ${i}`,
      evidence: {},
      remediation: 'r',
      references: [],
      intrusive: false,
      fingerprint: createHash('sha256').update(`${n}/${i}`).digest('hex'),
    }));
    return fixtureReport(results, { targets: [{ uri: `mqtt://127.0.0.1:${1000 + (n % 3)}`, explicit: true }] });
  };

  test('concurrent writers in parallel processes: every run stored whole, WAL, database intact', { timeout: 120_000 }, async () => {
    const db = join(tmp, 'concurrent.db');
    const writers = 6;
    const perWriter = 8;
    const script = `
      import { History } from ${JSON.stringify(new URL('../src/history/db.ts', import.meta.url).pathname)};
      import { fixtureReport } from ${JSON.stringify(new URL('./helpers/report.ts', import.meta.url).pathname)};
      const results = JSON.parse(process.env.RESULTS);
      for (let i = 0; i < ${perWriter}; i++) {
        const h = History.open(process.env.DB, { create: true });
        h.record(fixtureReport(results, { targets: [{ uri: 'mqtt://127.0.0.1:1', explicit: true }] }));
        h.close();
      }
    `;
    const results = report(1).results;
    const code = await Promise.all(
      Array.from({ length: writers }, () =>
        new Promise<number | null>((resolve) => {
          const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
            env: { ...process.env, DB: db, RESULTS: JSON.stringify(results) },
            stdio: ['ignore', 'ignore', 'inherit'],
          });
          child.on('close', resolve);
        }),
      ),
    );
    assert.deepEqual(code, Array(writers).fill(0));
    const h = History.open(db, { create: false });
    try {
      const runs = h.list();
      assert.equal(runs.length, writers * perWriter);
      assert.deepEqual(new Set(runs.map((r) => r.id)).size, writers * perWriter);
      for (const r of runs) assert.equal(h.get(r.id)!.report.results.length, results.length);
    } finally {
      h.close();
    }
    const raw = new Database(db, { readonly: true });
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();
  });

  test('a damaged database, a text file and another program\'s database are refused with a clear error and left untouched', { timeout: 120_000 }, async () => {
    const damaged = join(tmp, 'damaged.db');
    const h = History.open(damaged, { create: true });
    for (let n = 0; n < 30; n++) h.record(report(n));
    h.close();
    new Database(damaged).pragma('wal_checkpoint(TRUNCATE)');
    // Overwrite every page after the first (the header stays): the tables' b-trees are garbage.
    const bytes = readFileSync(damaged);
    const page = bytes.readUInt16BE(16) || 65536;
    assert.ok(bytes.length > page * 4, `${bytes.length} bytes`);
    for (let i = page; i < bytes.length; i++) bytes[i] = (i * 7919) & 0xff;
    writeFileSync(damaged, bytes);
    const text = join(tmp, 'text.db');
    writeFileSync(text, 'these are notes, not a database\n'.repeat(10));
    const foreign = join(tmp, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE bookmarks (url TEXT)');
    f.close();
    const before = [damaged, text, foreign].map(sha);
    const runs = await Promise.all([
      runCli(['history', 'list', '--history', damaged]),
      runCli(['lint', NO_AUTH, '--history', damaged]),
      runCli(['lint', NO_AUTH, '--history', text]),
      runCli(['history', 'diff', '--history', text]),
      runCli(['lint', NO_AUTH, '--history', foreign]),
    ]);
    for (const r of runs) {
      assert.equal(r.code, 2, show(r));
      assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/, show(r));
    }
    assert.match(runs[0]!.stderr, /history database .*damaged\.db is damaged or not an SQLite database .*left as it is/, show(runs[0]!));
    assert.match(runs[1]!.stderr, /damaged\.db is damaged/, show(runs[1]!));
    // Its header and schema read fine, so the damage shows when the run is stored: the report is still written.
    assert.match(runs[1]!.stdout, /lint of .*docker_2\.0_mosquitto-no-auth\.conf/, 'the report is not lost');
    assert.equal(runs[3]!.stdout, '');
    assert.match(runs[2]!.stderr, /text\.db is damaged or not an SQLite database/);
    assert.equal(runs[2]!.stdout, '', 'a file that is no database stops the lint before it runs');
    assert.match(runs[4]!.stderr, /foreign\.db is an SQLite database of another program, not an mqtt-warden history .*tables bookmarks/);
    assert.deepEqual([damaged, text, foreign].map(sha), before, 'the files were changed');
    assert.ok(!existsSync(`${text}-wal`) && statSync(text).size === 320);
  });

  test('diffRuns: a finding whose check could not judge the newer run is "not judged", not fixed', () => {
    const a = report(0);
    const fail = a.results[0]!;
    const other = a.results[2]!;
    const b = fixtureReport([
      { ...fail, status: 'ERROR', message: 'connection refused' },
      { ...other, status: 'PASS' },
      { ...a.results[4]!, severity: 'critical' },
      { ...a.results[6]!, fingerprint: 'f'.repeat(64), subject: 'mqtt://other:1883' },
    ]);
    const d = diffRuns({ id: 1, report: a }, { id: 2, report: b }, scopeOf(a).label);
    // ACC-000 ended in ERROR, ACC-006 was only judged on another subject, ACC-008… did not run.
    assert.deepEqual(d.unjudged.map((x) => x.checkId), ['ACC-000', 'ACC-006', 'ACC-008', 'ACC-010', 'ACC-012', 'ACC-014', 'ACC-016', 'ACC-018']);
    assert.deepEqual(d.fixed.map((x) => x.checkId), [other.checkId]);
    assert.deepEqual(d.changed.map((x) => [x.checkId, x.before.severity, x.severity]), [[a.results[4]!.checkId, 'high', 'critical']]);
    assert.deepEqual(d.new.map((x) => x.subject), ['mqtt://other:1883']);
  });

  test('the terminal diff lists 20 findings per section without -v, every one with it', () => {
    const many = fixtureReport(Array.from({ length: 30 }, (_, i) => ({ ...report(0).results[0]!, subject: `mqtt://10.0.0.${i}:1883`, fingerprint: createHash('sha256').update(String(i)).digest('hex') })));
    const d = diffRuns({ id: 1, report: many }, { id: 2, report: many }, 'audit of a fleet');
    assert.equal(d.counts.open, 30);
    const short = renderDiff(d);
    assert.match(short, /^Still open \(30\)$/m);
    assert.equal(short.match(/^ {2}high +ACC-000 /gm)?.length, 20);
    assert.match(short, /… and 10 more \(-v lists them all\)/);
    assert.equal(renderDiff(d, true).match(/^ {2}high +ACC-000 /gm)?.length, 30);
  });
});
