/**
 * `mqtt-warden passwd`: $7$ hashes that a real mosquitto accepts, compatibility with
 * mosquitto_passwd, the strength check, generation, audit and the bounded crack test.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { startMosquitto, mosquittoSkipReason, mosquittoPasswdPath } from './helpers/mosquitto.js';
import { hashPbkdf2, upsertEntry, verifyMosquittoHash } from '../src/credentials/mosquitto-hash.js';
import { checkPassword, generatePassword } from '../src/credentials/strength.js';
import { crackTest } from '../src/credentials/crack.js';
import { parseMosquittoPasswd } from '../src/config/mosquitto.js';
import { DEFAULT_POLICY } from '../src/config/policy.js';
import { runPasswdAudit } from '../src/cli/impl/passwd.js';
import type { Report } from '../src/core/types.js';
import { reportErrors } from './helpers/schemas.js';
import { runCli } from './helpers/cli.js';

const run = (args: string[], stdin: string) => runCli(args, { stdin });

const tmp = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-passwd-${process.pid}-`));
after(() => rmSync(tmp, { recursive: true, force: true }));


async function connack(url: string, username: string, password: string): Promise<'accepted' | 'refused'> {
  try {
    const c = await mqtt.connectAsync(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000, protocolVersion: 4 });
    await c.endAsync();
    return 'accepted';
  } catch {
    return 'refused';
  }
}

const skip = mosquittoSkipReason();

describe('a real mosquitto accepts the $7$ entries passwd hash writes', { skip }, () => {
  test('CLI-written password file: right password in, wrong password and unknown user out', async () => {
    const file = path.join(tmp, 'passwd');
    const alice = generatePassword(20);
    const bob = generatePassword(20);
    const a = await run(['passwd', 'hash', 'alice', '-f', file], `${alice}\n`);
    assert.equal(a.code, 0, a.stderr);
    assert.match(a.stderr, /added alice in .*100000 iterations/);
    assert.ok(!a.stdout.includes(alice) && !a.stderr.includes(alice), 'the password is never printed');
    const b = await run(['passwd', 'hash', 'bob', '-f', file, '-i', '1000'], `${bob}\n`);
    assert.equal(b.code, 0, b.stderr);
    assert.equal(statSync(file).mode & 0o777, 0o640);
    const entries = parseMosquittoPasswd(readFileSync(file, 'utf8'), file).entries;
    assert.deepEqual(entries.map((e) => [e.username, e.scheme, e.iterations, e.saltBytes]), [
      ['alice', 'sha512-pbkdf2', 100000, 12],
      ['bob', 'sha512-pbkdf2', 1000, 12],
    ]);
    const broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: false, extraConfig: `password_file ${file}` });
    try {
      const url = broker.ports[0]!.url;
      assert.equal(await connack(url, 'alice', alice), 'accepted');
      assert.equal(await connack(url, 'bob', bob), 'accepted');
      assert.equal(await connack(url, 'alice', bob), 'refused');
      assert.equal(await connack(url, 'carol', alice), 'refused');
      // Updating keeps the other user and changes the password.
      const alice2 = generatePassword(20);
      const u = await run(['passwd', 'hash', 'alice', '-f', file], `${alice2}\n`);
      assert.match(u.stderr, /updated alice/);
      assert.equal(parseMosquittoPasswd(readFileSync(file, 'utf8'), file).entries.length, 2);
    } finally {
      await broker.stop();
    }
  });
});

describe('compatibility with mosquitto_passwd', { skip: skip || (!mosquittoPasswdPath() && 'mosquitto_passwd not installed') }, () => {
  test('verifies $7$ and $6$ entries mosquitto_passwd wrote', () => {
    const file = path.join(tmp, 'mp');
    const tool = mosquittoPasswdPath()!;
    execFileSync(tool, ['-c', '-b', file, 'u7', 'pw-seven']);
    execFileSync(tool, ['-H', 'sha512', '-b', file, 'u6', 'pw-six']);
    const [u7, u6] = parseMosquittoPasswd(readFileSync(file, 'utf8'), file).entries;
    assert.equal(u7!.scheme, 'sha512-pbkdf2');
    assert.equal(u7!.iterations, 101, 'mosquitto_passwd 2.0 writes 101 iterations');
    assert.equal(u6!.scheme, 'sha512');
    assert.equal(verifyMosquittoHash('pw-seven', u7!.hash), true);
    assert.equal(verifyMosquittoHash('pw-sevem', u7!.hash), false);
    assert.equal(verifyMosquittoHash('pw-six', u6!.hash), true);
    assert.equal(verifyMosquittoHash('pw-sux', u6!.hash), false);
  });
});

test('hash format: 12-byte salt, 64-byte PBKDF2-SHA512, standard base64; upsert keeps other lines', () => {
  const h = hashPbkdf2('secret', 1000, Buffer.alloc(12, 1));
  assert.match(h, /^\$7\$1000\$AQEBAQEBAQEBAQEB\$[A-Za-z0-9+/]{86}==$/);
  assert.equal(verifyMosquittoHash('secret', h), true);
  assert.equal(verifyMosquittoHash('x', '$argon2id$v=19$m=1,t=1,p=1$x$y'), undefined);
  assert.equal(upsertEntry('# c\nbob:$7$x\n', 'alice', 'H'), '# c\nbob:$7$x\nalice:H\n');
  assert.equal(upsertEntry('alice:old\nbob:b\n', 'alice', 'new'), 'alice:new\nbob:b\n');
  assert.throws(() => upsertEntry('', 'a:b', 'H'));
});

test('strength: length, classes, common list, entropy; generated passwords pass', () => {
  const p = DEFAULT_POLICY.passwords;
  const weak = checkPassword('password', p);
  assert.equal(weak.ok, false);
  assert.equal(weak.common, true);
  assert.ok(weak.problems.some((x) => /common-password list/.test(x)));
  assert.equal(checkPassword('Summer2024!', p).ok, false);
  for (let i = 0; i < 20; i++) assert.equal(checkPassword(generatePassword(20), p).ok, true);
  const g = generatePassword(16, false);
  assert.match(g, /^[A-Za-z0-9]{16}$/);
  assert.ok(/[a-z]/.test(g) && /[A-Z]/.test(g) && /[0-9]/.test(g));
});

test('passwd check and gen: exit codes, never print the checked password', async () => {
  const c = await run(['passwd', 'check'], 'password\nhunter2\n');
  assert.equal(c.code, 1);
  assert.match(c.stdout, /^line 1: FAIL .*common-password list/m);
  assert.ok(!c.stdout.includes('hunter2') && !c.stdout.match(/: password\b/));
  const ok = await run(['passwd', 'check', '--json'], `${generatePassword(24)}\n`);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal(JSON.parse(ok.stdout).ok, true);
  const g = await run(['passwd', 'gen', '-n', '3', '-l', '30'], '');
  assert.equal(g.code, 0);
  assert.equal(g.stdout.trim().split('\n').length, 3);
  assert.ok(g.stdout.trim().split('\n').every((l) => l.length === 30));
  const weak = await run(['passwd', 'hash', 'alice'], 'short\n');
  assert.equal(weak.code, 1);
  assert.match(weak.stderr, /fails the policy/);
  assert.equal(weak.stdout, '');
});

describe('passwd audit', () => {
  test('legacy and weak entries, duplicates, world-readable mode, crack test (bounded), report schema', async () => {
    const file = path.join(tmp, 'audit-passwd');
    const lines = [
      `admin:${hashPbkdf2('admin', 1000)}`, // password = username
      `sensor:${hashPbkdf2('letmein', 101)}`, // in the wordlist, 101 iterations
      `strong:${hashPbkdf2(generatePassword(24), 100000)}`,
      'roger:$6$clQ4Ocu312S0qWgl$Cv2wUxgEN73c6C6jlBkswqR4AkHsvDLWvtEXZZ8NpsBLgP1WAo/qA+WXcmEN/mjDNgdUwcxRAveqNMs2xUVQYA==',
      `sensor:${hashPbkdf2('x', 1000)}`,
    ];
    writeFileSync(file, lines.join('\n') + '\n', { mode: 0o644 });
    const wordlist = path.join(tmp, 'words');
    writeFileSync(wordlist, '123456\nletmein\npassword\n');
    const r: Report = await runPasswdAudit([file], { policy: DEFAULT_POLICY, crackWordlist: wordlist, maxCandidates: 100, maxSeconds: 20, failOn: 'medium' });
    assert.equal(reportErrors(r), '');
    const f = (id: string) => r.results.filter((x) => x.checkId === id && x.status === 'FAIL').map((x) => `${x.location.line}: ${x.message}`);
    const acc036 = f('ACC-036');
    assert.ok(acc036.some((m) => /^1: .*world-readable \(mode 0644\)/.test(m)), acc036.join('\n'));
    assert.ok(acc036.some((m) => /^2: user "sensor": \$7\$ with 101 PBKDF2 iterations/.test(m)));
    assert.ok(acc036.some((m) => /^4: user "roger" has a legacy \$6\$ hash/.test(m)));
    assert.ok(acc036.some((m) => /^5: user "sensor" is listed again \(first at line 2\)/.test(m)));
    assert.ok(!acc036.some((m) => m.startsWith('3:')), 'the strong entry is fine');
    // roger is the upstream pwfile.example entry: its password is "password".
    assert.deepEqual(f('ACC-038'), ['1: user "admin": the password is the username', '2: user "sensor": the password is in words', '4: user "roger": the password is in words']);
    assert.ok(!JSON.stringify(r).includes('letmein'), 'cracked passwords are not reported');

    const cli = await run(['passwd', 'audit', file, '--crack-test', wordlist, '-r', 'json'], '');
    assert.equal(cli.code, 1);
    assert.equal((JSON.parse(cli.stdout) as Report).summary.failuresBySeverity.critical, 3);
  });

  test('crack test bounds: candidates per hash and total time; a hash cut short is unfinished, never "not found"', () => {
    const file = parseMosquittoPasswd(`a:${hashPbkdf2('zzz', 1000)}\nb:${hashPbkdf2('zzz', 1000)}\n`, 'p');
    const words = Array.from({ length: 50 }, (_, i) => `w${i}`);
    const capped = crackTest([file], 'w', words, { maxCandidates: 10, maxSeconds: 60 });
    assert.equal(capped.attempts, 2 * 11, 'username + 10 candidates per hash');
    assert.equal(capped.stoppedBy, 'max-candidates');
    assert.equal(capped.finished, 0, 'a hash tried against 11 of 51 candidates is not finished');
    assert.deepEqual(capped.unfinished.map((u) => [u.username, u.tried, u.reason]), [
      ['a', 11, "tried 11 of 51 candidates: the --max-candidates bound (10 of the list's 50 words)"],
      ['b', 11, "tried 11 of 51 candidates: the --max-candidates bound (10 of the list's 50 words)"],
    ]);
    const whole = crackTest([file], 'w', words.slice(0, 3), { maxCandidates: 10, maxSeconds: 60 });
    assert.deepEqual([whole.finished, whole.unfinished.length, whole.stoppedBy, whole.candidates], [2, 0, 'list-exhausted', 4]);
    // The case: the clock runs out after the first candidate of the first hash.
    let t = 0;
    const timed = crackTest([file], 'w', words.slice(0, 3), { maxCandidates: 1000, maxSeconds: 5 }, { now: () => (t += 2000), msPerIteration: 0 });
    assert.equal(timed.stoppedBy, 'max-seconds');
    assert.equal(timed.finished, 0);
    assert.deepEqual(timed.unfinished.map((u) => [u.username, u.reason]), [['a', 'tried 1 of 4 candidates before the 5 s limit']]);
    assert.deepEqual(timed.untested.map((u) => [u.username, u.reason]), [['b', 'not started: the 5 s limit was used up']]);
  });

  test('one derivation is bounded: absurd iteration counts are not derived, a derivation that cannot fit is not started', async () => {
    // $7$ with 10 million iterations is allowed, but one derivation takes seconds: with 1 s it is not started.
    const big = parseMosquittoPasswd(`big:${hashPbkdf2('zzz', 1000).replace('$7$1000$', '$7$10000000$')}\n`, 'p');
    const t0 = performance.now();
    const r = crackTest([big], 'w', ['a', 'b', 'c'], { maxCandidates: 10, maxSeconds: 1 });
    assert.ok(performance.now() - t0 < 3000, `took ${performance.now() - t0} ms`);
    assert.equal(r.finished, 0);
    assert.match(r.unfinished[0]?.reason ?? '', /^tried 0 of 4 candidates: one derivation \(10000000 iterations\) takes about [\d.]+ s, more than the [\d.]+ s left of the 1 s limit$/);
    assert.throws(() => hashPbkdf2('x', 10_000_001), /from 1 to 10000000/);
    assert.throws(() => verifyMosquittoHash('x', `$7$999999999$MTIzNDU2Nzg5MDEy$${'A'.repeat(86)}==`), /not derived/);

    // Through the CLI, as in the issue: --max-seconds 5 on $7$999999999$… ends within its bound, and says why.
    const file = path.join(tmp, 'absurd-passwd');
    writeFileSync(file, `u:$7$999999999$MTIzNDU2Nzg5MDEy$${'A'.repeat(86)}==\n`, { mode: 0o600 });
    const wordlist = path.join(tmp, 'words3');
    writeFileSync(wordlist, 'a\nb\nc\n');
    const started = performance.now();
    const cli = await run(['passwd', 'audit', file, '--crack-test', wordlist, '--max-seconds', '5', '-r', 'json'], '');
    assert.ok(performance.now() - started < 15_000);
    assert.equal(cli.code, 1, cli.stderr);
    const rep = JSON.parse(cli.stdout) as Report;
    const of = (id: string) => rep.results.filter((x) => x.checkId === id).map((x) => `${x.status} ${x.location.line}: ${x.message}`);
    assert.deepEqual(of('ACC-038'), ['SKIP 1: user "u": not tested (malformed entry, not derived: an absurd iteration count 999999999 (above 10000000): every login as this user costs the broker minutes of CPU)']);
    assert.ok(of('ACC-036').some((m) => m.startsWith('FAIL 1: malformed entry: user "u": an absurd iteration count 999999999')), of('ACC-036').join('\n'));
  });

  test('malformed lines in a real mosquitto_passwd file are findings at their line, in passwd audit and lint alike', { skip: !mosquittoPasswdPath() && 'mosquitto_passwd not installed' }, async () => {
    const file = path.join(tmp, 'malformed-passwd');
    execFileSync(mosquittoPasswdPath()!, ['-c', '-b', file, 'good', generatePassword(20)]);
    execFileSync(mosquittoPasswdPath()!, ['-b', file, 'shortsalt', generatePassword(20)]);
    const real = readFileSync(file, 'utf8').split('\n');
    // Line 2: a real entry with its salt cut to 9 bytes; then the two lines.
    real[1] = real[1]!.replace(/^(shortsalt:\$7\$\d+\$)[^$]+/, '$1MTIzNDU2Nzg5');
    const text = [real[0], real[1], 'nocolon', 'u:$7$999999999999$abc$def'].join('\n') + '\n';
    writeFileSync(file, text);
    chmodSync(file, 0o600);
    const expected = [
      `FAIL ${file}:2: malformed entry: user "shortsalt": the salt decodes to 9 bytes, Mosquitto expects 12`,
      `FAIL ${file}:3: malformed entry: no ":" on this line (expected username:hash)`,
      `FAIL ${file}:4: malformed entry: user "u": an absurd iteration count 999999999999 (above 10000000): every login as this user costs the broker minutes of CPU`,
    ];
    const lines = (rep: Report) => rep.results.filter((x) => x.checkId === 'ACC-036' && x.message.includes('malformed')).map((x) => `${x.status} ${x.location.uri}:${x.location.line}: ${x.message}`);
    const audit = await run(['passwd', 'audit', file, '-r', 'json'], '');
    assert.equal(audit.code, 1, 'a password file with malformed lines is not a clean exit');
    assert.deepEqual(lines(JSON.parse(audit.stdout) as Report), expected);
    const terminal = await run(['passwd', 'audit', '-v', file], '');
    assert.match(terminal.stdout, new RegExp(`ACC-036 .*\\[${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3:1\\]`));
    // lint of a mosquitto.conf naming the file reports the same lines, through the same check.
    const conf = path.join(tmp, 'malformed-mosquitto.conf');
    writeFileSync(conf, `listener 1883 127.0.0.1\nallow_anonymous false\npassword_file ${file}\n`);
    const lint = await run(['lint', conf, '-r', 'json'], '');
    assert.equal(lint.code, 1, lint.stderr);
    assert.deepEqual(lines(JSON.parse(lint.stdout) as Report), expected);
  });
});

test('passwd audit of an EMQX bootstrap CSV: clear-text and weak passwords, never printed', async () => {
  const csv = path.join(tmp, 'auth-built-in-db-bootstrap.csv');
  writeFileSync(csv, 'user_id,password,is_superuser\nadmin,public,true\nsensor,Vq8-xK2#mP9!zL4@wR7,false\n', { mode: 0o600 });
  const r = await run(['passwd', 'audit', csv, '-r', 'json'], '');
  assert.equal(r.code, 1);
  const report = JSON.parse(r.stdout) as Report;
  const f = report.results.filter((x) => x.checkId === 'ACC-039' && x.status === 'FAIL').map((x) => [x.location.line, x.severity]);
  assert.deepEqual(f, [[1, 'high'], [2, 'critical']]);
  assert.ok(!r.stdout.includes('Vq8-xK2') && !r.stdout.includes('"public"'));
});
