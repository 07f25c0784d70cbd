import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { judgeAttempts, parseWordlist } from '../src/collectors/mqtt/intrusive.js';
import type { LoginAttempt, LoginRestriction } from '../src/core/facts.js';
import { verdictList } from '../src/core/check.js';
import acc008 from '../src/checks/acc-008-login-attempt-restriction.js';
import { NETWORK_CTX } from './checks/fixtures.js';
import { DEFAULT_POLICY } from '../src/config/policy.js';
import { startMosquitto, mosquittoSkipReason, type MosquittoBroker } from './helpers/mosquitto.js';
import { audit, result } from './helpers/audit.js';

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

test('"not authorized" refusals are judged on their timing like any refusal', () => {
  const s = Array.from({ length: 8 }, (_, i) => ({ ...refused(i + 1), code: 0x87, codeName: 'not authorized', notAuthorized: true as const }));
  assert.equal(judgeAttempts(s).verdict, 'unrestricted');
  assert.equal(judgeAttempts([...s.slice(0, 5), { n: 6, outcome: 'banned', code: 0x8a, ms: 1 }]).verdict, 'restricted');
});

describe('ACC-008 on "not authorized" refusals when no random client ID was seen accepted', () => {
  const notAuthorized = (n: number): LoginAttempt => ({ ...refused(n), code: 0x87, codeName: 'not authorized', notAuthorized: true });
  const fact = (attempts: LoginAttempt[], clientIdProven: boolean): LoginRestriction => ({
    username: 'mw-probe-0123456789ab',
    clientIdProven,
    attempts,
    durationMs: 500,
    ...judgeAttempts(attempts),
  });
  const judge = (r: LoginRestriction) => verdictList(acc008.judge({ 'mqtt.loginRestriction': r, policy: DEFAULT_POLICY }, NETWORK_CTX))[0]!;

  test('all refused promptly: FAIL, and the message and evidence say what is not ruled out', () => {
    const v = judge(fact(Array.from({ length: 8 }, (_, i) => notAuthorized(i + 1)), false));
    assert.equal(v.status, 'FAIL');
    assert.match(v.message, /8 failed logins were all refused promptly/);
    assert.match(v.message, /"not authorized", which Mosquitto also sends for a client ID outside clientid_prefixes: give --username/);
    assert.match(String(v.evidence?.ambiguity), /clientid_prefixes/);
  });

  test('proven client ID, or refusals as bad credentials: no ambiguity', () => {
    for (const v of [judge(fact(Array.from({ length: 8 }, (_, i) => notAuthorized(i + 1)), true)), judge(fact(Array.from({ length: 8 }, (_, i) => refused(i + 1)), false))]) {
      assert.equal(v.status, 'FAIL');
      assert.doesNotMatch(v.message, /clientid_prefixes/);
      assert.equal(v.evidence?.ambiguity, undefined);
    }
  });

  test('a restriction observed stays PASS; no refusal at all stays SKIP', () => {
    const banned = judge(fact([...Array.from({ length: 5 }, (_, i) => notAuthorized(i + 1)), { n: 6, outcome: 'banned', code: 0x8a, ms: 1 }], false));
    assert.equal(banned.status, 'PASS');
    assert.match(String(banned.evidence?.ambiguity), /clientid_prefixes/);
    assert.equal(judge(fact([{ n: 1, outcome: 'other-code', code: 0x85, codeName: 'client identifier not valid', ms: 1 }], false)).status, 'SKIP');
    assert.equal(judge(fact([], false)).status, 'SKIP');
  });
});

describe('real Mosquitto with a password file, audited without --username', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: false, users: { sensor1: 'Sensor-Pass-2024' } });
  });
  after(() => broker?.stop());

  test('ACC-008 answers: FAIL, every refusal prompt, with the clientid_prefixes caveat', async () => {
    const report = await audit([broker.ports[0]!.url], { intrusive: true, limits: { maxAttempts: 12, maxSeconds: 8, rate: 50, loginAttempts: 8 } });
    const login = result(report, 'ACC-008');
    assert.equal(login.status, 'FAIL', login.message);
    assert.match(login.message, /8 failed logins were all refused promptly/);
    assert.match(login.message, /not authorized", which Mosquitto also sends for a client ID outside clientid_prefixes: give --username/);
    assert.equal(login.evidence.attempts, 8);
    assert.equal(login.evidence.clientIdProven, false);
    assert.match(String(login.evidence.ambiguity), /clientid_prefixes/);
    // Mosquitto 2.0 refuses a wrong password with "not authorized" (MQTT 5: 135), which is the ambiguity.
    assert.ok((login.evidence.series as string[]).every((a) => /:refused\(135\)@/.test(a)), String(login.evidence.series));
    // Credential guessing still needs a proven client ID: it does not count these refusals.
    assert.equal(result(report, 'ACC-007').status, 'SKIP');
  });
});

test('wordlist parsing: first colon splits, comments, errors name the line', () => {
  assert.deepEqual(parseWordlist('# x\nadmin:pa:ss\n\nroot:\n', 'w.txt'), [
    { username: 'admin', password: 'pa:ss' },
    { username: 'root', password: '' },
  ]);
  assert.throws(() => parseWordlist('ok:1\nnocolon\n', 'w.txt'), /w\.txt:2: expected username:password/);
});
