/**
 * The one command surface through the real CLI: the shared output options
 * (-f/-o/-q/-v/--no-color), the judging options in --help, the exit rule, the
 * deprecated spellings of the README table and NO_COLOR / FORCE_COLOR.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './helpers/cli.js';
import { reportErrors } from './helpers/schemas.js';

const fixture = (p: string) => new URL(`fixtures/${p}`, import.meta.url).pathname;
const NO_AUTH = fixture('real-configs/mosquitto/docker_2.0_mosquitto-no-auth.conf');
const PWFILE = fixture('real-configs/mosquitto/pwfile.example');
const CLUSTER = fixture('ports/cluster-3.yaml');
const NODE = 'emqx1@10.0.0.11';
const LOG = fixture('logs/mosquitto-2.0.11-notice.log');
/** Nothing listens on TCP port 1; no port scan, so a broker another test runs on 1883 does not count. */
const CLOSED = ['mqtt://127.0.0.1:1', '--no-host', '--no-port-scan', '--timeout', '500'];

const tmp = mkdtempSync(join(tmpdir(), 'mqtt-warden-surface-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

const ESC = '\x1b[';
const SEVERITY_ORDER = ['info', 'low', 'medium', 'high', 'critical'] as const;

interface ReportJson {
  command: string;
  notes: string[];
  summary: { ERROR: number; FAIL: number; failuresBySeverity: Record<(typeof SEVERITY_ORDER)[number], number> };
  results: { checkId: string; status: string; message: string; subject: string }[];
}

/** The README's exit rule, computed from a JSON report: 1 for an unsuppressed FAIL at/above failOn, else 2 for an ERROR, else 0. */
function ruleExit(report: ReportJson, failOn: (typeof SEVERITY_ORDER)[number] | 'none' = 'medium'): number {
  const counted = failOn === 'none' ? [] : SEVERITY_ORDER.slice(SEVERITY_ORDER.indexOf(failOn));
  if (counted.some((s) => report.summary.failuresBySeverity[s] > 0)) return 1;
  return report.summary.ERROR > 0 ? 2 : 0;
}

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}

function show(r: CliRun): string {
  return `exit ${r.code}\n--- stdout\n${r.stdout.slice(0, 2000)}\n--- stderr\n${r.stderr.slice(0, 2000)}`;
}

function deprecationNotes(r: CliRun): string[] {
  return lines(r.stderr).filter((l) => /deprecated/.test(l));
}

/** Every command that prints something, with -f json: the judging ones write a report. */
const OUTPUT_CASES: { name: string; args: string[]; judging: boolean; exit?: number }[] = [
  { name: 'lint', args: ['lint', NO_AUTH], judging: true, exit: 1 },
  { name: 'passwd audit', args: ['passwd', 'audit', PWFILE], judging: true, exit: 1 },
  // The port check reads this host's sockets and firewall: its verdict depends on the host, the rule does not.
  { name: 'ports --check', args: ['ports', '--check', '--cluster', CLUSTER, '--for', NODE], judging: true },
  { name: 'checks', args: ['checks'], judging: false, exit: 0 },
  { name: 'advisories list', args: ['advisories', 'list'], judging: false, exit: 0 },
  { name: 'guard test', args: ['guard', 'test', LOG], judging: false, exit: 0 },
  { name: 'lab list', args: ['lab', 'list'], judging: false, exit: 0 },
  { name: 'lab exercise', args: ['lab', 'exercise'], judging: false, exit: 0 },
];

test('-f json -o FILE: the file holds valid JSON, stdout stays empty, one stderr line names the file (none with -q)', { timeout: 180_000 }, async () => {
  await Promise.all(
    OUTPUT_CASES.flatMap((c, i) =>
      [false, true].map(async (quiet) => {
        const out = join(tmp, `out-${i}${quiet ? '-q' : ''}.json`);
        const r = await runCli([...c.args, '-f', 'json', '-o', out, ...(quiet ? ['-q'] : [])]);
        const what = `${c.name}${quiet ? ' -q' : ''}: ${show(r)}`;
        assert.equal(r.stdout, '', what);
        assert.ok(existsSync(out), `${what}\n${out} was not written`);
        const data = JSON.parse(readFileSync(out, 'utf8')) as unknown;
        if (quiet) assert.equal(r.stderr, '', what);
        else {
          assert.equal(lines(r.stderr).length, 1, what);
          assert.ok(r.stderr.includes(out), what);
        }
        if (c.judging) {
          assert.equal(reportErrors(data), '', what);
          const report = data as ReportJson;
          assert.equal(r.code, ruleExit(report), `${what}\nthe exit code does not follow the rule for ${JSON.stringify(report.summary)}`);
          if (c.exit !== undefined) assert.equal(r.code, c.exit, what);
          if (!quiet) assert.match(r.stderr, new RegExp(`\\(${report.summary.FAIL} failed, ${report.summary.ERROR} errors`), what);
        } else {
          assert.equal(r.code, c.exit, what);
          assert.ok(data !== null && typeof data === 'object', what);
        }
      }),
    ),
  );
});

test('--help of every reporting command lists the output options; the judging ones also the judging options', { timeout: 180_000 }, async () => {
  const reporting: { args: string[]; judging: boolean }[] = [
    { args: ['audit'], judging: true },
    { args: ['lint'], judging: true },
    { args: ['passwd', 'audit'], judging: true },
    { args: ['ports'], judging: true },
    { args: ['checks'], judging: false },
    { args: ['advisories', 'list'], judging: false },
    { args: ['guard', 'test'], judging: false },
    { args: ['guard', 'status'], judging: false },
    { args: ['guard', 'bans'], judging: false },
    ...['start', 'status', 'stop', 'list', 'exercise', 'score'].map((c) => ({ args: ['lab', c], judging: false })),
  ];
  const output = [/^\s+-f, --format <format>/m, /^\s+-o, --output <file>/m, /^\s+--no-color\b/m, /^\s+-v, --verbose\b/m, /^\s+-q, --quiet\b/m];
  const judging = [/^\s+--fail-on <severity>/m, /^\s+--baseline <report\.json>/m, /^\s+--config-file <file>/m, /^\s+--no-config-file\b/m];
  await Promise.all(
    reporting.map(async (c) => {
      const r = await runCli([...c.args, '--help']);
      const what = `${c.args.join(' ')} --help: ${show(r)}`;
      assert.equal(r.code, 0, what);
      for (const re of output) assert.match(r.stdout, re, what);
      for (const re of judging) {
        if (c.judging) assert.match(r.stdout, re, what);
        else assert.doesNotMatch(r.stdout, re, what);
      }
      // The old spellings are hidden.
      assert.doesNotMatch(r.stdout, /--report-format|-r, --report|--json\b/, what);
    }),
  );
});

test('exit rule: an audit that could not judge exits 2 and says why, also with --fail-on none', { timeout: 180_000 }, async () => {
  const [json, none, terminal] = await Promise.all([
    runCli(['audit', ...CLOSED, '-f', 'json']),
    runCli(['audit', ...CLOSED, '-f', 'json', '--fail-on', 'none']),
    runCli(['audit', ...CLOSED]),
  ]);
  for (const r of [json, none]) {
    assert.equal(r.code, 2, show(r));
    const report = JSON.parse(r.stdout) as ReportJson;
    assert.equal(reportErrors(report), '', show(r));
    assert.ok(report.summary.ERROR > 0, show(r));
    const errors = report.results.filter((x) => x.status === 'ERROR');
    assert.ok(errors.some((x) => /ECONNREFUSED/.test(x.message) && x.message.includes('127.0.0.1:1')), `no ERROR says the connection was refused:\n${JSON.stringify(errors, null, 2)}`);
    assert.equal(report.summary.FAIL, 0, show(r));
  }
  assert.equal(terminal.code, 2, show(terminal));
  assert.match(terminal.stdout, /ERROR .*ECONNREFUSED|ECONNREFUSED[\s\S]*ERROR/, show(terminal));
});

test('exit rule: a high finding exits 1; --fail-on above it or none exits 0', { timeout: 180_000 }, async () => {
  const runs = await Promise.all(
    (['medium', 'high', 'critical', 'none'] as const).map(async (failOn) => ({ failOn, r: await runCli(['lint', NO_AUTH, '-f', 'json', '--fail-on', failOn]) })),
  );
  const expected = { medium: 1, high: 1, critical: 0, none: 0 };
  for (const { failOn, r } of runs) {
    const report = JSON.parse(r.stdout) as ReportJson;
    assert.equal(reportErrors(report), '', show(r));
    // The fixture's anonymous listener on every interface is a high finding and there is no critical one.
    assert.ok(report.summary.failuresBySeverity.high > 0, show(r));
    assert.equal(report.summary.failuresBySeverity.critical, 0, show(r));
    assert.equal(report.summary.ERROR, 0, show(r));
    assert.equal(r.code, expected[failOn], `--fail-on ${failOn}: ${show(r)}`);
    assert.equal(r.code, ruleExit(report, failOn), `--fail-on ${failOn}`);
  }
  const dflt = await runCli(['lint', NO_AUTH]);
  assert.equal(dflt.code, 1, show(dflt));
});

test('-v and -q together are a usage error (exit 2), in any command that prints', { timeout: 180_000 }, async () => {
  const runs = await Promise.all([
    runCli(['lint', NO_AUTH, '-v', '-q']),
    runCli(['checks', '--quiet', '--verbose']),
    runCli(['guard', 'test', LOG, '-q', '-v']),
  ]);
  for (const r of runs) {
    assert.equal(r.code, 2, show(r));
    assert.equal(r.stdout, '', show(r));
    assert.match(r.stderr, /'-v, --verbose' cannot be used with option '-q, --quiet'/, show(r));
  }
});

test('every deprecated spelling of the README works and prints exactly one deprecation note', { timeout: 180_000 }, async () => {
  const pwOut = join(tmp, 'passwd-legacy');
  const cases: { args: string[]; note: RegExp; stdin?: string; check: (r: CliRun) => void }[] = [
    {
      args: ['lint', '-r', 'json', NO_AUTH],
      note: /-r\/--report is deprecated: use -f\/--format/,
      check: (r) => {
        assert.equal(r.code, 1);
        assert.equal(reportErrors(JSON.parse(r.stdout)), '');
      },
    },
    {
      // Twice in one run: still one note.
      args: ['lint', '-r', 'json', '-r', 'json', NO_AUTH],
      note: /-r\/--report is deprecated/,
      check: (r) => assert.equal((JSON.parse(r.stdout) as ReportJson).command, 'lint'),
    },
    {
      // The long spelling is named too, and -r with --report is still one spelling.
      args: ['lint', '--report', 'sarif', '-r', 'json', NO_AUTH],
      note: /-r\/--report is deprecated: use -f\/--format/,
      check: (r) => assert.equal(reportErrors(JSON.parse(r.stdout)), ''),
    },
    {
      args: ['lint', '--format', 'mosquitto', NO_AUTH],
      note: /--format mosquitto is deprecated: .*--config-type mosquitto/,
      check: (r) => {
        assert.equal(r.code, 1);
        // The file type, not the report format: the terminal report of a Mosquitto lint.
        assert.match(r.stdout, /lint of .*docker_2\.0_mosquitto-no-auth\.conf/);
        assert.match(r.stdout, /ACC-030/);
      },
    },
    {
      args: ['passwd', 'audit', '-r', 'json', PWFILE],
      note: /-r\/--report is deprecated: use -f\/--format/,
      check: (r) => {
        const report = JSON.parse(r.stdout) as ReportJson;
        assert.equal(reportErrors(report), '');
        assert.equal(r.code, ruleExit(report));
      },
    },
    {
      args: ['ports', '--report-format', 'json', '--check', '--cluster', CLUSTER, '--for', NODE],
      note: /--report-format is deprecated: use -f\/--format/,
      check: (r) => {
        const report = JSON.parse(r.stdout) as ReportJson;
        assert.equal(reportErrors(report), '');
        assert.ok(report.results.some((x) => x.checkId === 'SVC-053'));
        assert.equal(r.code, ruleExit(report));
      },
    },
    {
      args: ['guard', 'test', '-f', 'text', LOG],
      note: /--format text is deprecated: the human format is called "terminal"/,
      check: (r) => {
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^File: .*mosquitto-2\.0\.11-notice\.log/m);
        assert.match(r.stdout, /^Failures: +7 refused logins/m);
      },
    },
    {
      args: ['checks', '-f', 'table'],
      note: /--format table is deprecated: the human format is called "terminal"/,
      check: (r) => {
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^1\. Keep software updated/m);
        assert.match(r.stdout, /^\s+UPD-001 /m);
      },
    },
    {
      args: ['advisories', 'list', '--json'],
      note: /--json is deprecated: use -f json/,
      check: (r) => {
        assert.equal(r.code, 0);
        const list = JSON.parse(r.stdout) as { advisories: { id: string }[] };
        assert.ok(list.advisories.length > 0);
        assert.ok(list.advisories.every((a) => /^CVE-\d{4}-\d+$/.test(a.id)));
      },
    },
    {
      args: ['passwd', 'hash', 'alice', '-f', pwOut],
      stdin: 'Very-Long-Passphrase-2026!x\n',
      note: /-f is deprecated: use --file/,
      check: (r) => {
        assert.equal(r.code, 0);
        assert.equal(r.stdout, '');
        assert.match(readFileSync(pwOut, 'utf8'), /^alice:\$7\$100000\$[A-Za-z0-9+/]{16}\$[A-Za-z0-9+/]{86}==\n$/);
        assert.doesNotMatch(r.stderr + readFileSync(pwOut, 'utf8'), /Very-Long-Passphrase/);
      },
    },
  ];
  await Promise.all(
    cases.map(async (c) => {
      const r = await runCli(c.args, c.stdin === undefined ? {} : { stdin: c.stdin });
      const what = `${c.args.join(' ')}: ${show(r)}`;
      const notes = deprecationNotes(r);
      assert.equal(notes.length, 1, what);
      assert.match(notes[0]!, c.note, what);
      assert.match(notes[0]!, /^mqtt-warden: /, what);
      try {
        c.check(r);
      } catch (e) {
        (e as Error).message += `\n${what}`;
        throw e;
      }
    }),
  );
});

