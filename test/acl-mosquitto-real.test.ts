/**
 * `acl can`, `acl who-can` and `acl verify` against a real Mosquitto 2.0.x: every answer of the model
 * in this file is also asked of the live broker (canary publish/subscribe), and the two must agree.
 * The last test breaks the model on purpose (a flipped decision through the test hook) and proves
 * that verify reports exactly that disagreement.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startMosquitto, mosquittoSkipReason, type MosquittoBroker } from './helpers/mosquitto.js';
import { loadAclSetup } from '../src/acl/load.js';
import { can, whoCan } from '../src/acl/query.js';
import { verifyAcl, type VerifyIdentity, type VerifyResult } from '../src/acl/verify.js';
import { makeEndpoint } from '../src/core/targets.js';
import { aclCan, aclVerify, setAclTamperForTests } from '../src/cli/impl/acl.js';
import type { AclAction } from '../src/acl/model.js';

const ACL = `# anonymous clients
topic read public/#
topic write public/anon

user alice
topic readwrite plant/+/door
topic deny plant/secret/door
topic read $SYS/#

user sensor7
topic write sensors/sensor7/#
topic read cmd/sensor7

user admin
topic readwrite #

pattern readwrite devices/%c/#
pattern write users/%u/out
pattern deny devices/%c/locked
`;
const LINE = (text: string) => ACL.split('\n').findIndex((l) => l === text) + 1;

const USERS = { alice: 'alice-pw', sensor7: 'sensor7-pw', admin: 'admin-pw', bob: 'bob-pw' };
const IDS: VerifyIdentity[] = [
  { name: 'anon', clientId: 'anon-c' },
  { name: 'alice', username: 'alice', password: USERS.alice, clientId: 'alice-c' },
  { name: 'sensor7', username: 'sensor7', password: USERS.sensor7, clientId: 'sensor7' },
  { name: 'admin', username: 'admin', password: USERS.admin, clientId: 'admin-c' },
  { name: 'bob', username: 'bob', password: USERS.bob, clientId: 'bob-c' },
  // Not in the password file: the model says it cannot connect, the broker refuses it.
  { name: 'mallory', username: 'mallory', password: 'guess', clientId: 'mallory-c' },
];

/** The questions, each with the expected answer and the deciding line (0: no rule decided). */
const CASES: { who: string; action: AclAction; topic: string; allowed: boolean; line: number }[] = [
  { who: 'alice', action: 'write', topic: 'plant/7/door', allowed: true, line: LINE('topic readwrite plant/+/door') },
  { who: 'alice', action: 'write', topic: 'plant/secret/door', allowed: false, line: LINE('topic deny plant/secret/door') },
  { who: 'alice', action: 'read', topic: 'plant/secret/door', allowed: false, line: LINE('topic deny plant/secret/door') },
  { who: 'admin', action: 'read', topic: 'plant/secret/door', allowed: true, line: LINE('topic readwrite #') },
  // "can sensor7 write cmd/#?" — a filter: evaluated on a topic standing for all of it.
  { who: 'sensor7', action: 'write', topic: 'cmd/#', allowed: false, line: 0 },
  { who: 'sensor7', action: 'read', topic: 'cmd/sensor7', allowed: true, line: LINE('topic read cmd/sensor7') },
  { who: 'sensor7', action: 'write', topic: 'sensors/sensor7/temp', allowed: true, line: LINE('topic write sensors/sensor7/#') },
  { who: 'anon', action: 'write', topic: 'public/anon', allowed: true, line: LINE('topic write public/anon') },
  { who: 'anon', action: 'write', topic: 'public/news', allowed: false, line: 0 },
  { who: 'anon', action: 'read', topic: 'public/news', allowed: true, line: LINE('topic read public/#') },
  { who: 'alice', action: 'read', topic: 'public/news', allowed: false, line: 0 },
  // The user's own list is searched before the patterns: admin's "#" wins over the pattern deny.
  { who: 'admin', action: 'write', topic: 'devices/admin-c/locked', allowed: true, line: LINE('topic readwrite #') },
  { who: 'alice', action: 'write', topic: 'devices/alice-c/locked', allowed: false, line: LINE('pattern deny devices/%c/locked') },
  { who: 'alice', action: 'write', topic: 'devices/alice-c/state', allowed: true, line: LINE('pattern readwrite devices/%c/#') },
  { who: 'anon', action: 'write', topic: 'devices/anon-c/state', allowed: true, line: LINE('pattern readwrite devices/%c/#') },
  { who: 'bob', action: 'write', topic: 'devices/alice-c/state', allowed: false, line: 0 },
  { who: 'bob', action: 'write', topic: 'users/bob/out', allowed: true, line: LINE('pattern write users/%u/out') },
  { who: 'anon', action: 'write', topic: 'users/anon/out', allowed: false, line: 0 },
  // $SYS: never writable by clients (the broker refuses before any rule), and "#" does not cover it.
  { who: 'admin', action: 'write', topic: '$SYS/broker/x', allowed: false, line: 0 },
  { who: 'mallory', action: 'write', topic: 'public/anon', allowed: false, line: 0 },
  // Mosquitto 2.0 grants every SUBSCRIBE and checks "read" at delivery: the SUBACK says yes even where alice may not read.
  { who: 'alice', action: 'subscribe', topic: 'plant/secret/door', allowed: true, line: 0 },
];
const TOPICS = [...new Set(CASES.map((c) => c.topic.replace('#', 'mqtt-warden-any')))];

