/**
 * Severity overrides, waivers and baselines (src/core/suppress.ts) on results the real
 * config checks produce from Mosquitto configs.
 */
import { test } from 'node:test';
import { fixtureReport } from './helpers/report.js';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE } from '../src/checks/index.js';
import { loadConfigFacts } from '../src/collectors/config.js';
import { memoryIO } from '../src/config/io.js';
import { DEFAULT_POLICY } from '../src/config/policy.js';
import type { Waiver } from '../src/config/project.js';
import { judgeOne } from '../src/core/engine.js';
import { summarize } from '../src/core/report.js';
import {
  applyBaseline,
  applySeverityOverrides,
  applyWaivers,
  BaselineError,
  expiredWaiverNote,
  globMatch,
  loadBaseline,
  localDate,
  staleWaiverNote,
} from '../src/core/suppress.js';
import type { CheckResult, Report } from '../src/core/types.js';
import { renderJson } from '../src/reporters/json.js';
import { reportErrors } from './helpers/schemas.js';

const CONF = 'etc/mosquitto/mosquitto.conf';

/** Every result of the system-scope config checks on one mosquitto.conf. */
function lint(conf: string): CheckResult[] {
  const { facts } = loadConfigFacts([{ path: CONF, format: 'mosquitto' }], { io: memoryIO({ [CONF]: conf }), policy: DEFAULT_POLICY });
  return CATALOGUE.filter((c) => c.meta.scope === 'system').flatMap((c) => judgeOne(c, facts, { subject: CONF, host: CONF, loopback: false }, false));
}

const V1 = ['per_listener_settings true', 'listener 1883', 'allow_anonymous true', 'listener 8883', 'allow_anonymous true', ''].join('\n');
const fails = (rs: readonly CheckResult[]) => rs.filter((r) => r.status === 'FAIL');
const anon = (rs: readonly CheckResult[], port: number) => {
  const r = rs.find((x) => x.checkId === 'ACC-030' && x.message.startsWith(`listener ${port} `));
  assert.ok(r, `ACC-030 for listener ${port}`);
  return r;
};

function waiver(w: Partial<Waiver> & Pick<Waiver, 'check'>): Waiver {
  return { reason: 'legacy devices until the migration', expires: '2026-03-01', source: 'mqtt-warden.yaml:7', ...w };
}

function report(results: CheckResult[]): Report {
  return fixtureReport(results, {
    command: 'lint',
    startedAt: '2026-01-10T10:00:00.000Z',
    finishedAt: '2026-01-10T10:00:01.000Z',
    options: { intrusive: false, host: false, network: false, failOn: 'medium', identity: 'none (config lint)' },
    targets: [{ uri: CONF, explicit: true }],
  });
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mqtt-warden-suppress-'));
}

// ---------------------------------------------------------------- globs and dates

test('globMatch: * crosses / and :, ? is one character, everything else is literal', () => {
  assert.ok(globMatch('ws://*', 'ws://h:8083/mqtt'));
  assert.ok(globMatch('mqtt://*:1883', 'mqtt://10.0.0.5:1883'));
  assert.ok(!globMatch('mqtt://*:1883', 'mqtt://10.0.0.5:18830'));
  assert.ok(globMatch('*/mosquitto.conf', 'etc/mosquitto/mosquitto.conf'));
  assert.ok(globMatch('host?', 'host1'));
  assert.ok(!globMatch('host?', 'host12'));
  // IPv6 brackets and regex characters are literal.
  assert.ok(globMatch('mqtt://[::1]:1883', 'mqtt://[::1]:1883'));
  assert.ok(!globMatch('mqtt://[::1]:1883', 'mqtt://::1:1883'));
  assert.ok(!globMatch('a.conf', 'abconf'));
  assert.ok(globMatch('(x)+|y', '(x)+|y'));
});

test('localDate: the local calendar date, zero-padded', () => {
  assert.equal(localDate(new Date(2026, 0, 5, 23, 59)), '2026-01-05');
  assert.equal(localDate(new Date(2026, 11, 31, 0, 0)), '2026-12-31');
});

// ---------------------------------------------------------------- severity overrides

