/** The project file mqtt-warden.yaml (src/config/project.ts): finding, loading, errors at file:line:column. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CATALOGUE } from '../src/checks/index.js';
import {
  findProjectFile,
  loadProjectFile,
  MAX_PROJECT_FILE_BYTES,
  optionsFor,
  ProjectFileError,
  validateCheckIds,
  validateOptionNames,
  type ProjectFile,
} from '../src/config/project.js';
import { fingerprintOf } from '../src/core/fingerprint.js';
import { applyWaivers } from '../src/core/suppress.js';
import type { CheckResult } from '../src/core/types.js';

function withDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'mqtt-warden-project-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function write(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** The messages of a failed load, each `file:line:column: message` with the file replaced by FILE. */
function errorsOf(path: string): string[] {
  try {
    loadProjectFile(path);
  } catch (e) {
    assert.ok(e instanceof ProjectFileError, String(e));
    return e.message.split('\n').map((l) => l.replace(path, 'FILE'));
  }
  assert.fail(`${path} loaded without error`);
}

const COMPLETE = `# mqtt-warden project file
defaults:
  fail-on: high
  format: sarif
  timeout: 5000
commands:
  audit:
    timeout: 8000
    ports: [1883, 8883]
    intrusive: false
  lint:
    fail-on: medium
policy:
  tls: { minVersion: tlsv1.3 }
  passwords:
    minLength: 16
checks:
  disable: [CFG-010]
  severity:
    CFG-031: low
waivers:
  - check: ACC-030
    subject: "etc/*"
    location: "*/mosquitto.conf"
    reason: legacy sensors cannot authenticate until the migration
    expires: 2026-06-30
    owner: ops@example.com
  - check: SVC-030
    reason: behind the site firewall
    expires: "2026-12-31"
`;

test('findProjectFile: the working directory only, either name, never both', () => {
  withDir((dir) => {
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    assert.equal(findProjectFile(dir), undefined);
    const visible = write(dir, 'mqtt-warden.yaml', 'defaults: {}\n');
    assert.equal(findProjectFile(dir), visible);
    // No walking up from a subdirectory.
    assert.equal(findProjectFile(sub), undefined);
    const hidden = write(sub, '.mqtt-warden.yaml', 'defaults: {}\n');
    assert.equal(findProjectFile(sub), hidden);
    write(dir, '.mqtt-warden.yaml', '');
    assert.throws(() => findProjectFile(dir), (e: unknown) => e instanceof ProjectFileError && /mqtt-warden\.yaml and .*\.mqtt-warden\.yaml both exist: keep one/.test(e.message));
  });
});

test('a complete project file: defaults, per-command options, inline policy, checks, waivers with their place', () => {
  withDir((dir) => {
    const path = write(dir, 'mqtt-warden.yaml', COMPLETE);
    const p = loadProjectFile(path);
    assert.equal(p.path, path);
    assert.deepEqual(p.defaults, { 'fail-on': 'high', format: 'sarif', timeout: 5000 });
    assert.deepEqual(p.commands, { audit: { timeout: 8000, ports: ['1883', '8883'], intrusive: false }, lint: { 'fail-on': 'medium' } });
    assert.deepEqual(optionsFor(p, 'audit'), { 'fail-on': 'high', format: 'sarif', timeout: 8000, ports: ['1883', '8883'], intrusive: false });
    assert.deepEqual(optionsFor(p, 'lint'), { 'fail-on': 'medium', format: 'sarif', timeout: 5000 });
    assert.deepEqual(optionsFor(p, 'ports'), p.defaults);
    assert.equal(p.policy?.policy.tls.minVersion, 'tlsv1.3');
    assert.equal(p.policy?.policy.passwords.minLength, 16);
    assert.equal(p.policy?.policy.passwords.minClasses, 3, 'policy defaults filled in');
    assert.equal(p.policy?.source, `${path}:14`);
    assert.deepEqual(p.checks, { disable: ['CFG-010'], severity: { 'CFG-031': 'low' } });
    assert.deepEqual(p.waivers, [
      {
        check: 'ACC-030',
        subject: 'etc/*',
        location: '*/mosquitto.conf',
        reason: 'legacy sensors cannot authenticate until the migration',
        expires: '2026-06-30',
        owner: 'ops@example.com',
        source: `${path}:22`,
      },
      { check: 'SVC-030', reason: 'behind the site firewall', expires: '2026-12-31', source: `${path}:28` },
    ]);
    assert.deepEqual(p.places['commands.audit.ports'], { file: path, line: 9, column: 5 });
    assert.deepEqual(p.places['checks.severity.CFG-031'], { file: path, line: 20, column: 5 });
  });
});

test('an empty project file is valid and means nothing', () => {
  withDir((dir) => {
    const p = loadProjectFile(write(dir, 'mqtt-warden.yaml', '# nothing yet\n'));
    assert.deepEqual({ ...p, path: '' }, { path: '', defaults: {}, commands: {}, checks: { disable: [], severity: {} }, waivers: [], places: {} });
    const empty = loadProjectFile(write(dir, 'sections.yaml', 'defaults:\nwaivers:\nchecks:\n'));
    assert.deepEqual(empty.waivers, []);
  });
});