test('the new spellings print no deprecation note', { timeout: 180_000 }, async () => {
  const runs = await Promise.all([
    runCli(['lint', '-f', 'json', '--config-type', 'mosquitto', NO_AUTH]),
    runCli(['guard', 'test', '-f', 'terminal', LOG]),
    runCli(['checks', '-f', 'terminal']),
    runCli(['advisories', 'list', '-f', 'json']),
  ]);
  for (const r of runs) assert.deepEqual(deprecationNotes(r), [], show(r));
});

test('colours: FORCE_COLOR forces them into a pipe, NO_COLOR and --no-color turn them off', { timeout: 180_000 }, async () => {
  const [forced, both, noColorFlag, forcedJson, plain] = await Promise.all([
    runCli(['lint', NO_AUTH], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
    runCli(['lint', NO_AUTH], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } }),
    runCli(['lint', NO_AUTH, '--no-color'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
    runCli(['lint', NO_AUTH, '-f', 'json'], { env: { NO_COLOR: undefined, FORCE_COLOR: '1' } }),
    runCli(['lint', NO_AUTH], { env: { NO_COLOR: undefined, FORCE_COLOR: undefined } }),
  ]);
  for (const r of [forced, both, noColorFlag, forcedJson, plain]) assert.equal(r.code, 1, show(r));
  assert.ok(forced.stdout.includes(ESC), `FORCE_COLOR=1 into a pipe: no ANSI escapes\n${show(forced)}`);
  assert.ok(!both.stdout.includes(ESC), `NO_COLOR set: ANSI escapes\n${show(both)}`);
  assert.ok(!noColorFlag.stdout.includes(ESC), `--no-color with FORCE_COLOR: ANSI escapes\n${show(noColorFlag)}`);
  assert.ok(!forcedJson.stdout.includes(ESC), 'FORCE_COLOR must not colour a JSON report');
  assert.equal(reportErrors(JSON.parse(forcedJson.stdout)), '');
  assert.ok(!plain.stdout.includes(ESC), `a pipe without FORCE_COLOR: ANSI escapes\n${show(plain)}`);
  // The same report, with and without colours.
  // eslint-disable-next-line no-control-regex -- ANSI colour sequences are what is stripped
  const strip = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').replace(/ in \d+\.\d+s/g, '');
  assert.equal(strip(forced.stdout), strip(both.stdout));
});