test('severity overrides replace FAIL severities and keep the original in the evidence', () => {
  const results = lint(V1);
  const acc030 = anon(results, 1883);
  assert.equal(acc030.severity, 'high');
  const pass = results.find((r) => r.status === 'PASS');
  assert.ok(pass, 'the config passes some check');
  const out = applySeverityOverrides(results, { 'ACC-030': 'low', [pass.checkId]: 'critical', 'SVC-030': fails(results).find((r) => r.checkId === 'SVC-030')!.severity });
  const changed = anon(out, 1883);
  assert.equal(changed.severity, 'low');
  assert.equal(changed.evidence.originalSeverity, 'high');
  assert.equal(anon(out, 8883).severity, 'low');
  // Input untouched, PASS untouched, an override to the same severity records nothing.
  assert.equal(acc030.severity, 'high');
  assert.equal(acc030.evidence.originalSeverity, undefined);
  assert.deepEqual(out.find((r) => r.fingerprint === pass.fingerprint), pass);
  const svc = out.find((r) => r.checkId === 'SVC-030' && r.status === 'FAIL')!;
  assert.equal(svc.evidence.originalSeverity, undefined);
  assert.equal(summarize(out).failuresBySeverity.high, summarize(results).failuresBySeverity.high - 2);
});

// ---------------------------------------------------------------- waivers

test('a live waiver suppresses the FAILs it matches; they stop counting as findings', () => {
  const results = lint(V1);
  const w = waiver({ check: 'ACC-030', subject: 'etc/*', location: '*/mosquitto.conf', owner: 'ops' });
  const { results: out, stale, expired } = applyWaivers(results, [w], '2026-02-28');
  for (const port of [1883, 8883]) {
    const r = anon(out, port);
    assert.equal(r.status, 'FAIL');
    assert.deepEqual(r.suppression, { kind: 'waiver', reason: w.reason, expires: '2026-03-01', source: 'mqtt-warden.yaml:7' });
    assert.equal(r.message, anon(results, port).message);
  }
  assert.equal(out.filter((r) => r.suppression).length, 2);
  assert.deepEqual(stale, []);
  assert.deepEqual(expired, []);
  const before = summarize(results);
  const after = summarize(out);
  assert.equal(after.FAIL, before.FAIL);
  assert.equal(after.suppressed, 2);
  assert.equal(after.failuresBySeverity.high, before.failuresBySeverity.high - 2);
  // Pure: the input results are unchanged.
  assert.equal(results.filter((r) => r.suppression).length, 0);
});

test('a location glob with a line pins one finding; a file glob catches every line', () => {
  const results = lint(V1);
  const one = applyWaivers(results, [waiver({ check: 'ACC-030', location: `${CONF}:3` })], '2026-01-01').results;
  assert.ok(anon(one, 1883).suppression);
  assert.equal(anon(one, 8883).suppression, undefined);
  const all = applyWaivers(results, [waiver({ check: 'ACC-030', location: CONF })], '2026-01-01').results;
  assert.ok(anon(all, 1883).suppression && anon(all, 8883).suppression);
  // A result located at a target (not a file) never matches a waiver with a location.
  const target: CheckResult = { ...anon(results, 1883), location: { uri: 'mqtt://h:1883', kind: 'target' } };
  assert.equal(applyWaivers([target], [waiver({ check: 'ACC-030', location: '*' })], '2026-01-01').results[0]!.suppression, undefined);
  assert.ok(applyWaivers([target], [waiver({ check: 'ACC-030' })], '2026-01-01').results[0]!.suppression);
});

