import { test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAttempts, parseWordlist } from '../src/collectors/mqtt/intrusive.js';
import type { LoginAttempt } from '../src/core/facts.js';

const refused = (n: number, ms = 2): LoginAttempt => ({ n, outcome: 'refused', code: 0x86, codeName: 'bad user name or password', ms });

test('all attempts refused promptly → unrestricted', () => {
  const v = judgeAttempts(Array.from({ length: 12 }, (_, i) => refused(i + 1)));
  assert.equal(v.verdict, 'unrestricted');
  assert.match(v.reason, /12 failed logins/);
});

test('a ban, a limit code or the broker ceasing to answer → restricted', () => {
  const series = (...tail: LoginAttempt[]) => [...Array.from({ length: 5 }, (_, i) => refused(i + 1)), ...tail];
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'banned', code: 0x8a, ms: 1 })).verdict, 'restricted');
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'throttled-code', code: 0x9f, ms: 1 })).verdict, 'restricted');
  const stopped = judgeAttempts(series({ n: 6, outcome: 'no-connack', detail: 'closed', ms: 1 }, { n: 7, outcome: 'connect-failed', detail: 'ECONNREFUSED', ms: 1 }));
  assert.equal(stopped.verdict, 'restricted');
  assert.match(stopped.reason, /stopped answering after 5 failed logins/);
});

test('one dropped connection among refusals is a hiccup, not a limit', () => {
  const s = [...Array.from({ length: 4 }, (_, i) => refused(i + 1)), { n: 5, outcome: 'no-connack' as const, detail: 'reset', ms: 1 }, refused(6), refused(7), refused(8)];
  const v = judgeAttempts(s);
  assert.equal(v.verdict, 'unrestricted');
  assert.match(v.reason, /1 isolated dropped connection aside/);
  // A single drop at the very end proves nothing either way.
  assert.equal(judgeAttempts([...Array.from({ length: 5 }, (_, i) => refused(i + 1)), { n: 6, outcome: 'connect-failed', ms: 1 }]).verdict, 'inconclusive');
});

test('codes that are neither authentication refusals nor limits → inconclusive', () => {
  const s = [refused(1), refused(2), { n: 3, outcome: 'other-code' as const, code: 0x80, codeName: 'unspecified error', ms: 1 }];
  assert.equal(judgeAttempts(s).verdict, 'inconclusive');
  assert.equal(judgeAttempts([{ n: 1, outcome: 'other-code', code: 2, codeName: 'identifier rejected', ms: 1 }]).verdict, 'inconclusive');
});

test('answers slowing down markedly → restricted (throttling)', () => {
  const s = [refused(1, 3), refused(2, 2), refused(3, 3), refused(4, 900), refused(5, 1200), refused(6, 1500), refused(7, 1800)];
  const v = judgeAttempts(s);
  assert.equal(v.verdict, 'restricted');
  assert.match(v.reason, /slowed/);
});

test('jitter is not throttling', () => {
  const s = [refused(1, 3), refused(2, 2), refused(3, 3), refused(4, 9), refused(5, 12), refused(6, 8), refused(7, 11)];
  assert.equal(judgeAttempts(s).verdict, 'unrestricted');
});

test('accepted random credentials, too few attempts, nothing → not a PASS', () => {
  assert.equal(judgeAttempts([{ n: 1, outcome: 'accepted', code: 0, ms: 1 }]).verdict, 'no-authentication');
  assert.equal(judgeAttempts([refused(1), refused(2)]).verdict, 'inconclusive');
  assert.equal(judgeAttempts(Array.from({ length: 5 }, (_, i) => refused(i + 1))).verdict, 'inconclusive', '5 attempts cannot show throttling');
  assert.equal(judgeAttempts([]).verdict, 'inconclusive');
  assert.equal(judgeAttempts([{ n: 1, outcome: 'no-connack', ms: 1 }]).verdict, 'inconclusive');
});

test('"not authorized" for a client ID not known to be accepted proves no failed login', () => {
  const s = Array.from({ length: 8 }, (_, i) => ({ ...refused(i + 1), code: 0x87, codeName: 'not authorized', notAuthorized: true as const }));
  assert.equal(judgeAttempts(s, false).verdict, 'inconclusive');
  assert.match(judgeAttempts(s, false).reason, /clientid_prefixes/);
  assert.equal(judgeAttempts(s, true).verdict, 'unrestricted');
});

test('wordlist parsing: first colon splits, comments, errors name the line', () => {
  assert.deepEqual(parseWordlist('# x\nadmin:pa:ss\n\nroot:\n', 'w.txt'), [
    { username: 'admin', password: 'pa:ss' },
    { username: 'root', password: '' },
  ]);
  assert.throws(() => parseWordlist('ok:1\nnocolon\n', 'w.txt'), /w\.txt:2: expected username:password/);
});
