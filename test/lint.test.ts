/**
 * `mqtt-warden lint`: the real upstream configs with their expected findings at file:line,
 * layering of EMQX files, env files, policies, exit codes, and report formats (SARIF
 * validated against the official schema, every result located).
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runLint } from '../src/cli/impl/lint.js';
import { parseEnvFile } from '../src/cli/impl/emqx-env.js';
import type { CheckResult, Report } from '../src/core/types.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';
import { parsePolicy } from '../src/config/policy.js';
import { runCli, type CliRun } from './helpers/cli.js';

const REAL = fileURLToPath(new URL('fixtures/real-configs/', import.meta.url));
const tmp = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-lint-${process.pid}-`));
after(() => rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, { env });

const fails = (r: Report, id?: string) => r.results.filter((x) => x.status === 'FAIL' && (!id || x.checkId === id));
const at = (x: CheckResult) => `${path.basename(x.location.uri)}:${x.location.line}`;

describe('real upstream Mosquitto configs', () => {
  test('docker no-auth config: anonymous access on all interfaces, at the right lines', async () => {
    const r = await runLint([path.join(REAL, 'mosquitto/docker_2.0_mosquitto-no-auth.conf')], { failOn: 'medium' });
    assert.deepEqual(fails(r, 'ACC-030').map((x) => [at(x), x.severity]), [['docker_2.0_mosquitto-no-auth.conf:5', 'high']]);
    assert.deepEqual(fails(r, 'ACC-031').map(at), ['docker_2.0_mosquitto-no-auth.conf:4']);
    assert.deepEqual(fails(r, 'ACC-032').map(at), ['docker_2.0_mosquitto-no-auth.conf:4']);
    assert.deepEqual(fails(r, 'SVC-030').map(at), ['docker_2.0_mosquitto-no-auth.conf:4']);
    assert.deepEqual(fails(r, 'CFG-033'), [], 'the file parses');
    assert.ok(r.results.every((x) => x.location.kind === 'file' && x.location.uri.length > 0));
  });

  test('the shipped mosquitto.conf and the snap config: local-only mode, anonymous on loopback (low)', async () => {
    for (const f of ['mosquitto.conf', 'snap_local_default_config.conf']) {
      const r = await runLint([path.join(REAL, 'mosquitto', f)], { failOn: 'medium' });
      const anon = fails(r, 'ACC-030');
      assert.deepEqual(anon.map((x) => [at(x), x.severity]), [[`${f}:1`, 'low']], f);
      assert.match(anon[0]!.message, /implicit loopback listener 1883/);
      assert.deepEqual(fails(r, 'ACC-031'), [], `${f}: a loopback listener is not a network listener`);
      assert.deepEqual(fails(r, 'CFG-033'), []);
    }
  });

  test('pwfile.example: legacy $6$ hashes; pskfile.example: short keys; aclfile.example: clean', async () => {
    const r = await runLint([path.join(REAL, 'mosquitto/pwfile.example'), path.join(REAL, 'mosquitto/pskfile.example'), path.join(REAL, 'mosquitto/aclfile.example')], { failOn: 'medium' });
    assert.deepEqual(fails(r, 'ACC-036').map(at), ['pwfile.example:1', 'pwfile.example:2', 'pwfile.example:3']);
    assert.ok(fails(r, 'ACC-036').every((x) => /legacy \$6\$/.test(x.message)));
    assert.deepEqual(fails(r, 'ACC-037').map(at), ['pskfile.example:1', 'pskfile.example:2']);
    assert.equal(r.results.find((x) => x.checkId === 'ACC-033')?.status, 'PASS');
    assert.ok(!JSON.stringify(r).includes('deadbeef'), 'PSK key material is never reported');
  });

  test('pwfile.example falls to a three-word list: all three users have the password "password"', async () => {
    const words = path.join(tmp, 'words');
    writeFileSync(words, '123456\npassword\nletmein\n');
    const r = await run(['passwd', 'audit', path.join(REAL, 'mosquitto/pwfile.example'), '--crack-test', words, '-r', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.deepEqual(fails(report, 'ACC-038').map(at), ['pwfile.example:1', 'pwfile.example:2', 'pwfile.example:3']);
    assert.ok(!r.stdout.includes('"password"'));
  });
});

describe('real upstream EMQX configs', () => {
  // Installed layout: etc/base.hocon, etc/emqx.conf, etc/acl.conf.
  const etc = path.join(tmp, 'emqx/etc');
  mkdirSync(etc, { recursive: true });
  copyFileSync(path.join(REAL, 'emqx/emqx_conf_etc_base.hocon'), path.join(etc, 'base.hocon'));
  copyFileSync(path.join(REAL, 'emqx/emqx_conf_etc_emqx_conf.conf'), path.join(etc, 'emqx.conf'));
  copyFileSync(path.join(REAL, 'emqx/emqx_auth_etc_acl.conf'), path.join(etc, 'acl.conf'));

  test('the shipped etc/ directory: layered into one node, acl.conf found through the default source', async () => {
    // These are 5.x files ({{ }} placeholders, no release in their doc links): judged with the 5.8 defaults.
    const r = await runLint([etc], { failOn: 'medium', emqxVersion: '5.8' });
    assert.deepEqual(r.targets.map((t) => path.basename(t.uri)).sort(), ['acl.conf', 'base.hocon', 'emqx.conf']);
    assert.deepEqual(fails(r, 'ACC-055').map(at), ['acl.conf:11'], 'the shipped acl.conf ends in an allow-all rule (legacy profile)');
    assert.deepEqual(fails(r, 'ACC-050').map(at), ['emqx.conf:12'], 'the cookie is a template placeholder');
    assert.deepEqual(fails(r, 'SVC-041').map(at), ['base.hocon:33'], 'dashboard HTTP bind from base.hocon');
    for (const id of ['ACC-051', 'ACC-053', 'ACC-054', 'ACC-057', 'CFG-050', 'SVC-042']) {
      assert.deepEqual(fails(r, id).map(at), ['emqx.conf:1'], `${id}: EMQX default, reported at emqx.conf`);
      assert.match(fails(r, id)[0]!.message, /EMQX default/);
    }
    // ssl and wss default listeners (cert + key each); the HTTPS dashboard of base.hocon stays off (bind commented out).
    assert.deepEqual(fails(r, 'TLS-044').map(at), ['emqx.conf:1', 'emqx.conf:1', 'emqx.conf:1', 'emqx.conf:1']);
    assert.deepEqual(fails(r, 'CFG-052'), []);
  });

  test('upstream examples: listeners, cluster, node, flapping, ssl options at their lines', async () => {
    const r = await runLint([path.join(REAL, 'emqx')], { failOn: 'medium' });
    assert.deepEqual(fails(r, 'ACC-050').map(at), ['node.conf.example:12'], '"Yzc0NGExM2Rj" is 12 characters');
    assert.deepEqual(fails(r, 'SVC-040').filter((x) => x.location.line !== 1).map(at).sort(), ['listeners.tcp.conf.example:4', 'listeners.ws.conf.example:4']);
    assert.deepEqual(fails(r, 'TLS-041').filter((x) => x.location.line !== 1).map(at).sort(), ['listeners.ssl.conf.example:33', 'listeners.wss.conf.example:55']);
    assert.ok(fails(r, 'SVC-043').length === 2, 'static seeds of two nodes with inet_tcp and rpc tcp');
    assert.deepEqual(fails(r, 'CFG-050').length, 1, 'flapping_detect example has no enable = true');
    assert.deepEqual(fails(r, 'CFG-052'), [], 'every example parses');
  });
});

describe('lint CLI', () => {
  const bad = path.join(tmp, 'mosquitto.conf');
  writeFileSync(bad, '# site config\nlistener 1883\nallow_anonymous true\nlistener 8883 10.0.0.1\ncertfile /etc/mosquitto/certs/server.pem\ntls_version tlsv1\n');

  test('terminal report, exit 1 at --fail-on, 0 with --fail-on none', async () => {
    const r = await run(['lint', bad]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /lint of .*mosquitto\.conf/);
    assert.match(r.stdout, /FAIL {2}high {5}ACC-030 .*\[.*mosquitto\.conf:3:1\]/);
    assert.match(r.stdout, /TLS-030 .*mosquitto\.conf:6:1/);
    assert.equal((await run(['lint', bad, '--fail-on', 'none'])).code, 0);
    // Upstream's example gives anonymous clients $SYS and every client the bridge-state topics: low findings (ACC-042) only.
    assert.equal((await run(['lint', path.join(REAL, 'mosquitto/aclfile.example'), '--fail-on', 'medium'])).code, 0, 'no ACL finding above low');
  });

  test('SARIF validates against the SARIF 2.1.0 schema and every result has a file location with a line', async () => {
    const r = await run(['lint', bad, path.join(REAL, 'emqx'), '-r', 'sarif']);
    assert.equal(r.code, 1, r.stderr);
    const sarif = JSON.parse(r.stdout) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[] };
    assert.equal(sarifErrors(sarif), '');
    const results = sarif.runs[0]!.results;
    assert.ok(results.length > 20);
    for (const res of results) {
      const loc = res.locations[0]!.physicalLocation;
      assert.ok(loc.artifactLocation.uri.length > 0);
      assert.ok(loc.region && loc.region.startLine >= 1, JSON.stringify(res.locations));
    }
  });

  test('JSON validates against the report schema; JUnit is written', async () => {
    const r = await run(['lint', bad, '-r', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(reportErrors(report), '');
    assert.equal(report.command, 'lint');
    const j = await run(['lint', bad, '-r', 'junit', '-o', path.join(tmp, 'junit.xml')]);
    assert.equal(j.code, 1);
    assert.match(j.stderr, /wrote junit report/);
  });

  test('--env-file overrides EMQX settings at the env file line; --policy thresholds; usage errors exit 2', async () => {
    const dir = path.join(tmp, 'e');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'emqx.conf'), 'node.name = "emqx@10.0.0.1"\nnode.cookie = "a-long-random-cookie-value-123456"\n');
    writeFileSync(path.join(dir, 'emqx.env'), '# docker env\nEMQX_NODE__COOKIE=emqxsecretcookie\nexport EMQX_AUTHORIZATION__NO_MATCH="deny"\n');
    const r = await run(['lint', path.join(dir, 'emqx.conf'), '--env-file', path.join(dir, 'emqx.env'), '-r', 'json']);
    const report = JSON.parse(r.stdout) as Report;
    const cookie = report.results.filter((x) => x.checkId === 'ACC-050' && x.status === 'FAIL');
    assert.deepEqual(cookie.map(at), ['emqx.env:2']);
    assert.equal(report.results.find((x) => x.checkId === 'ACC-053')?.status, 'PASS');

    writeFileSync(path.join(dir, 'policy.yaml'), 'tls:\n  minVersion: tlsv1.3\nlisteners:\n  allowed: ["10.0.0.1:8883"]\n');
    const p = await run(['lint', bad, '--policy', path.join(dir, 'policy.yaml'), '-r', 'json']);
    const pr = JSON.parse(p.stdout) as Report;
    assert.ok(pr.results.some((x) => x.checkId === 'SVC-030' && x.status === 'FAIL' && /not among the policy/.test(x.message) && x.location.line === 2));

    writeFileSync(path.join(dir, 'bad-policy.yaml'), 'tls:\n  minVersion: tlsv1.0\n  extra: 1\n');
    const e = await run(['lint', bad, '--policy', path.join(dir, 'bad-policy.yaml')]);
    assert.equal(e.code, 2);
    assert.match(e.stderr, /bad-policy\.yaml:2:15: tls\.minVersion: /);
    assert.match(e.stderr, /bad-policy\.yaml:1:1: tls: Unrecognized key: "extra"|bad-policy\.yaml:\d+:\d+: tls: .*extra/);
    writeFileSync(path.join(dir, 'unknown.txt'), 'hello world\n');
    const u = await run(['lint', path.join(dir, 'unknown.txt')]);
    assert.equal(u.code, 2);
    assert.match(u.stderr, /cannot tell whether this is a Mosquitto or EMQX file; use --config-type/);
    assert.equal((await run(['lint', '/nonexistent/x.conf'])).code, 2);
  });
});

test('env file and policy parsing', () => {
  assert.deepEqual(parseEnvFile('A=1\n# c\nexport B = "two words"\n', 'x.env'), {
    env: { A: '1', B: 'two words' },
    locations: { A: { file: 'x.env', line: 1, column: 3 }, B: { file: 'x.env', line: 3, column: 12 } },
  });
  const p = parsePolicy('{"passwords": {"minLength": 3}}', 'p.json');
  assert.equal(p.policy, undefined);
  assert.deepEqual([p.issues[0]!.line, p.issues[0]!.column], [1, 29]);
  assert.match(p.issues[0]!.message, /passwords\.minLength/);
  const y = parsePolicy('tls: [unclosed\n', 'p.yaml');
  assert.ok(y.issues.length && y.issues[0]!.line >= 1);
  assert.equal(parsePolicy('', 'empty.yaml').policy?.tls.minVersion, 'tlsv1.2');
});

describe('Mosquitto 2.1 (hand-written config after the v2.1.2 man page), end to end through the CLI', () => {
  const conf = fileURLToPath(new URL('fixtures/configs/mosquitto-2.1/mosquitto.conf', import.meta.url));
  const lines = readFileSync(conf, 'utf8').split('\n');
  /** The line of the n-th (1-based) line equal to `text` in the fixture. */
  const lineOf = (text: string, n = 1) => lines.map((l, i) => (l === text ? i + 1 : 0)).filter(Boolean)[n - 1]!;
  const lint = async (extra: string[]) => {
    const r = await run(['lint', conf, '-f', 'json', '--fail-on', 'none', ...extra]);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as Report;
  };
  const where = (r: Report, id: string) => fails(r, id).map((x) => [x.location.line, x.severity]);

  test('--mosquitto-version 2.1: the 2.1 findings at their lines, no false ones', async () => {
    const r = await lint(['--mosquitto-version', '2.1']);
    assert.deepEqual(where(r, 'ACC-030'), [[lineOf('listener_allow_anonymous true'), 'low']]);
    assert.deepEqual(where(r, 'TLS-034'), [[lineOf('disable_client_cert_date_checks true'), 'high']]);
    assert.deepEqual(where(r, 'SVC-033'), [[lineOf('enable_proxy_protocol 2'), 'high'], [lineOf('enable_proxy_protocol 2'), 'low']]);
    assert.deepEqual(where(r, 'SVC-034'), [[lineOf('protocol http_api'), 'low']]);
    assert.deepEqual(where(r, 'SVC-035'), [[lineOf('protocol websockets'), 'medium']]);
    assert.deepEqual(where(r, 'CFG-034'), [[lineOf('enable_control_api true'), 'medium']]);
    // dynamic security through plugin_load + plugin_use counts as authentication and access control
    // only the loopback tools listener lacks access control (low); the HTTP API listener is not an MQTT listener
    assert.deepEqual(where(r, 'ACC-032'), [[lineOf('listener 1883 127.0.0.1'), 'low']]);
    for (const id of ['ACC-031', 'TLS-032', 'CFG-033', 'CFG-035', 'CFG-030']) assert.deepEqual(fails(r, id), [], `${id}: ${fails(r, id).map((x) => x.message).join('; ')}`);
    assert.ok(!JSON.stringify(r).includes('not-a-real-secret-4f9a'), 'the bridge password is never reported');
  });

  test('version unknown: both packet-size defaults stated, deprecations conditional; 2.0: the 2.1 options are errors', async () => {
    const r = await lint([]);
    assert.match(fails(r, 'CFG-030')[0]!.message, /2\.0 accepts packets up to 256 MB, 2\.1 limits them to 2,000,000 bytes/);
    const old = await lint(['--mosquitto-version', '2.0.18']);
    const errs = fails(old, 'CFG-033');
    assert.ok(errs.some((x) => x.location.line === lineOf('enable_control_api true') && /new in Mosquitto 2\.1: 2\.0\.18 \(--mosquitto-version\) refuses to start/.test(x.message)));
    assert.ok(errs.some((x) => x.location.line === lineOf('protocol http_api')));
    assert.match(fails(old, 'CFG-030')[0]!.message, /Mosquitto 2\.0\.18 accepts packets up to 256 MB/);
  });

  test('--mosquitto-version must be a release number (exit 2)', async () => {
    const r = await run(['lint', conf, '--mosquitto-version', 'latest']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--mosquitto-version latest: expected a release number/);
  });
});