test('an expired waiver does not suppress: the FAIL stays and says which waiver expired', () => {
  const results = lint(V1);
  const w = waiver({ check: 'ACC-030', location: `${CONF}:3` });
  // The day before the expiry date it still holds; on the date it has expired.
  assert.ok(anon(applyWaivers(results, [w], '2026-02-28').results, 1883).suppression);
  const { results: out, expired, stale } = applyWaivers(results, [w], '2026-03-01');
  const r = anon(out, 1883);
  assert.equal(r.status, 'FAIL');
  assert.equal(r.suppression, undefined);
  assert.equal(r.message, `${anon(results, 1883).message}; waiver from mqtt-warden.yaml:7 expired on 2026-03-01 (legacy devices until the migration)`);
  assert.deepEqual(r.evidence.expiredWaiver, { source: 'mqtt-warden.yaml:7', expires: '2026-03-01', reason: 'legacy devices until the migration' });
  assert.equal(r.fingerprint, anon(results, 1883).fingerprint);
  assert.deepEqual(expired, [w]);
  assert.deepEqual(stale, []);
  assert.equal(summarize(out).suppressed, 0);
  assert.match(expiredWaiverNote(w), /^waiver from mqtt-warden\.yaml:7 expired on 2026-03-01 .*counts as a finding again/);
  // A live waiver beside an expired one wins.
  const renewed = waiver({ check: 'ACC-030', expires: '2027-01-01', source: 'mqtt-warden.yaml:20' });
  const both = applyWaivers(results, [w, renewed], '2026-06-01');
  assert.equal(anon(both.results, 1883).suppression?.source, 'mqtt-warden.yaml:20');
  assert.deepEqual(both.expired, []);
});

test('a waiver on the wrong subject does nothing and is reported stale', () => {
  const results = lint(V1);
  const wrong = waiver({ check: 'ACC-030', subject: 'mqtt://other:1883' });
  const { results: out, stale } = applyWaivers(results, [wrong], '2026-01-01');
  assert.deepEqual(out, results);
  assert.deepEqual(stale, [wrong]);
  assert.match(staleWaiverNote(wrong), /^waiver from mqtt-warden\.yaml:7 \(ACC-030, subject mqtt:\/\/other:1883\) matched no failing result/);
});

test('stale waivers: those matching no FAIL (a passing check, another check); matched ones are not stale', () => {
  const results = lint(V1);
  const passing = results.find((r) => r.status === 'PASS')!;
  const onPass = waiver({ check: passing.checkId, source: 'mqtt-warden.yaml:10' });
  const used = waiver({ check: 'SVC-030', source: 'mqtt-warden.yaml:14' });
  const expiredUsed = waiver({ check: 'ACC-031', expires: '2020-01-01', source: 'mqtt-warden.yaml:18' });
  const elsewhere = waiver({ check: 'TLS-031', source: 'mqtt-warden.yaml:22' });
  const { stale } = applyWaivers(results, [onPass, used, expiredUsed, elsewhere], '2026-01-01');
  assert.deepEqual(
    stale.map((w) => w.source),
    ['mqtt-warden.yaml:10', 'mqtt-warden.yaml:22'],
  );
});

test('only FAIL is waived: an ERROR of the same check stays as it is', () => {
  const results = lint(V1);
  const error: CheckResult = { ...anon(results, 1883), status: 'ERROR', message: 'parser crashed' };
  const { results: out, stale } = applyWaivers([error], [waiver({ check: 'ACC-030' })], '2026-01-01');
  assert.deepEqual(out, [error]);
  assert.equal(stale.length, 1);
});

test('applyWaivers wants today as YYYY-MM-DD', () => {
  assert.throws(() => applyWaivers([], [], '1.3.2026'), /today must be YYYY-MM-DD/);
});

// ---------------------------------------------------------------- baselines

/** V1 with three comment lines on top (every line moves), a new anonymous listener and $SYS off. */
const V2 = ['# production broker', '# managed by ops', '', V1.trimEnd(), 'listener 1884', 'allow_anonymous true', 'sys_interval 0', ''].join('\n');

