/**
 * The project file (mqtt-warden.yaml) and --baseline through the real CLI, run in a
 * temporary directory that holds a copy of the Docker "no-auth" Mosquitto config:
 * option defaults (the command line wins), checks turned off and re-rated, waivers
 * (live, expired, stale), baselines across moved lines, --no-config-file /
 * --config-file, and broken files (exit 2 with file:line:column).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './helpers/cli.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';

const NO_AUTH = new URL('fixtures/real-configs/mosquitto/docker_2.0_mosquitto-no-auth.conf', import.meta.url).pathname;
const T = { timeout: 180_000 };

const root = mkdtempSync(join(tmpdir(), 'mqtt-warden-project-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** A fresh directory with mosquitto.conf (the no-auth config) and, when given, mqtt-warden.yaml. */
function project(yaml?: string): string {
  const dir = join(root, `p${++dirs}`);
  mkdirSync(dir);
  copyFileSync(NO_AUTH, join(dir, 'mosquitto.conf'));
  if (yaml !== undefined) writeFileSync(join(dir, 'mqtt-warden.yaml'), yaml);
  return dir;
}

interface Result {
  checkId: string;
  status: string;
  severity: string;
  message: string;
  fingerprint: string;
  evidence?: Record<string, unknown>;
  suppression?: { kind: string; reason: string; expires?: string; source?: string };
}
interface ReportJson {
  command: string;
  notes: string[];
  summary: { FAIL: number; ERROR: number; suppressed: number; failuresBySeverity: Record<'info' | 'low' | 'medium' | 'high' | 'critical', number> };
  results: Result[];
}
interface SarifJson {
  runs: { results: { ruleId: string; baselineState?: string; suppressions?: { kind: string; status?: string; justification?: string }[] }[] }[];
}

function show(r: CliRun): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 3000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
}

function report(r: CliRun): ReportJson {
  let data: unknown;
  try {
    data = JSON.parse(r.stdout);
  } catch {
    assert.fail(`not JSON on stdout: ${show(r)}`);
  }
  assert.equal(reportErrors(data), '', show(r));
  return data as ReportJson;
}

function sarif(r: CliRun): SarifJson {
  const data = JSON.parse(r.stdout) as unknown;
  assert.equal(sarifErrors(data), '', show(r));
  return data as SarifJson;
}

const lint = (dir: string, ...args: string[]) => runCli(['lint', 'mosquitto.conf', ...args], { cwd: dir });
const fails = (rep: ReportJson) => rep.results.filter((x) => x.status === 'FAIL');
const open = (rep: ReportJson) => fails(rep).filter((x) => !x.suppression);