test('policy by path: relative to the project file, its errors at its own file:line', () => {
  withDir((dir) => {
    mkdirSync(join(dir, 'conf'));
    const policy = write(join(dir, 'conf'), 'policy.yaml', 'tls:\n  minVersion: tlsv1.3\n');
    const path = write(dir, 'mqtt-warden.yaml', 'defaults: { fail-on: low }\npolicy: conf/policy.yaml\n');
    const p = loadProjectFile(path);
    assert.equal(p.policy?.source, policy);
    assert.equal(p.policy?.policy.tls.minVersion, 'tlsv1.3');

    write(join(dir, 'conf'), 'policy.yaml', 'tls:\n  minVersion: tlsv1.0\n');
    const errors = errorsOf(path);
    assert.equal(errors.length, 1);
    assert.match(errors[0]!, /conf\/policy\.yaml:2:15: tls\.minVersion: .*\(policy named at FILE:2\)$/);

    const missing = write(dir, 'missing.yaml', 'policy: nowhere.yaml\n');
    assert.deepEqual(
      errorsOf(missing).map((l) => l.replace(dir, 'DIR')),
      ['FILE:1:9: cannot read policy file DIR/nowhere.yaml: ENOENT (no such file or directory)'],
    );
    assert.deepEqual(errorsOf(write(dir, 'list.yaml', 'policy: [a, b]\n')), ['FILE:1:9: policy: expected the path of a policy file, or the policy itself (tls:, passwords:, …)']);
  });
});

test('inline policy errors point into the project file', () => {
  withDir((dir) => {
    const path = write(dir, 'mqtt-warden.yaml', 'policy:\n  tls:\n    minVersion: tlsv1.3\n    maxVersion: tlsv1.3\n  passwords: { minLength: 2 }\n');
    assert.deepEqual(errorsOf(path), [
      'FILE:4:5: policy.tls: Unrecognized key: "maxVersion"',
      'FILE:5:27: policy.passwords.minLength: Too small: expected number to be >=4',
    ]);
  });
});

test('errors at file:line:column: unknown keys, bad date, missing reason and end date, bad IDs, option values', () => {
  withDir((dir) => {
    const path = write(
      dir,
      'mqtt-warden.yaml',
      [
        'defaults:', // 1
        '  fail-on: high', // 2
        '  Format: sarif', // 3
        '  policy: p.yaml', // 4
        '  targets: { a: 1 }', // 5
        'commands:', // 6
        '  passwd: { fail-on: low }', // 7
        'checks:', // 8
        '  disable: [ACC-030, acc-31]', // 9
        '  severity: { TLS-30: high, CFG-031: urgent }', // 10
        'waivers:', // 11
        '  - check: ACC-030', // 12
        '    reason: legacy', // 13
        '    expires: 2026-02-30', // 14
        '  - check: ACC-031', // 15
        '    reason: "  "', // 16
        '    expires: 2026/06/30', // 17
        '    until: 2026-06-30', // 18
        '  - check: ACC-032', // 19
        '    expires: 2026-06-30', // 20
        '  - check: ACC-033', // 21
        '    reason: no end date', // 22
        'colour: blue', // 23
      ].join('\n') + '\n',
    );
    assert.deepEqual(errorsOf(path), [
      'FILE:3:3: defaults.Format: invalid key: an option is named by its long name without the dashes, e.g. fail-on',
      'FILE:4:3: defaults.policy: write the policy at the top level (policy: FILE or the policy itself)',
      'FILE:5:12: defaults.targets: an option value is a string, a number, true/false or a list of strings',
      'FILE:7:3: commands: Unrecognized key: "passwd"',
      'FILE:9:22: checks.disable.1: a check ID is three capital letters, a dash and three digits, e.g. ACC-030',
      'FILE:10:15: checks.severity.TLS-30: invalid key: a check ID is three capital letters, a dash and three digits, e.g. ACC-030',
      'FILE:10:38: checks.severity.CFG-031: Invalid option: expected one of "info"|"low"|"medium"|"high"|"critical"',
      'FILE:14:14: waivers.0.expires: not a calendar date',
      'FILE:16:13: waivers.1.reason: a waiver needs a reason',
      'FILE:17:14: waivers.1.expires: expected a date YYYY-MM-DD',
      'FILE:18:5: waivers.1: Unrecognized key: "until"',
      'FILE:19:5: waivers.2.reason: a waiver needs a reason',
      'FILE:21:5: waivers.3.expires: a waiver needs an end date: expires: YYYY-MM-DD',
      'FILE:23:1: (top level): Unrecognized key: "colour"',
    ]);
  });
});