test('baseline: after an edit that moves every line, exactly the known findings are suppressed', () => {
  const dir = tempDir();
  try {
    const before = lint(V1);
    const after = lint(V2);
    // Same finding, other line, same fingerprint.
    assert.equal(anon(before, 1883).location.line, 3);
    assert.equal(anon(after, 1883).location.line, 6);
    assert.equal(anon(after, 1883).fingerprint, anon(before, 1883).fingerprint);

    const file = join(dir, 'baseline.json');
    const json = renderJson(report(before));
    assert.equal(reportErrors(JSON.parse(json)), '');
    writeFileSync(file, json);
    const baseline = loadBaseline(file);
    assert.equal(baseline.command, 'lint');
    assert.equal(baseline.fingerprints.size, fails(before).length);

    const { results, absent } = applyBaseline(after, baseline, 'baseline.json');
    const isNew = (r: CheckResult) => r.message.includes('listener 1884');
    const failsAfter = fails(results);
    assert.ok(failsAfter.some(isNew), 'the new listener has findings');
    for (const r of failsAfter) {
      if (isNew(r)) assert.equal(r.suppression, undefined, `${r.checkId} ${r.message} is new`);
      else assert.deepEqual(r.suppression, { kind: 'baseline', reason: 'in baseline baseline.json' }, `${r.checkId} ${r.message} was known`);
    }
    // Every old finding was found again except the $SYS one that sys_interval 0 fixed.
    assert.ok(fails(before).some((r) => r.checkId === 'CFG-032'));
    assert.ok(!failsAfter.some((r) => r.checkId === 'CFG-032'));
    assert.equal(absent, 1);
    assert.deepEqual(
      results.filter((r) => r.status !== 'FAIL'),
      after.filter((r) => r.status !== 'FAIL'),
    );
    assert.equal(summarize(results).suppressed, failsAfter.filter((r) => !isNew(r)).length);
    // Default label: the file.
    assert.equal(fails(applyBaseline(after, baseline).results).find((r) => !isNew(r))?.suppression?.reason, `in baseline ${file}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('baseline: waived findings of the baseline report are not in it; already suppressed results are kept', () => {
  const dir = tempDir();
  try {
    const before = lint(V1);
    const waived = applyWaivers(before, [waiver({ check: 'ACC-030' })], '2026-01-01').results;
    const file = join(dir, 'baseline.json');
    writeFileSync(file, renderJson(report(waived)));
    const baseline = loadBaseline(file);
    assert.equal(baseline.fingerprints.size, fails(before).length - 2);
    assert.ok(!baseline.fingerprints.has(anon(before, 1883).fingerprint));
    // Once the waiver has expired, the baseline does not hide the finding.
    const later = applyWaivers(before, [waiver({ check: 'ACC-030' })], '2026-04-01').results;
    const out = applyBaseline(later, baseline).results;
    assert.equal(anon(out, 1883).suppression, undefined);
    assert.match(anon(out, 1883).message, /expired on 2026-03-01/);
    // A waiver-suppressed result keeps its waiver.
    const full = loadBaseline((writeFileSync(file, renderJson(report(before))), file));
    const kept = applyBaseline(waived, full).results;
    assert.equal(anon(kept, 1883).suppression?.kind, 'waiver');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('loadBaseline: clear errors for what is not an mqtt-warden JSON report', () => {
  const dir = tempDir();
  try {
    const write = (name: string, text: string) => {
      const p = join(dir, name);
      writeFileSync(p, text);
      return p;
    };
    const expectError = (path: string, re: RegExp) =>
      assert.throws(
        () => loadBaseline(path),
        (e: unknown) => e instanceof BaselineError && re.test(e.message) && e.message.startsWith(path),
        re.source,
      );
    expectError(write('broken.json', '{\n  "schemaVersion": 1,\n  oops\n}\n'), /^.*broken\.json: 3:\d+: not JSON .*--format json/);
    expectError(write('sarif.json', JSON.stringify({ version: '2.1.0', runs: [] })), /not an mqtt-warden JSON report/);
    const good = JSON.parse(renderJson(report(lint(V1)))) as Record<string, unknown> & { results: Record<string, unknown>[] };
    expectError(write('v2.json', JSON.stringify({ ...good, schemaVersion: 2 })), /schemaVersion: expected 1/);
    const old = structuredClone(good);
    delete old.results[0]!.fingerprint;
    expectError(write('old.json', JSON.stringify(old)), /results\.0\.fingerprint: no fingerprint: .*write a new baseline/);
    expectError(dir, /is a directory, not a regular file/);
    expectError(join(dir, 'missing.json'), /cannot read .*ENOENT/);
    mkdirSync(join(dir, 'sub'));
    expectError(join(dir, 'sub', 'x.json'), /ENOENT/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
