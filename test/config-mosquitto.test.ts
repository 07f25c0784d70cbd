/** The Mosquitto config parser: directives, include_dir, listener scoping, ACL/password/PSK files. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { anonymousAllowed, loadMosquittoConfig, parseMosquittoAcl, parseMosquittoConfig, parseMosquittoPasswd, parseMosquittoPsk } from '../src/config/mosquitto.js';
import { ConfigReadError, fsIO, memoryIO } from '../src/config/io.js';

const real = (f: string) => fileURLToPath(new URL(`fixtures/real-configs/mosquitto/${f}`, import.meta.url));
const where = (d: { file: string; line: number } | undefined) => (d ? `${d.file}:${d.line}` : undefined);

test('real configs: the shipped mosquitto.conf (all comments) and the snap config run in local-only mode', () => {
  for (const f of ['mosquitto.conf', 'snap_local_default_config.conf']) {
    const c = loadMosquittoConfig(real(f));
    assert.deepEqual(c.issues, []);
    assert.equal(c.listeners.length, 1);
    const [l] = c.listeners;
    assert.deepEqual([l!.kind, l!.port, l!.bind, l!.tls], ['implicit-local', 1883, '127.0.0.1', false]);
    assert.equal(anonymousAllowed(c, l!).allowed, true);
  }
});

test('real config: the docker no-auth config opens 1883 on all interfaces to anonymous clients', () => {
  const c = loadMosquittoConfig(real('docker_2.0_mosquitto-no-auth.conf'));
  assert.deepEqual(c.issues, []);
  const [l] = c.listeners;
  assert.deepEqual([l!.kind, l!.port, l!.bind, l!.location.line], ['explicit', 1883, undefined, 4]);
  const a = anonymousAllowed(c, l!);
  assert.equal(a.allowed, true);
  assert.equal(a.by?.line, 5);
});

test('include_dir: *.conf in sorted order, at the place of the directive; missing dir is an issue', () => {
  const io = memoryIO({
    '/e/m.conf': 'listener 1883 127.0.0.1\ninclude_dir /e/conf.d\nallow_anonymous false\ninclude_dir /e/none\n',
    '/e/conf.d/b.conf': 'listener 8883\ncertfile /c.pem\n',
    '/e/conf.d/a.conf': 'allow_anonymous true\npassword_file /p\n',
    '/e/conf.d/z.txt': 'junk junk',
  });
  const c = loadMosquittoConfig('/e/m.conf', io);
  assert.deepEqual(c.files, ['/e/m.conf', '/e/conf.d/a.conf', '/e/conf.d/b.conf']);
  assert.equal(c.issues.length, 1);
  assert.match(c.issues[0]!.message, /include_dir \/e\/none: cannot list/);
  assert.equal(c.issues[0]!.line, 4);
  // Without per_listener_settings the security options are global: the last one wins.
  assert.equal(where(c.global.allow_anonymous), '/e/m.conf:3');
  assert.deepEqual(c.listeners.map((l) => [l.port, l.tls, where(l.settings.allow_anonymous), where(l.settings.password_file)]), [
    [1883, false, '/e/m.conf:3', '/e/conf.d/a.conf:2'],
    [8883, true, '/e/m.conf:3', '/e/conf.d/a.conf:2'],
  ]);
});

test('include_dir next to the config (lint of a checkout) only with besideConfig', () => {
  const io = memoryIO({ '/repo/mosquitto/mosquitto.conf': 'include_dir /etc/mosquitto/conf.d\n', '/repo/mosquitto/conf.d/a.conf': 'listener 8883\n' });
  const strict = loadMosquittoConfig('/repo/mosquitto/mosquitto.conf', io);
  assert.match(strict.issues[0]!.message, /cannot list/);
  const text = io.readFile('/repo/mosquitto/mosquitto.conf');
  const beside = parseMosquittoConfig(text, '/repo/mosquitto/mosquitto.conf', io, { besideConfig: true });
  assert.deepEqual(beside.issues, []);
  assert.deepEqual(beside.files, ['/repo/mosquitto/mosquitto.conf', '/repo/mosquitto/conf.d/a.conf']);
  assert.equal(beside.listeners[0]!.port, 8883);
});

test('per_listener_settings true: each listener has its own security options; listener options never leak', () => {
  const c = parseMosquittoConfig(
    'per_listener_settings true\nlistener 1883\nallow_anonymous true\nlistener 8883 0.0.0.0\ncertfile /c\nkeyfile /k\npassword_file /p\nlistener 8083\nprotocol websockets\n',
    'm.conf',
    memoryIO({}),
  );
  assert.deepEqual(c.issues, []);
  assert.deepEqual(
    c.listeners.map((l) => [l.port, l.bind, l.protocol, l.tls, Object.keys(l.settings).sort().join(',')]),
    [
      [1883, undefined, 'mqtt', false, 'allow_anonymous'],
      [8883, '0.0.0.0', 'mqtt', true, 'certfile,keyfile,password_file'],
      [8083, undefined, 'websockets', false, 'protocol'],
    ],
  );
  assert.deepEqual(c.listeners.map((l) => anonymousAllowed(c, l).allowed), [true, false, false]);
});

test('the default listener: options before the first listener line create it (port 1883, or the deprecated port)', () => {
  const c = parseMosquittoConfig('port 1884\ncertfile /c\nlistener 9001\n', 'm.conf', memoryIO({}));
  assert.deepEqual(c.listeners.map((l) => [l.kind, l.port, l.tls, l.location.line]), [
    ['default', 1884, true, 1],
    ['explicit', 9001, false, 3],
  ]);
  // Measured on 2.0.11: cafile creates the default listener, tls_version does not.
  const ca = parseMosquittoConfig('cafile /ca\nlistener 9001 127.0.0.1\n', 'm.conf', memoryIO({}));
  assert.deepEqual(ca.listeners.map((l) => [l.kind, l.port, l.bind]), [['default', 1883, undefined], ['explicit', 9001, '127.0.0.1']]);
  const noEffect = parseMosquittoConfig('tls_version tlsv1.2\nlistener 9001\n', 'm.conf', memoryIO({}));
  assert.deepEqual(noEffect.listeners.map((l) => l.kind), ['explicit']);
  assert.match(noEffect.issues[0]!.message, /tls_version appears before any "listener" line/);
});

test('malformed directives are located issues, never throws; an unreadable top-level file throws with the path', () => {
  const c = parseMosquittoConfig('  allow_anonymous maybe\nlistener abc\nfoo_bar 1\nmax_packet_size big\npassword_file /etc/p # comment\nallow_anonymous false\nper_listener_settings true\n', 'm.conf', memoryIO({}));
  assert.deepEqual(
    c.issues.map((i) => `${i.line}:${i.column} ${i.message.slice(0, 40)}`),
    [
      '1:19 allow_anonymous takes true or false',
      '2:10 listener takes a port (0–65535) and an o',
      '3:1 unknown directive "foo_bar" (mosquitto 2',
      '4:17 max_packet_size takes a whole number',
      '5:22 "password_file": mosquitto has no traili',
      '7:1 per_listener_settings must come before a',
    ],
  );
  assert.throws(() => loadMosquittoConfig('/nonexistent/mosquitto.conf', fsIO()), (e: unknown) => e instanceof ConfigReadError && /\/nonexistent\/mosquitto.conf: ENOENT/.test(e.message));
});

test('ACL file: user blocks, access defaults to readwrite, patterns apply to everyone', () => {
  const acl = parseMosquittoAcl('# c\ntopic read $SYS/#\n\nuser roger smith\ntopic foo/bar\ntopic deny secret/#\npattern write dev/%c/state\nbogus line\n', 'acl');
  assert.deepEqual(
    acl.rules.map((r) => [r.line, r.kind, r.access, r.topic, r.user]),
    [
      [2, 'topic', 'read', '$SYS/#', undefined],
      [5, 'topic', 'readwrite', 'foo/bar', 'roger smith'],
      [6, 'topic', 'deny', 'secret/#', 'roger smith'],
      [7, 'pattern', 'write', 'dev/%c/state', undefined],
    ],
  );
  assert.deepEqual(acl.issues.map((i) => i.line), [8]);
});

test('password and PSK files', () => {
  const pw = parseMosquittoPasswd('a:$7$101$Zm9vYmFyYmF6cXV4$aGFzaA==\nb:$6$c2FsdA==$aGFzaA==\nc:hunter2\nd:$1$x\nnocolon\n', 'pw');
  assert.deepEqual(pw.entries.map((e) => [e.username, e.scheme, e.iterations, e.saltBytes, e.line]), [
    ['a', 'sha512-pbkdf2', 101, 12, 1],
    ['b', 'sha512', undefined, 4, 2],
    ['c', 'plain', undefined, undefined, 3],
    ['d', 'unknown', undefined, undefined, 4],
  ]);
  assert.ok(!JSON.stringify(pw).includes('hunter2'), 'plain passwords are not kept');
  // a and b carry a 4-byte hash, b a 4-byte salt: Mosquitto drops such entries (it wants 12 and 64 bytes).
  assert.deepEqual(
    pw.issues.map((i) => `${i.line}:${i.column} ${i.message}`),
    [
      '1:3 user "a": the hash decodes to 4 bytes, Mosquitto expects 64',
      '2:3 user "b": the salt decodes to 4 bytes, Mosquitto expects 12',
      '4:3 user "d": unknown hash scheme "$1$" (Mosquitto knows $6$ and $7$, newer versions $argon2id$)',
      '5:1 no ":" on this line (expected username:hash)',
    ],
  );
  assert.deepEqual(pw.entries.map((e) => e.problem !== undefined), [true, true, false, true]);
  const psk = parseMosquittoPsk('id:deadbeef\neasy:12345\nbad:xyz\n', 'psk');
  assert.deepEqual(psk.entries.map((e) => [e.identity, e.keyBits, e.validHex]), [['id', 32, true], ['easy', 20, true], ['bad', 12, false]]);
  assert.deepEqual(psk.issues.map((i) => i.line), [3]);
});