/** The local calendar date, shifted by some days, as the waivers write it. */
function localDay(shift: number): string {
  const d = new Date();
  d.setDate(d.getDate() + shift);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

test('defaults apply, the command line wins, a per-command section wins over defaults', T, async () => {
  const jsonDir = project('defaults:\n  format: json\n');
  const sectionDir = project('defaults:\n  format: json\n  fail-on: none\ncommands:\n  lint:\n    format: sarif\n');
  const [fromFile, cli, section, sectionFailOn, cliFailOn, auditDefaults] = await Promise.all([
    lint(jsonDir),
    lint(jsonDir, '-f', 'terminal'),
    lint(sectionDir),
    lint(sectionDir, '-f', 'json'),
    lint(sectionDir, '-f', 'json', '--fail-on', 'medium'),
    // The lint section is for lint only: the audit takes the defaults (JSON, fail-on none).
    runCli(['audit', 'mqtt://127.0.0.1:1', '--no-host', '--no-port-scan', '--timeout', '500'], { cwd: sectionDir }),
  ]);
  assert.equal(fromFile.code, 1, show(fromFile));
  assert.equal(report(fromFile).command, 'lint');
  assert.equal(cli.code, 1, show(cli));
  assert.match(cli.stdout, /^mqtt-warden \S+ lint of mosquitto\.conf$/m, show(cli));
  assert.throws(() => JSON.parse(cli.stdout) as unknown);
  // commands.lint.format: sarif over defaults.format: json; defaults.fail-on: none makes the findings not count.
  assert.equal(section.code, 0, show(section));
  assert.ok(sarif(section).runs[0]!.results.some((x) => x.ruleId === 'ACC-030'), show(section));
  assert.equal(sectionFailOn.code, 0, show(sectionFailOn));
  assert.ok(report(sectionFailOn).summary.failuresBySeverity.high > 0);
  assert.equal(cliFailOn.code, 1, show(cliFailOn));
  // An ERROR still exits 2 under the file's fail-on: none.
  assert.equal(auditDefaults.code, 2, show(auditDefaults));
  assert.equal(report(auditDefaults).command, 'audit');
});

test('checks.disable removes a check entirely; checks.severity re-rates its FAILs and the exit code follows', T, async () => {
  const plain = project();
  const disabled = project('checks:\n  disable: [ACC-030, ACC-031]\n');
  const lowered = project('checks:\n  severity:\n    ACC-030: low\n    ACC-031: low\n    ACC-032: info\n');
  const raised = project('checks:\n  severity:\n    CFG-032: critical\n');
  const [base, baseCritical, dis, low, high] = await Promise.all([
    lint(plain, '-f', 'json'),
    lint(plain, '-f', 'json', '--fail-on', 'critical'),
    lint(disabled, '-f', 'json', '--fail-on', 'high'),
    lint(lowered, '-f', 'json'),
    lint(raised, '-f', 'json', '--fail-on', 'critical'),
  ]);
  const b = report(base);
  assert.equal(base.code, 1);
  assert.ok(b.results.some((x) => x.checkId === 'ACC-030' && x.status === 'FAIL' && x.severity === 'high'));
  assert.equal(baseCritical.code, 0, show(baseCritical));

  // Disabled: not FAIL, not SKIP, not anywhere; without the two high findings --fail-on high passes.
  const d = report(dis);
  assert.deepEqual(d.results.filter((x) => x.checkId === 'ACC-030' || x.checkId === 'ACC-031'), []);
  assert.equal(d.results.length, b.results.length - 2);
  assert.equal(d.summary.failuresBySeverity.high, 0);
  assert.equal(dis.code, 0, show(dis));

  // Lowered below --fail-on medium: exit 0, the judged severity kept in the evidence.
  const l = report(low);
  assert.equal(low.code, 0, show(low));
  const acc030 = l.results.find((x) => x.checkId === 'ACC-030')!;
  assert.equal(acc030.severity, 'low');
  assert.equal(acc030.evidence?.originalSeverity, 'high');
  assert.equal(l.results.find((x) => x.checkId === 'ACC-032')!.severity, 'info');
  assert.equal(l.summary.failuresBySeverity.high + l.summary.failuresBySeverity.medium, 0);
  assert.equal(l.summary.FAIL, b.summary.FAIL);
  // PASS results keep their severity.
  for (const x of l.results.filter((r) => r.status !== 'FAIL')) assert.equal(x.evidence?.originalSeverity, undefined, x.checkId);

  // Raised to critical: --fail-on critical now fails.
  const h = report(high);
  assert.equal(high.code, 1, show(high));
  assert.equal(h.results.find((x) => x.checkId === 'CFG-032')!.severity, 'critical');
  assert.equal(h.summary.failuresBySeverity.critical, 1);
});

test('waivers: a live one suppresses (JSON, SARIF, exit), an expired one counts again and says so, a stale one is noted', T, async () => {
  // ACC-031, the other high finding, is turned off: ACC-030 is the only finding at --fail-on high.
  const waiver = (expires: string) =>
    `checks:\n  disable: [ACC-031]\nwaivers:\n  - check: ACC-030\n    location: "*mosquitto.conf"\n    reason: legacy sensors until the migration\n    expires: ${expires}\n    owner: ops@example.com\n`;
  const liveDir = project(waiver(localDay(1)));
  const expiredDir = project(waiver('2020-01-01'));
  const todayDir = project(waiver(localDay(0)));
  const staleDir = project(`${waiver(localDay(30))}  - check: TLS-030\n    reason: no TLS listener yet\n    expires: ${localDay(30)}\n`);
  const noWaiverDir = project('checks:\n  disable: [ACC-031]\n');
  const [live, liveSarif, liveTerminal, expired, today, stale, none] = await Promise.all([
    lint(liveDir, '-f', 'json', '--fail-on', 'high'),
    lint(liveDir, '-f', 'sarif', '--fail-on', 'high'),
    lint(liveDir, '--fail-on', 'high'),
    lint(expiredDir, '-f', 'json', '--fail-on', 'high'),
    lint(todayDir, '-f', 'json', '--fail-on', 'high'),
    lint(staleDir, '-f', 'json', '--fail-on', 'high'),
    lint(noWaiverDir, '-f', 'json', '--fail-on', 'high'),
  ]);
  assert.equal(none.code, 1, show(none));
  assert.deepEqual(open(report(none)).filter((x) => x.severity === 'high').map((x) => x.checkId), ['ACC-030']);

  // Live: still in the report, suppressed, counted as suppressed and not as a failure; exit 0.
  assert.equal(live.code, 0, show(live));
  const l = report(live);
  const waived = l.results.filter((x) => x.checkId === 'ACC-030');
  assert.equal(waived.length, 1);
  assert.equal(waived[0]!.status, 'FAIL');
  assert.deepEqual({ ...waived[0]!.suppression, source: undefined }, { kind: 'waiver', reason: 'legacy sensors until the migration', expires: localDay(1), source: undefined });
  assert.match(waived[0]!.suppression!.source!, /mqtt-warden\.yaml:4$/);
  assert.equal(l.summary.suppressed, 1);
  assert.equal(l.summary.failuresBySeverity.high, 0);
  assert.equal(liveSarif.code, 0, show(liveSarif));
  const s = sarif(liveSarif).runs[0]!.results;
  const sAcc030 = s.filter((x) => x.ruleId === 'ACC-030');
  assert.equal(sAcc030.length, 1);
  assert.equal(sAcc030[0]!.suppressions?.length, 1);
  assert.match(sAcc030[0]!.suppressions![0]!.justification ?? '', /legacy sensors until the migration/);
  assert.ok(s.filter((x) => x.ruleId !== 'ACC-030').every((x) => !x.suppressions?.length), 'only the waived result is suppressed');
  assert.equal(liveTerminal.code, 0, show(liveTerminal));
  assert.match(liveTerminal.stdout, /\b1 suppressed\b/, show(liveTerminal));

  // Expired (long ago, and on its own date): an ordinary FAIL again that says so; exit 1.
  for (const [r, date] of [
    [expired, '2020-01-01'],
    [today, localDay(0)],
  ] as const) {
    assert.equal(r.code, 1, show(r));
    const e = report(r);
    const f = e.results.find((x) => x.checkId === 'ACC-030')!;
    assert.equal(f.status, 'FAIL');
    assert.equal(f.suppression, undefined);
    assert.match(f.message, new RegExp(`waiver from \\S*mqtt-warden\\.yaml:4 expired on ${date} \\(legacy sensors until the migration\\)`));
    assert.deepEqual({ ...(f.evidence?.expiredWaiver as object), source: undefined }, { source: undefined, expires: date, reason: 'legacy sensors until the migration', owner: 'ops@example.com' });
    assert.ok(e.notes.some((n) => n.includes('mqtt-warden.yaml:4') && n.includes(`expired on ${date}`) && n.includes('ACC-030')), e.notes.join('\n'));
    assert.equal(e.summary.suppressed, 0);
    assert.equal(e.summary.failuresBySeverity.high, 1);
  }

  // Stale: the TLS-030 waiver matches nothing (no TLS listener) and is listed; the live one still works.
  assert.equal(stale.code, 0, show(stale));
  const st = report(stale);
  assert.ok(st.notes.some((n) => /mqtt-warden\.yaml:9 \(TLS-030\) matched no failing result/.test(n)), st.notes.join('\n'));
  assert.ok(!st.notes.some((n) => n.includes('(ACC-030) matched no')), st.notes.join('\n'));
  assert.equal(st.summary.suppressed, 1);
});

test('--baseline: moved lines keep their fingerprints (exit 0); a new weakness gives exactly its findings (exit 1)', T, async () => {
  const dir = project();
  const conf = join(dir, 'mosquitto.conf');
  const first = await lint(dir, '-f', 'json', '-o', 'old.json');
  assert.equal(first.code, 1, show(first));
  const old = JSON.parse(readFileSync(join(dir, 'old.json'), 'utf8')) as ReportJson;
  assert.equal(reportErrors(old), '');
  const oldPrints = new Set(fails(old).map((x) => x.fingerprint));
  assert.ok(oldPrints.size >= 5, `too few findings to compare: ${oldPrints.size}`);

  // Every line moves down by three.
  writeFileSync(conf, `# deployed by ansible\n# do not edit\n#\n${readFileSync(conf, 'utf8')}`);
  const [moved, movedNoBaseline] = await Promise.all([lint(dir, '-f', 'json', '--baseline', 'old.json'), lint(dir, '-f', 'json')]);
  assert.equal(moved.code, 0, show(moved));
  const m = report(moved);
  assert.equal(m.summary.FAIL, fails(old).length);
  assert.equal(m.summary.suppressed, fails(old).length);
  for (const f of fails(m)) {
    assert.equal(f.suppression?.kind, 'baseline', f.checkId);
    assert.match(f.suppression!.reason, /old\.json/);
    assert.ok(oldPrints.has(f.fingerprint), f.checkId);
  }
  assert.ok(m.notes.some((n) => /Baseline old\.json: \d+ known finding\(s\) suppressed\./.test(n)), m.notes.join('\n'));
  // The lines did move: without the baseline the same findings count and point three lines lower.
  assert.equal(movedNoBaseline.code, 1);
  const acc030 = (rep: ReportJson) => JSON.stringify(rep.results.find((x) => x.checkId === 'ACC-030'));
  assert.notEqual(acc030(report(movedNoBaseline)), acc030(old));

  // One new weakness: a plaintext WebSocket listener, anonymous like the first.
  writeFileSync(conf, `${readFileSync(conf, 'utf8')}\nlistener 8884\nprotocol websockets\n`);
  const [added, addedSarif] = await Promise.all([lint(dir, '-f', 'json', '--baseline', 'old.json'), lint(dir, '-f', 'sarif', '--baseline', 'old.json')]);
  assert.equal(added.code, 1, show(added));
  const a = report(added);
  const fresh = open(a);
  assert.ok(fresh.length > 0);
  for (const f of fresh) assert.match(f.message, /8884/, `a finding that is not about the new listener is new: ${f.checkId} ${f.message}`);
  for (const id of ['ACC-030', 'ACC-031', 'SVC-032']) assert.ok(fresh.some((x) => x.checkId === id), `no new ${id}`);
  for (const f of fails(a).filter((x) => x.suppression)) {
    assert.equal(f.suppression!.kind, 'baseline');
    assert.ok(oldPrints.has(f.fingerprint));
    assert.doesNotMatch(f.message, /8884/);
  }
  // The known findings of listener 1883 are all still suppressed.
  assert.ok(a.summary.suppressed >= oldPrints.size - 1, JSON.stringify(a.summary));

  assert.equal(addedSarif.code, 1);
  const results = sarif(addedSarif).runs[0]!.results;
  assert.equal(results.filter((x) => x.baselineState === 'new').length, fresh.length);
  assert.equal(results.filter((x) => x.baselineState === 'unchanged').length, a.summary.suppressed);
  assert.ok(results.filter((x) => x.baselineState === 'unchanged').every((x) => x.suppressions?.length === 1));
});

test('--no-config-file ignores the file; --config-file uses another one', T, async () => {
  // The default file is broken: it must not even be read when another one is named or none is wanted.
  const dir = project('defaults:\n  format: json\nbogus: true\n');
  mkdirSync(join(dir, 'ci'));
  writeFileSync(join(dir, 'ci', 'other.yaml'), 'defaults:\n  format: sarif\n  fail-on: critical\n');
  const [broken, ignored, other] = await Promise.all([lint(dir), lint(dir, '--no-config-file'), lint(dir, '--config-file', 'ci/other.yaml')]);
  assert.equal(broken.code, 2, show(broken));
  assert.equal(ignored.code, 1, show(ignored));
  assert.match(ignored.stdout, /^mqtt-warden \S+ lint of mosquitto\.conf$/m);
  assert.equal(other.code, 0, show(other));
  assert.ok(sarif(other).runs[0]!.results.length > 0);
});

test('a broken project file exits 2 and names file:line:column', T, async () => {
  const cases: { yaml: string; message: RegExp; args?: string[] }[] = [
    { yaml: 'defaults:\n  format: json\nbogus: 1\n', message: /mqtt-warden\.yaml:3:1: .*Unrecognized key: "bogus"/ },
    {
      yaml: 'waivers:\n  - check: ACC-030\n    reason: x\n    expires: 2026-02-30\n',
      message: /mqtt-warden\.yaml:4:14: waivers\.0\.expires: not a calendar date/,
    },
    { yaml: 'waivers:\n  - check: ACC-030\n    reason: x\n', message: /mqtt-warden\.yaml:2:5: waivers\.0\.expires: .*expires: YYYY-MM-DD/ },
    { yaml: 'checks:\n  disable: [CFG-030, ACC-999]\n', message: /mqtt-warden\.yaml:2:22: checks\.disable\.1: unknown check ACC-999/ },
    { yaml: 'checks:\n  severity:\n    ACC-999: low\n', message: /mqtt-warden\.yaml:3:5: .*unknown check ACC-999/ },
    { yaml: 'defaults:\n  fail-on: high\n  frobnicate: 3\n', message: /mqtt-warden\.yaml:3:3: defaults\.frobnicate: no command has an option --frobnicate/ },
    { yaml: 'commands:\n  lint:\n    timeout: 3\n', message: /mqtt-warden\.yaml:3:5: commands\.lint\.timeout: lint has no option --timeout/ },
    // Values go through the option's own parser.
    { yaml: 'commands:\n  lint:\n    fail-on: severe\n', message: /mqtt-warden\.yaml:3:5: fail-on: must be one of info, low, medium, high, critical, none/ },
    { yaml: 'defaults:\n  format: xml\n', message: /mqtt-warden\.yaml:2:3: format: .*terminal, json, sarif, junit/ },
    {
      yaml: 'commands:\n  audit:\n    timeout: abc\n',
      args: ['audit', 'mqtt://127.0.0.1:1', '--no-host', '--no-port-scan'],
      message: /mqtt-warden\.yaml:3:5: timeout: --timeout must be a whole number/,
    },
    {
      yaml: 'defaults:\n  timeout: 5\n',
      args: ['audit', 'mqtt://127.0.0.1:1', '--no-host', '--no-port-scan'],
      message: /mqtt-warden\.yaml:2:3: timeout: --timeout must be between 100 and 120000/,
    },
  ];
  await Promise.all(
    cases.map(async (c) => {
      const dir = project(c.yaml);
      const r = await runCli(c.args ?? ['lint', 'mosquitto.conf'], { cwd: dir });
      const what = `${c.yaml}\n${show(r)}`;
      assert.equal(r.code, 2, what);
      assert.equal(r.stdout, '', what);
      assert.match(r.stderr, c.message, what);
    }),
  );
});

test('a project-file option never overrides a conflicting command-line option (-q over a file verbose: true)', T, async () => {
  const dir = project('defaults:\n  verbose: true\n');
  const bothDir = project('defaults:\n  verbose: true\n  quiet: true\n');
  const [quiet, quietNoFile, verbose, both] = await Promise.all([lint(dir, '-q'), lint(dir, '-q', '--no-config-file'), lint(dir), lint(bothDir)]);
  assert.equal(quiet.code, 1, show(quiet));
  assert.equal(verbose.code, 1, show(verbose));
  // verbose lists the passed checks; -q on the command line wins over the file.
  assert.match(verbose.stdout, /^\s+PASS /m);
  assert.doesNotMatch(quiet.stdout, /^\s+PASS /m, show(quiet));
  const norm = (text: string) => text.replace(/ in \d+\.\d+s/g, '');
  assert.equal(norm(quiet.stdout), norm(quietNoFile.stdout), `not the same output as -q without the file\n${show(quiet)}`);
  // Both in the file: as on the command line, a usage error that names the place.
  assert.equal(both.code, 2, show(both));
  assert.match(both.stderr, /mqtt-warden\.yaml:3:3: quiet: cannot be used with --verbose/, show(both));
});