test('YAML errors and unreadable files are refused with a clear message', () => {
  withDir((dir) => {
    assert.deepEqual(errorsOf(write(dir, 'dup.yaml', 'defaults: {}\nwaivers: []\ndefaults: {}\n')), ['FILE:3:1: Map keys must be unique']);
    assert.match(errorsOf(write(dir, 'list.yaml', '- a\n- b\n'))[0]!, /^FILE:1:1: \(top level\): Invalid input: expected object, received array$/);
    assert.deepEqual(errorsOf(dir), ['cannot read project file FILE: is a directory, not a regular file']);
    assert.deepEqual(errorsOf(join(dir, 'none.yaml')), ['cannot read project file FILE: ENOENT (no such file or directory)']);
    const big = write(dir, 'big.yaml', `# ${'x'.repeat(MAX_PROJECT_FILE_BYTES)}\n`);
    assert.match(errorsOf(big)[0]!, /^cannot read project file FILE: is 1\.0 MB, over the 1 MiB limit for a project file$/);
  });
});

test('validateCheckIds: IDs the catalogue does not know, at their place', () => {
  withDir((dir) => {
    const path = write(
      dir,
      'mqtt-warden.yaml',
      'checks:\n  disable: [ACC-030, ACC-999]\n  severity:\n    ZZZ-001: low\nwaivers:\n  - check: TLS-998\n    reason: r\n    expires: 2026-01-01\n',
    );
    const p = loadProjectFile(path);
    assert.deepEqual(
      validateCheckIds(
        p,
        CATALOGUE.map((c) => c.meta.id),
      ).map((i) => `${i.line}:${i.column}: ${i.message}`),
      ['2:22: checks.disable.1: unknown check ACC-999', '4:5: checks.severity: unknown check ZZZ-001', '6:12: waivers.0.check: unknown check TLS-998'],
    );
    assert.ok(validateCheckIds(p, CATALOGUE.map((c) => c.meta.id).concat(['ACC-999', 'ZZZ-001', 'TLS-998'])).length === 0);
    assert.ok(validateCheckIds(p, []).every((i) => i.file === path));
  });
});

test('validateOptionNames: defaults need some command with the option, commands.X an option of X', () => {
  withDir((dir) => {
    const path = write(dir, 'mqtt-warden.yaml', 'defaults:\n  fail-on: high\n  colour: red\ncommands:\n  lint:\n    timeout: 100\n  audit:\n    timeout: 100\n');
    const p: ProjectFile = loadProjectFile(path);
    const known = { audit: ['fail-on', 'timeout'], lint: ['fail-on'], 'passwd-audit': ['fail-on'], ports: ['fail-on', 'timeout'] };
    assert.deepEqual(
      validateOptionNames(p, known).map((i) => `${i.file === path ? 'FILE' : i.file}:${i.line}:${i.column}: ${i.message}`),
      ['FILE:3:3: defaults.colour: no command has an option --colour', 'FILE:6:5: commands.lint.timeout: lint has no option --timeout'],
    );
  });
});

test('waivers of a loaded project file suppress with their reason, end date and file:line', () => {
  withDir((dir) => {
    const path = write(dir, 'mqtt-warden.yaml', COMPLETE);
    const { waivers } = loadProjectFile(path);
    const location = { uri: 'etc/mosquitto/mosquitto.conf', kind: 'file' as const, line: 3, column: 1 };
    const fail: CheckResult = {
      checkId: 'ACC-030',
      name: 'mosquitto-anonymous-access',
      title: 'Mosquitto listener accepts anonymous clients',
      strategy: 'access',
      severity: 'high',
      status: 'FAIL',
      subject: 'etc/mosquitto/mosquitto.conf',
      location,
      message: 'listener 1883 accepts anonymous clients',
      evidence: {},
      remediation: '',
      references: [],
      intrusive: false,
      fingerprint: fingerprintOf({ checkId: 'ACC-030', subject: 'etc/mosquitto/mosquitto.conf', location, message: 'x', key: 'listener 1883' }),
    };
    const live = applyWaivers([fail], waivers, '2026-06-29');
    assert.deepEqual(live.results[0]!.suppression, {
      kind: 'waiver',
      reason: 'legacy sensors cannot authenticate until the migration',
      expires: '2026-06-30',
      source: `${path}:22`,
    });
    assert.deepEqual(
      live.stale.map((w) => w.check),
      ['SVC-030'],
    );
    const late = applyWaivers([fail], waivers, '2026-07-01');
    assert.equal(late.results[0]!.suppression, undefined);
    assert.match(late.results[0]!.message, new RegExp(`waiver from ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:22 expired on 2026-06-30 \\(legacy sensors`));
  });
});

test('the complete example of docs/project-file.md loads, and its IDs are real checks', () => {
  const doc = readFileSync(new URL('../docs/project-file.md', import.meta.url), 'utf8');
  const example = /## Complete example\n\n```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
  assert.ok(example, 'the doc has a complete example');
  withDir((dir) => {
    mkdirSync(join(dir, 'config'));
    write(join(dir, 'config'), 'policy.yaml', 'tls: { minVersion: tlsv1.2 }\n');
    const p = loadProjectFile(write(dir, 'mqtt-warden.yaml', example));
    assert.equal(p.waivers.length, 2);
    assert.deepEqual(Object.keys(p.commands), ['audit', 'lint', 'ports']);
    assert.deepEqual(
      validateCheckIds(
        p,
        CATALOGUE.map((c) => c.meta.id),
      ),
      [],
    );
  });
});
