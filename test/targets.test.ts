import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTarget, parseTargetsFile, redactSecrets, TargetError } from '../src/core/targets.js';

test('URLs of the four schemes, with default ports and paths', () => {
  assert.equal(parseTarget('mqtt://broker.example').endpoint.uri, 'mqtt://broker.example:1883');
  assert.equal(parseTarget('mqtts://broker.example').endpoint.uri, 'mqtts://broker.example:8883');
  assert.equal(parseTarget('ws://broker.example').endpoint.uri, 'ws://broker.example:8083/mqtt');
  assert.equal(parseTarget('wss://broker.example:443/ws').endpoint.uri, 'wss://broker.example:443/ws');
  assert.equal(parseTarget('mqtt://[::1]:1884').endpoint.uri, 'mqtt://[::1]:1884');
  assert.equal(parseTarget('mqtt://[::1]:1884').endpoint.host, '::1');
});

test('host[:port] picks the scheme from standard ports', () => {
  assert.equal(parseTarget('10.1.2.3').endpoint.uri, 'mqtt://10.1.2.3:1883');
  assert.equal(parseTarget('h:8883').endpoint.scheme, 'mqtts');
  assert.equal(parseTarget('h:8083').endpoint.scheme, 'ws');
  assert.equal(parseTarget('h:8084').endpoint.scheme, 'wss');
  assert.equal(parseTarget('h:2883').endpoint.scheme, 'mqtt');
  assert.equal(parseTarget('[::1]:8883').endpoint.uri, 'mqtts://[::1]:8883');
  assert.equal(parseTarget('::1').endpoint.uri, 'mqtt://[::1]:1883');
});

test('credentials in URLs are parsed and never part of the URI', () => {
  const t = parseTarget('mqtt://alice:s%40cret@h:1883');
  assert.equal(t.username, 'alice');
  assert.equal(t.password, 's@cret');
  assert.ok(!t.endpoint.uri.includes('cret'));
});

test('bad targets name their origin and never echo a password', () => {
  assert.throws(() => parseTarget('http://h', 'argument 1'), (e: Error) => e instanceof TargetError && /argument 1: unsupported scheme/.test(e.message));
  assert.throws(() => parseTarget('h:99999', 'argument 2'), /argument 2: port 99999 is out of range/);
  assert.throws(() => parseTarget('h:abc'), /not a number/);
  assert.throws(() => parseTarget('  '), /empty target/);
  assert.throws(
    () => parseTarget('mqtt://bob:hunter2@[bad', 'x'),
    (e: Error) => !e.message.includes('hunter2') && /x: .* is not a valid URL/.test(e.message),
  );
  assert.equal(redactSecrets('mqtt://bob:hunter2@h'), 'mqtt://***@h');
});

test('targets file: comments, blank lines, line numbers in errors', () => {
  const list = parseTargetsFile('# brokers\nmqtt://a\n\nb:8883  # tls\n', 'targets.txt');
  assert.deepEqual(list.map((t) => t.endpoint.uri), ['mqtt://a:1883', 'mqtts://b:8883']);
  assert.throws(() => parseTargetsFile('mqtt://a\nftp://b\n', 'targets.txt'), /targets\.txt:2: unsupported scheme/);
});

test('redaction hides userinfo with spaces, quotes and empty hosts, wherever it stands', () => {
  const secrets = ['hunter2', 'correct horse battery', "it's-secret", 'S3cretPW'];
  const texts = [
    'x: "mqtt://user:hunter2@" is not a valid URL',
    "error: unknown command 'admin:correct horse battery@127.0.0.1'",
    'mqtt://admin:correct horse battery@127.0.0.1:99999',
    "mqtt://admin:it's-secret@127.0.0.1:99999",
    '"ws ://alice:S3cretPW@host"',
    "error: unknown command 'mqtt://admin:S3cretPW@broker'",
  ];
  for (const t of texts) {
    const r = redactSecrets(t);
    for (const s of secrets) assert.ok(!r.includes(s), `${t} → ${r}`);
    assert.ok(r.includes('***@'));
  }
  assert.equal(redactSecrets('mqtt://127.0.0.1:1883 and no secrets'), 'mqtt://127.0.0.1:1883 and no secrets');
  for (const t of ['mqtt://user:hunter2@', 'mqtt://user:hunter2@ host', "mqtt://admin:it's-secret@127.0.0.1:99999"]) {
    assert.throws(() => parseTarget(t, 'arg'), (e: Error) => !/hunter2|it's-secret/.test(e.message));
  }
});
