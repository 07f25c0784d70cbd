/** The command line as an operator runs it: exit codes, formats, schemas, secrecy. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startMosquitto, mosquittoSkipReason, type MosquittoBroker } from './helpers/mosquitto.js';
import { freePort } from './helpers/ports.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';
import { runCli, type CliRun } from './helpers/cli.js';


const run = (args: string[], env: Record<string, string> = {}): Promise<CliRun> => runCli(args, { env });

const tmp = mkdtempSync(path.join(os.tmpdir(), 'mqtt-warden-cli-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage errors exit 2 with a clear message', () => {
  test('unknown severity, bad target, bad number, missing file, conflicting flags', async () => {
    writeFileSync(path.join(tmp, 'bad-wordlist'), 'admin:admin\nno-colon-here\n');
    const cases: [string[], RegExp][] = [
      [['audit', '--fail-on', 'severe'], /argument 'severe' is invalid/],
      [['audit', '--no-port-scan'], /nothing to audit/],
      [['audit', '127.0.0.1:1', '--window', '5000', '--target-timeout', '4000'], /--window \(5000 ms\) must be shorter than --target-timeout/],
      [['audit', 'http://h'], /argument 1: unsupported scheme "http:"/],
      [['audit', '--timeout', 'soon'], /--timeout must be a whole number/],
      [['audit', '--targets', '/nonexistent/targets.txt'], /cannot read targets file \/nonexistent\/targets\.txt: ENOENT/],
      [['audit', '--host-only', '--no-host'], /exclude each other/],
      [['audit', '--wordlist', '/dev/null'], /only used with --intrusive|wordlist/],
      [['frobnicate'], /unknown command/],
      [['audit', '--intrusive', '--wordlist', path.join(tmp, 'bad-wordlist')], /bad wordlist: .*bad-wordlist:2: expected username:password/],
      [['audit', '127.0.0.1:1', '--cert', path.join(tmp, 'bad-wordlist')], /--cert and --key go together/],
      [['audit', '127.0.0.1:1', '--cert', path.join(tmp, 'bad-wordlist'), '--key', path.join(tmp, 'bad-wordlist')], /unusable TLS material/],
      [['audit', 'mqtt://alice:%zz@127.0.0.1'], /not valid percent-encoding/],
    ];
    for (const [args, pattern] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, pattern, args.join(' '));
    }
  });

  test('a password without username is refused and never echoed', async () => {
    const r = await run(['audit', '--password', 'TopSecret-123', '--no-port-scan', '--no-host', 'mqtt://127.0.0.1:1']);
    assert.equal(r.code, 2);
    assert.ok(!r.stderr.includes('TopSecret-123') && !r.stdout.includes('TopSecret-123'));
  });

  test('targets with credentials in a bad form are refused without echoing them', async () => {
    const attempts = [
      ['audit', 'admin:S3cretPW@127.0.0.1'],
      ['audit', 'admin:S3cretPW@127.0.0.1:1883'],
      ['audit', 'mqtt://admin:S3c/retPW@[bad'],
      ['audit', '_mqtt://alice:S3cretPW@host'],
      ['mqtt://admin:S3cretPW@broker'], // the subcommand forgotten: commander reports an unknown command
    ];
    for (const args of attempts) {
      const target = args.join(' ');
      const r = await run(args);
      assert.equal(r.code, 2, target);
      assert.ok(!/S3c\/?retPW/.test(r.stderr + r.stdout), `${target} echoed: ${r.stderr}`);
    }
  });
});

test('--help, --version and checks exit 0', async () => {
  const help = await run(['audit', '--help']);
  assert.equal(help.code, 0);
  for (const flag of ['--intrusive', '--fail-on', '--format', '--targets', '--no-host', '--host-only', '--max-attempts', '--max-seconds']) {
    assert.ok(help.stdout.includes(flag), `--help lacks ${flag}`);
  }
  const version = await run(['--version']);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+/);
  const checks = await run(['checks', '--format', 'json']);
  assert.equal(checks.code, 0);
  const list = JSON.parse(checks.stdout) as { id: string }[];
  assert.ok(list.some((c) => c.id === 'ACC-001'));
});

test('nothing listening: useful output and exit 0', async () => {
  const port = await freePort();
  const r = await run(['audit', '--ports', String(port), '--no-host']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /No MQTT listener answered/);
  // PASS results are listed with -v only.
  const verbose = await run(['audit', '--ports', String(port), '--no-host', '-v']);
  assert.match(verbose.stdout, /none of the 1 standard ports answer on 127\.0\.0\.1/);
});

describe('against an anonymous Mosquitto', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  let url: string;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
    url = broker.ports[0]!.url;
  });
  after(() => broker?.stop());

  test('findings exit 1; --fail-on critical and none exit 0', async () => {
    assert.equal((await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300'])).code, 1);
    assert.equal((await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '--fail-on', 'critical'])).code, 0);
    const none = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '--fail-on', 'none', '-f', 'json']);
    assert.equal(none.code, 0);
    const report = JSON.parse(none.stdout) as { options: { failOn: string } };
    assert.equal(report.options.failOn, 'none', 'the report states the threshold really used');
    assert.equal(reportErrors(report), '');
  });

  test('terminal report groups by the five strategies', async () => {
    const r = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300']);
    const order = ['1. Keep software updated', '2. Strengthen TLS/OpenSSL', '3. Disable unused services and ports', '4. Access control', '5. Additional configuration and awareness'];
    const positions = order.map((h) => r.stdout.indexOf(h));
    assert.ok(positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)), r.stdout);
    assert.match(r.stdout, /FAIL +high +ACC-001/);
    assert.ok(!r.stdout.includes('\x1b['), 'no colours when not a TTY');
  });

  test('json, sarif and junit outputs are valid', async () => {
    const json = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json']);
    assert.equal(reportErrors(JSON.parse(json.stdout)), '');
    const sarifFile = path.join(tmp, 'out.sarif');
    const sarif = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-f', 'sarif', '-o', sarifFile]);
    assert.equal(sarif.code, 1);
    assert.equal(sarif.stdout, '');
    assert.match(sarif.stderr, /wrote sarif report/);
    const log = JSON.parse(readFileSync(sarifFile, 'utf8')) as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.equal(sarifErrors(log), '');
    assert.ok(log.runs[0]!.results.length > 0);
    for (const res of log.runs[0]!.results) assert.ok(res.locations[0]!.physicalLocation.artifactLocation.uri);
    const junit = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-f', 'junit']);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(junit.stdout) as { testsuites: { '@_failures': string } };
    assert.ok(Number(doc.testsuites['@_failures']) >= 5);
  });

  test('targets file', async () => {
    const file = path.join(tmp, 'targets.txt');
    writeFileSync(file, `# test broker\n${url}\n`);
    const r = await run(['audit', '--targets', file, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json']);
    assert.deepEqual((JSON.parse(r.stdout) as { targets: { uri: string }[] }).targets.map((t) => t.uri), [url]);
  });
});

describe('credentials against a Mosquitto with a password file', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  let url: string;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: false, users: { alice: 'File-Secret-987', bob: 'Env-Secret-654' } });
    url = broker.ports[0]!.url;
  });
  after(() => broker?.stop());

  type Json = { options: { identity: string }; results: { checkId: string; status: string; message: string }[] };
  const sessionAccepted = (r: CliRun) => {
    const acc002 = (JSON.parse(r.stdout) as Json).results.find((x) => x.checkId === 'ACC-002')!;
    return !/refused the identity/.test(acc002.message);
  };

  test('the password from a file and from the environment really authenticates, and is never echoed', async () => {
    const pwFile = path.join(tmp, 'pw');
    writeFileSync(pwFile, 'File-Secret-987\n');
    const viaFile = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-u', 'alice', '--password-file', pwFile, '-f', 'json']);
    const viaEnv = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json'], {
      MQTT_WARDEN_USERNAME: 'bob',
      MQTT_WARDEN_PASSWORD: 'Env-Secret-654',
    });
    const wrong = await run(['audit', url, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json'], { MQTT_WARDEN_USERNAME: 'bob', MQTT_WARDEN_PASSWORD: 'nope' });
    assert.equal((JSON.parse(viaFile.stdout) as Json).options.identity, 'alice');
    assert.equal((JSON.parse(viaEnv.stdout) as Json).options.identity, 'bob');
    assert.ok(sessionAccepted(viaFile), 'alice was refused: the password file was not used');
    assert.ok(sessionAccepted(viaEnv), 'bob was refused: the environment password was not used');
    assert.ok(!sessionAccepted(wrong), 'a wrong password must be refused: the test would prove nothing otherwise');
    for (const r of [viaFile, viaEnv]) {
      assert.ok(!/File-Secret-987|Env-Secret-654/.test(r.stdout + r.stderr));
    }
  });

  test('credentials in the URL authenticate that endpoint; --username wins over them with a warning', async () => {
    const withUrl = url.replace('mqtt://', 'mqtt://alice:File-Secret-987@');
    const own = await run(['audit', withUrl, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json']);
    assert.ok(sessionAccepted(own));
    assert.ok(!own.stdout.includes('File-Secret-987'));
    const both = await run(['audit', withUrl, '--no-port-scan', '--no-host', '--window', '300', '-f', 'json', '-u', 'bob', '--password', 'Env-Secret-654']);
    assert.match(both.stderr, /credentials in target URLs are ignored/);
    assert.equal((JSON.parse(both.stdout) as Json).options.identity, 'bob');
  });

});
