/**
 * One socket, one finding: with a port plan (`audit --port-plan`), SVC-003/004 leave the sockets
 * the plan judges to SVC-052/054; without one they judge them as before. Runs the checks through
 * the engine's judge (judgeOne), so the optional fact (meta.uses) travels the real gate.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CATALOGUE } from '../src/checks/index.js';
import { judgeOne } from '../src/core/engine.js';
import type { FactMap } from '../src/core/facts.js';
import type { CheckResult } from '../src/core/types.js';
import { brokers, listeners, sock, SYS_CTX } from './checks/system-fixtures.js';
import { portCheck, sock as planSock } from './checks/ports-fixtures.js';

const IDS = ['SVC-003', 'SVC-004', 'SVC-052', 'SVC-054'];

// Mosquitto configured for 127.0.0.1:1883 but listening on 0.0.0.0 (websockets, upstream #3045), and a stray redis.
const mosquitto = [{ pid: 812, name: 'mosquitto', uid: 107 }];
const sysFacts: FactMap = {
  'sys.listeners': { state: 'ok', value: listeners([sock('0.0.0.0', 1883, { processes: mosquitto }), sock('0.0.0.0', 8883, { processes: mosquitto }), sock('0.0.0.0', 6379)]), ms: 1 },
  'sys.brokers': { state: 'ok', value: brokers(), ms: 1 },
};
// The plan: 1883 loopback only, 8883 for clients; the planned firewall is not loaded.
const plan = portCheck({
  planned: portCheck().planned.filter((p) => p.port === 1883 || p.port === 8883),
  sockets: [planSock('tcp', 1883, '0.0.0.0', ['mosquitto[812]']), planSock('tcp', 8883, '0.0.0.0', ['mosquitto[812]']), planSock('tcp', 6379)],
  firewall: { tested: true, table: 'inet mqtt_warden', state: 'absent' },
});

function run(facts: FactMap): CheckResult[] {
  return CATALOGUE.filter((c) => IDS.includes(c.meta.id)).flatMap((c) => judgeOne(c, facts, SYS_CTX, false));
}

/** FAIL results per socket port, named by check. */
function failsPerPort(results: CheckResult[]): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const r of results.filter((x) => x.status === 'FAIL')) {
    for (const port of [1883, 6379, 8883]) if (new RegExp(`\\b${port}\\b`).test(r.message)) out.set(port, [...(out.get(port) ?? []), r.checkId]);
  }
  return out;
}

test('without a port plan: SVC-003 and SVC-004 judge the sockets (SVC-052/054 SKIP)', () => {
  const results = run({ ...sysFacts, 'ports.check': { state: 'skipped', reason: 'no port plan given' } });
  assert.deepEqual(Object.fromEntries(failsPerPort(results)), { 1883: ['SVC-004'], 6379: ['SVC-003'] });
  for (const id of ['SVC-052', 'SVC-054']) assert.ok(results.filter((r) => r.checkId === id).every((r) => r.status === 'SKIP'), id);
});

test('with a port plan: each socket fails once, in SVC-052/054, and SVC-003/004 say they left it there', () => {
  const results = run({ ...sysFacts, 'ports.check': { state: 'ok', value: plan, ms: 1 } });
  // 8883 is planned for clients and open to all without the planned firewall: a finding of the plan's own.
  assert.deepEqual(Object.fromEntries(failsPerPort(results)), { 1883: ['SVC-054'], 6379: ['SVC-052'], 8883: ['SVC-054'] });
  const svc003 = results.filter((r) => r.checkId === 'SVC-003');
  assert.deepEqual(svc003.map((r) => r.status), ['SKIP']);
  assert.deepEqual(svc003[0]!.evidence.leftToPortPlan, ['tcp/0.0.0.0:1883', 'tcp/0.0.0.0:8883', 'tcp/0.0.0.0:6379']);
  const svc004 = results.filter((r) => r.checkId === 'SVC-004' && r.message.includes('1883'));
  assert.equal(svc004.length, 1);
  assert.equal(svc004[0]!.status, 'SKIP');
  assert.match(svc004[0]!.message, /listens on 0\.0\.0\.0: judged against the port plan instead \(SVC-054/);
});

test('a broken port-plan fact does not silence SVC-003/004 (uses, not needs)', () => {
  const results = run({ ...sysFacts, 'ports.check': { state: 'error', error: 'cluster.yaml: bad node name', ms: 1 } });
  assert.deepEqual(Object.fromEntries(failsPerPort(results)), { 1883: ['SVC-004'], 6379: ['SVC-003'] });
  for (const id of ['SVC-052', 'SVC-054']) assert.ok(results.filter((r) => r.checkId === id).every((r) => r.status === 'ERROR'), id);
});
