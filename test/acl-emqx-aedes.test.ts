/**
 * EMQX-style rules (acl.conf) evaluated by the model and checked through `acl verify` against an
 * in-process Aedes whose authorizePublish/authorizeSubscribe answer from a hand-written truth table:
 * for every identity, the exact test topics it may publish and subscribe to, worked out by reading
 * the rules top to bottom (first match wins). The table shares no code with the evaluator, so a
 * wrong model shows up as a disagreement (the last test makes sure it does).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { loadAclSetup } from '../src/acl/load.js';
import { verifyAcl, type VerifyIdentity } from '../src/acl/verify.js';
import { makeEndpoint } from '../src/core/targets.js';
import type { Decision } from '../src/acl/model.js';

const ACL = `%% EMQX-style rules
{allow, {username, "alice"}, publish, ["plant/+/door"]}.
{deny, {username, "alice"}, publish, ["plant/secret/door"]}.
{allow, {username, "alice"}, subscribe, ["plant/#"]}.
{deny, all, subscribe, [{eq, "#"}]}.
{allow, all, all, ["devices/\${clientid}/#"]}.
{allow, {clientid, "sensor7"}, publish, ["sensors/sensor7/#"]}.
{allow, {username, "admin"}, all, ["#"]}.
{deny, all}.
`;

const IDS: VerifyIdentity[] = [
  { name: 'anon', clientId: 'anon-c' },
  { name: 'alice', username: 'alice', password: 'x', clientId: 'alice-c' },
  { name: 'sensor7', username: 'sensor7', password: 'x', clientId: 'sensor7' },
  { name: 'admin', username: 'admin', password: 'x', clientId: 'admin-c' },
];
const TOPICS = ['plant/7/door', 'plant/secret/door', 'sensors/sensor7/t', 'admin/x', 'devices/alice-c/x', 'devices/sensor7/x', 'devices/admin-c/x', 'devices/anon-c/x'];

/** The oracle: what each client may do, by client id, worked out by hand from the rules above. */
const TABLE: Record<string, { publish: string[]; subscribe: string[] }> = {
  // only line 6 (its own devices/ subtree), then {deny, all}
  'anon-c': { publish: ['devices/anon-c/x'], subscribe: ['devices/anon-c/x'] },
  // line 2 covers plant/secret/door before the deny on line 3 is reached; line 4 lets it subscribe to plant/#
  'alice-c': { publish: ['plant/7/door', 'plant/secret/door', 'devices/alice-c/x'], subscribe: ['plant/7/door', 'plant/secret/door', 'devices/alice-c/x'] },
  // line 6 and line 7 (by client id)
  sensor7: { publish: ['sensors/sensor7/t', 'devices/sensor7/x'], subscribe: ['devices/sensor7/x'] },
  // line 8: everything
  'admin-c': { publish: TOPICS, subscribe: TOPICS },
};

describe('EMQX-style acl.conf against an Aedes truth table', { timeout: 60_000 }, () => {
  let broker: AedesBroker;
  let dir: string;
  let aclPath: string;
  before(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'mw-acl-emqx-'));
    aclPath = join(dir, 'acl.conf');
    writeFileSync(aclPath, ACL);
    broker = await startAedes({
      aedesOptions: {
        authorizePublish: (client, packet, done) => done(client && TABLE[client.id]?.publish.includes(packet.topic) ? null : new Error('not in the table')),
        authorizeSubscribe: (client, sub, done) => done(null, client && TABLE[client.id]?.subscribe.includes(sub.topic) ? sub : null),
      },
    });
  });
  after(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = async (tamper?: (d: Decision, id: { username?: string }, action: string, topic: string) => Decision) => {
    const { evaluators } = loadAclSetup({ emqxAcl: [aclPath] }, tamper ? { tamper } : {});
    return verifyAcl(makeEndpoint('mqtt', '127.0.0.1', broker.port, true), evaluators[0]!, IDS, TOPICS, { timeoutMs: 3000, maxSeconds: 50, settleMs: 300 });
  };

  it('the model and the table agree on every subscribe, publish and delivery', async () => {
    const r = await run();
    assert.deepEqual(r.disagreements, []);
    assert.equal(r.observations.length, IDS.length * TOPICS.length * 3);
    const observedWrites = r.observations.filter((o) => o.action === 'write' && o.observed !== undefined);
    assert.equal(observedWrites.length, IDS.length * TOPICS.length, 'every publish was observed (refusal = the connection closed)');
    const subs = r.observations.filter((o) => o.action === 'subscribe');
    assert.deepEqual(subs.filter((o) => o.observed).length, Object.values(TABLE).reduce((n, t) => n + t.subscribe.length, 0));
  });

  it('the deciding rules: first match wins, the shadowed deny never decides', () => {
    const { evaluators } = loadAclSetup({ emqxAcl: [aclPath] });
    const e = evaluators[0]!;
    const d = e.evaluate({ username: 'alice', clientId: 'alice-c' }, 'write', 'plant/secret/door');
    assert.equal(d.allowed, true);
    assert.equal(d.rule?.loc.line, 2);
    const s = e.evaluate({ username: 'alice', clientId: 'alice-c' }, 'subscribe', '#');
    assert.equal(s.allowed, false);
    assert.equal(s.rule?.loc.line, 5);
  });

  it('a flipped decision in the model is reported as a disagreement', async () => {
    const r = await run((d, id, action, topic) => (id.username === 'alice' && action === 'subscribe' && topic === 'plant/7/door' ? { ...d, allowed: !d.allowed } : d));
    assert.deepEqual(
      r.disagreements.map((o) => [o.identity, o.action, o.topic, o.observed]),
      [['alice', 'subscribe', 'plant/7/door', true]],
    );
  });
});
