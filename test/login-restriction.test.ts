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

test('a ban, a dropped connection or a refused TCP connect → restricted', () => {
  const series = (last: LoginAttempt) => [...Array.from({ length: 5 }, (_, i) => refused(i + 1)), last];
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'banned', code: 0x8a, ms: 1 })).verdict, 'restricted');
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'no-connack', detail: 'closed', ms: 1 })).verdict, 'restricted');
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'connect-failed', detail: 'ECONNREFUSED', ms: 1 })).verdict, 'restricted');
  assert.equal(judgeAttempts(series({ n: 6, outcome: 'throttled-code', code: 0x9f, ms: 1 })).verdict, 'restricted');
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
  assert.equal(judgeAttempts([]).verdict, 'inconclusive');
  assert.equal(judgeAttempts([{ n: 1, outcome: 'no-connack', ms: 1 }]).verdict, 'inconclusive');
});

test('wordlist parsing: first colon splits, comments, errors name the line', () => {
  assert.deepEqual(parseWordlist('# x\nadmin:pa:ss\n\nroot:\n', 'w.txt'), [
    { username: 'admin', password: 'pa:ss' },
    { username: 'root', password: '' },
  ]);
  assert.throws(() => parseWordlist('ok:1\nnocolon\n', 'w.txt'), /w\.txt:2: expected username:password/);
});
