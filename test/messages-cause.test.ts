/**
 * Messages that name the cause and the next step (issue 12, item 5), through the real CLI: hosts that cannot
 * exist are usage errors (never a DNS query), a targets file of junk reports every bad line, and a listener that
 * demands a client certificate says so in one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import tls from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';
import { mosquittoSkipReason, startMosquitto } from './helpers/mosquitto.js';
import { makePki } from './helpers/pki.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-messages-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
const run = (args: string[]) => runCli(args, { timeoutMs: 60_000 });

test('a host that cannot exist is a usage error naming the argument, before any network operation', async () => {
  const cases: [string, RegExp][] = [
    ['256.256.256.256', /argument 1: "256\.256\.256\.256" is not a valid IPv4 address \(four numbers 0-255/],
    ['mqtt://999.1.1.1', /argument 1: "999\.1\.1\.1" is not a valid IPv4 address/],
    ['mqtts://10.0.0.300:8883', /argument 1: "10\.0\.0\.300" is not a valid IPv4 address/],
    ['10.1', /argument 1: "10\.1" is not a valid IPv4 address/],
    ['host:99999', /argument 1: port 99999 is out of range 1-65535/],
    ['mqtt://host:99999', /argument 1: port 99999 is out of range 1-65535/],
    ['mqtt://a..example', /argument 1: "a\.\.example" is not a valid host name/],
  ];
  for (const [target, re] of cases) {
    const started = Date.now();
    // The second target is fine: the bad first one must stop the run before anything is probed.
    const r = await run(['audit', '--no-host', '--no-port-scan', '--timeout', '200', target, '127.0.0.1:1']);
    assert.equal(r.code, 2, `${target}: ${r.stderr}`);
    assert.match(r.stderr, re, target);
    assert.equal(r.stdout, '', `${target}: probed anyway`);
    assert.ok(Date.now() - started < 30_000);
  }
});

test('a targets file of junk: every bad line as FILE:LINE: why, up to a limit, exit 2', async () => {
  const file = join(dir, 'targets.txt');
  writeFileSync(file, ['hello world', '# a comment', '127.0.0.1:1', 'user@host', '300.1.1.1', '\x01junk', 'mqtt://ok.example:1', 'http://x', ''].join('\n'));
  const r = await run(['audit', '--no-host', '--no-port-scan', '--targets', file]);
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.match(lines[0]!, /targets file .*targets\.txt: 5 bad line\(s\)/);
  const at = lines.slice(1).map((l) => /targets\.txt:(\d+): /.exec(l)?.[1]);
  assert.deepEqual(at, ['1', '4', '5', '6', '8']);
  assert.match(r.stderr, /:1: "hello world" is not a host\[:port\]/);
  assert.match(r.stderr, /:5: "300\.1\.1\.1" is not a valid IPv4 address/);
  assert.match(r.stderr, /:6: "\\u0001junk" is not a valid host name/);
  assert.match(r.stderr, /:8: unsupported scheme "http:"/);
  assert.equal(r.stdout, '');

  const many = join(dir, 'many.txt');
  writeFileSync(many, Array.from({ length: 50 }, (_, i) => `junk line ${i}`).join('\n'));
  const m = await run(['audit', '--no-host', '--no-port-scan', '--targets', many]);
  assert.equal(m.code, 2);
  assert.equal((m.stderr.match(/many\.txt:\d+: /g) ?? []).length, 20);
  assert.match(m.stderr, /50 bad line\(s\)/);
  assert.match(m.stderr, /… and 30 more bad line\(s\)/);

  const bin = await run(['audit', '--no-host', '--no-port-scan', '--targets', '/bin/ls']);
  assert.equal(bin.code, 2);
  assert.match(bin.stderr, /targets file \/bin\/ls: a binary file \(NUL bytes\), not a list of targets/);
});

test('a listener that demands a client certificate: one line naming it and the next step, no OpenSSL dump', { skip: mosquittoSkipReason(), timeout: 180_000 }, async () => {
  const broker = await startMosquitto({ allowAnonymous: true, listeners: [{ kind: 'mqtts' }, { kind: 'wss' }], tls: { requireCertificate: true } });
  // TLS 1.2: the refusal is a "handshake failure" alert after the server has shown its certificate.
  const pki = broker.pki!;
  const tls12 = tls.createServer({ cert: readFileSync(pki.serverCert), key: readFileSync(pki.serverKey), ca: readFileSync(pki.caCert), requestCert: true, rejectUnauthorized: true, maxVersion: 'TLSv1.2' }, (s) => s.end());
  await new Promise<void>((r) => tls12.listen(0, '127.0.0.1', r));
  const tls12Url = `mqtts://127.0.0.1:${(tls12.address() as { port: number }).port}`;
  try {
    const urls = [...broker.ports.map((p) => p.url), tls12Url];
    const r = await run(['audit', '--no-host', '--no-port-scan', '--window', '0', '--timeout', '3000', '-f', 'json', '--fail-on', 'none', ...urls]);
    assert.equal(r.code, 2, r.stderr); // ERROR results
    const report = JSON.parse(r.stdout) as { results: { checkId: string; status: string; subject: string; reason?: string; message?: string }[] };
    const text = (x: object) => JSON.stringify(x);
    for (const url of urls) {
      const errors = report.results.filter((x) => x.subject === url && x.status === 'ERROR');
      assert.ok(errors.length >= 5, `${url}: ${text(report.results.filter((x) => x.subject === url))}`);
      for (const e of errors) {
        assert.match(text(e), /this listener requires a client certificate: give --cert\/--key/, `${url} ${e.checkId}`);
        assert.ok(!/SSL routines|deps\/openssl|does not answer MQTT/.test(text(e)), text(e));
      }
    }
    // TLS-019 still sees mutual TLS enforced.
    assert.ok(report.results.some((x) => x.checkId === 'TLS-019' && x.status === 'PASS'), text(report.results.filter((x) => x.checkId === 'TLS-019')));

    // A certificate from another CA is refused: the message says so and what to check.
    const other = makePki(join(dir, 'other-pki'));
    const wrong = await run(['audit', '--no-host', '--no-port-scan', '--window', '0', '-f', 'json', '--fail-on', 'none', '--cert', other.clientCert, '--key', other.clientKey, broker.ports[0]!.url]);
    const refused = (JSON.parse(wrong.stdout) as typeof report).results.filter((x) => x.status === 'ERROR' && x.subject === broker.ports[0]!.url);
    assert.ok(refused.length >= 5, wrong.stdout);
    for (const e of refused) assert.match(text(e), /this listener refused the client certificate given with --cert\/--key \(TLS alert [a-z ]+ \(alert \d+\)\): check that its CA is in the listener's cafile/);

    // The right certificate: no such error.
    const right = await run(['audit', '--no-host', '--no-port-scan', '--window', '0', '-f', 'json', '--fail-on', 'none', '--cert', pki.clientCert, '--key', pki.clientKey, broker.ports[0]!.url]);
    const rightResults = (JSON.parse(right.stdout) as typeof report).results;
    assert.ok(!rightResults.some((x) => x.status === 'ERROR' && /client certificate/.test(text(x))), right.stdout);
    assert.ok(!/give --cert\/--key/.test(right.stdout), 'the certificate was given');
    assert.match(right.stdout, /requires a client certificate \(the anonymous probe presents none\)/);
  } finally {
    tls12.close();
    await broker.stop();
  }
});

test('file system errors name their code and say what it means', async () => {
  const cases: [string[], RegExp][] = [
    [['audit', '--no-host', '--targets', dir], /cannot read targets file .*: EISDIR \(is a directory, not a file\)/],
    [['audit', '--no-host', '--targets', join(dir, 'missing.txt')], /cannot read targets file .*missing\.txt: ENOENT \(no such file or directory\)/],
    [['ports', '--cluster', join(dir, 'missing.yaml')], /cannot read cluster file .*missing\.yaml: ENOENT \(no such file or directory\)/],
    [['lint', join(dir, 'missing.conf')], /cannot read .*missing\.conf: ENOENT \(no such file or directory\)/],
    [['audit', '--host-only', '--root', join(dir, 'no-root')], /--root .*no-root: ENOENT \(no such file or directory\)/],
  ];
  for (const [args, re] of cases) {
    const r = await run(args);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
  }
});