const skip = mosquittoSkipReason();

describe('acl against a real Mosquitto 2.0', { skip, timeout: 120_000 }, () => {
  let broker: MosquittoBroker;
  let live: VerifyResult;
  const idOf = (name: string) => IDS.find((i) => i.name === name)!;
  const identity = (name: string) => {
    const v = idOf(name);
    return { ...(v.username !== undefined ? { username: v.username } : {}), clientId: v.clientId };
  };
  const observed = (who: string, action: AclAction, topic: string) => live.observations.find((o) => o.identity === who && o.action === action && o.topic === topic);

  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true, users: USERS, acl: ACL });
    const { evaluators } = loadAclSetup({ mosquittoConf: [broker.confPath] });
    live = await verifyAcl(makeEndpoint('mqtt', '127.0.0.1', broker.ports[0]!.port, true), evaluators[0]!, IDS, TOPICS, { timeoutMs: 3000, maxSeconds: 60, settleMs: 400 });
  });
  after(async () => {
    setAclTamperForTests(undefined);
    await broker?.stop();
  });

  it('the config is read through mosquitto.conf: its acl_file and password_file', () => {
    const s = loadAclSetup({ mosquittoConf: [broker.confPath] });
    assert.equal(s.evaluators.length, 1);
    assert.match(s.evaluators[0]!.name, /mosquitto acl_file/);
  });

  for (const c of CASES) {
    it(`can ${c.who} ${c.action} ${c.topic}: ${c.allowed ? 'yes' : 'no'}${c.line ? ` (line ${c.line})` : ''}, and the broker agrees`, () => {
      const { evaluators } = loadAclSetup({ mosquittoConf: [broker.confPath] });
      const [a] = can(evaluators, identity(c.who), c.action, c.topic);
      assert.equal(a!.decision.allowed, c.allowed, JSON.stringify(a!.decision));
      if (c.line) assert.equal(a!.decision.rule?.loc.line, c.line, `decided by ${JSON.stringify(a!.decision.rule)}`);
      else assert.equal(a!.decision.rule, undefined, `no rule should decide: ${JSON.stringify(a!.decision.rule)}`);
      const o = observed(c.who, c.action, a!.evaluated);
      assert.ok(o, `the broker was asked ${c.who} ${c.action} ${a!.evaluated}`);
      if (c.action === 'read' && o.observed === undefined) assert.fail(`read not observable: ${o.how}`);
      assert.equal(o.observed, c.allowed, `broker: ${o.how}`);
    });
  }

  it('verify: every answer the broker gave agrees with the model, and most were observable', () => {
    assert.deepEqual(live.disagreements, []);
    assert.equal(live.observations.length, IDS.length * TOPICS.length * 3);
    // Reads nobody could publish to are not observable; everything else is.
    assert.ok(live.untested.every((o) => o.action === 'read'), JSON.stringify(live.untested.filter((o) => o.action !== 'read')));
    assert.ok(live.untested.length < TOPICS.length * IDS.length / 2, `${live.untested.length} untested`);
  });

  it('who-can: the identities the model lists are exactly those the broker let through', () => {
    const { evaluators } = loadAclSetup({ mosquittoConf: [broker.confPath] });
    for (const topic of ['plant/7/door', 'public/news', 'users/bob/out', 'plant/secret/door']) {
      for (const action of ['write', 'read'] as const) {
        const answers = whoCan(evaluators, action, topic).filter((a) => a.identity.clientId === undefined);
        for (const v of IDS) {
          // who-can evaluates without a client id; these topics do not depend on it.
          const a = answers.find((x) => x.identity.username === v.username);
          const o = observed(v.name, action, topic);
          if (!a || !o || o.observed === undefined) continue;
          assert.equal(a.decision.allowed, o.observed, `${v.name} ${action} ${topic}: who-can says ${a.decision.allowed}, broker ${o.how}`);
        }
      }
    }
    const writers = whoCan(evaluators, 'write', 'plant/7/door').filter((a) => a.decision.allowed).map((a) => a.who);
    assert.deepEqual(writers.sort(), ['user "admin"', 'user "alice"']);
    const pub = whoCan(evaluators, 'write', 'devices/7/state').filter((a) => a.decision.allowed);
    assert.ok(pub.some((a) => a.identity.clientId === '7' && a.identity.username === undefined), 'an anonymous client with id 7, through the %c pattern');
  });

  it('acl can (CLI implementation): JSON names the deciding rule and the chain', () => {
    const out = join(broker.dir, 'can.json');
    const code = aclCan('alice', 'write', 'plant/secret/door', { config: [], mosquittoConf: [broker.confPath], aclFile: [], emqxConf: [], emqxAcl: [], dynsec: [], emqxVersion: '5.8', format: 'json', output: out, color: false, quiet: true, clientId: 'alice-c' });
    assert.equal(code, 0);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(j.answers[0].allowed, false);
    assert.equal(j.answers[0].decidedBy.line, LINE('topic deny plant/secret/door'));
    assert.ok(j.answers[0].chain.length >= 1);
    assert.equal(JSON.stringify(j).includes(USERS.alice), false);
  });

  it('a deliberate model bug (one flipped decision) makes verify report exactly that disagreement and exit 1', async () => {
    const ids = join(broker.dir, 'ids.json');
    const topics = join(broker.dir, 'topics.txt');
    writeFileSync(ids, JSON.stringify(IDS.filter((i) => i.name !== 'mallory').map((i) => ({ name: i.name, ...(i.username ? { username: i.username } : {}), ...(i.password ? { password: i.password } : {}), clientId: i.clientId }))));
    writeFileSync(topics, 'plant/7/door\npublic/news\n');
    const out = join(broker.dir, 'verify.json');
    const flags = { config: [], mosquittoConf: [broker.confPath], aclFile: [], emqxConf: [], emqxAcl: [], dynsec: [], emqxVersion: '5.8', format: 'json', output: out, color: false, quiet: true, identities: ids, topics, intrusive: true, timeout: 3000, maxSeconds: 60, settle: 300 };
    assert.equal(await aclVerify(`mqtt://127.0.0.1:${broker.ports[0]!.port}`, flags), 0, 'the unbroken model agrees');
    setAclTamperForTests((d, id, action, topic) => (id.username === 'alice' && action === 'write' && topic === 'plant/7/door' ? { ...d, allowed: !d.allowed } : d));
    try {
      assert.equal(await aclVerify(`mqtt://127.0.0.1:${broker.ports[0]!.port}`, flags), 1);
    } finally {
      setAclTamperForTests(undefined);
    }
    const j = JSON.parse(readFileSync(out, 'utf8'));
    const bad = j.observations.filter((o: { agrees?: boolean }) => o.agrees === false);
    assert.deepEqual(bad.map((o: { identity: string; action: string; topic: string; observed: boolean }) => [o.identity, o.action, o.topic, o.observed]), [['alice', 'write', 'plant/7/door', true]]);
    const text = readFileSync(out, 'utf8');
    for (const pw of Object.values(USERS)) assert.equal(text.includes(pw), false, 'no password in the report');
  });
});
