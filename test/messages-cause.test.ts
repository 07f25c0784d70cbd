/**
 * Messages that name the cause and the next step (issue 12, item 5), through the real CLI: hosts that cannot
 * exist are usage errors (never a DNS query), a targets file of junk reports every bad line, and a listener that
 * demands a client certificate says so in one line.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './helpers/cli.js';

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
