/**
 * The dynamic security evaluator against a real Mosquitto 2.0 running the dynamic security plugin:
 * role and group priorities, a deny role above an allow role, allowwildcardsubs, subscribeLiteral and
 * subscribePattern, %c (matched literally by 2.0), defaultACLAccess, the anonymous group and a disabled client — every answer
 * of `acl verify` must agree with the broker.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { mosquittoPath, mosquittoSkipReason } from './helpers/mosquitto.js';
import { reservePorts, waitForPort } from './helpers/ports.js';
import { loadAclSetup } from '../src/acl/load.js';
import { verifyAcl, type VerifyIdentity, type VerifyResult } from '../src/acl/verify.js';
import { makeEndpoint } from '../src/core/targets.js';

const PLUGIN = ['/usr/lib/x86_64-linux-gnu/mosquitto_dynamic_security.so', '/usr/lib/mosquitto_dynamic_security.so', '/usr/local/lib/mosquitto_dynamic_security.so'].find((p) => existsSync(p));

/** A 2.0 dynsec client password: PBKDF2-SHA512, 12-byte salt (what the plugin reads). */
function pw(password: string) {
  const salt = randomBytes(12);
  const iterations = 101;
  return { password: pbkdf2Sync(password, salt, iterations, 64, 'sha512').toString('base64'), salt: salt.toString('base64'), iterations };
}

const DYNSEC = {
  defaultACLAccess: { publishClientSend: false, publishClientReceive: true, subscribe: false, unsubscribe: true },
  clients: [
    { username: 'alice', roles: [{ rolename: 'plant', priority: 1 }, { rolename: 'no-secret', priority: 5 }], ...pw('alice-pw') },
    { username: 'sensor7', roles: [{ rolename: 'device' }], ...pw('sensor7-pw') },
    { username: 'eve', disabled: true, roles: [{ rolename: 'plant' }], ...pw('eve-pw') },
  ],
  groups: [
    { groupname: 'anon', roles: [{ rolename: 'public' }], clients: [] },
    { groupname: 'ops', roles: [{ rolename: 'ops' }], clients: [{ username: 'sensor7' }] },
  ],
  roles: [
    { rolename: 'plant', acls: [{ acltype: 'publishClientSend', topic: 'plant/+/door', allow: true }, { acltype: 'subscribePattern', topic: 'plant/#', allow: true }] },
    { rolename: 'no-secret', acls: [{ acltype: 'publishClientSend', topic: 'plant/secret/door', allow: false }, { acltype: 'publishClientReceive', topic: 'plant/secret/door', allow: false }, { acltype: 'subscribeLiteral', topic: 'plant/secret/door', allow: false }] },
    {
      rolename: 'device',
      allowwildcardsubs: false,
      acls: [
        { acltype: 'publishClientSend', topic: 'devices/%c/#', allow: true },
        { acltype: 'subscribePattern', topic: 'devices/%c/#', allow: true },
        { acltype: 'publishClientReceive', topic: 'plant/+/door', allow: false, priority: 3 },
      ],
    },
    { rolename: 'ops', acls: [{ acltype: 'publishClientSend', topic: 'ops/#', allow: true }, { acltype: 'subscribePattern', topic: 'ops/#', allow: true }] },
    { rolename: 'public', acls: [{ acltype: 'subscribePattern', topic: 'public/#', allow: true }, { acltype: 'publishClientSend', topic: 'public/anon', allow: true }, { acltype: 'subscribeLiteral', topic: 'plant/7/door', allow: true }] },
  ],
  anonymousGroup: 'anon',
};

const IDS: VerifyIdentity[] = [
  { name: 'anon', clientId: 'anon-c' },
  { name: 'alice', username: 'alice', password: 'alice-pw', clientId: 'alice-c' },
  { name: 'sensor7', username: 'sensor7', password: 'sensor7-pw', clientId: 'sensor7' },
  { name: 'eve', username: 'eve', password: 'eve-pw', clientId: 'eve-c' },
];
const TOPICS = ['plant/7/door', 'plant/secret/door', 'devices/sensor7/state', 'devices/alice-c/state', 'ops/x', 'public/anon', 'public/news', '$CONTROL/dynamic-security/v1'];

const skip = mosquittoSkipReason() || (PLUGIN ? false : 'the Mosquitto dynamic security plugin is not installed');

describe('acl against Mosquitto 2.0 with the dynamic security plugin', { skip, timeout: 60_000 }, () => {
  let dir: string;
  let proc: ChildProcess | undefined;
  let port: number;
  let live: VerifyResult;
  let dynsecPath: string;
  before(async () => {
    dir = mkdtempSync(join(os.tmpdir(), 'mw-acl-dynsec-'));
    // Started as root, Mosquitto drops to its own user, which must be able to read the plugin's file.
    chmodSync(dir, 0o755);
    dynsecPath = join(dir, 'dynamic-security.json');
    writeFileSync(dynsecPath, JSON.stringify(DYNSEC, null, 2), { mode: 0o644 });
    const r = await reservePorts(1);
    port = r.ports[0]!;
    await r.release();
    const conf = join(dir, 'mosquitto.conf');
    writeFileSync(conf, `listener ${port} 127.0.0.1\nallow_anonymous true\nplugin ${PLUGIN}\nplugin_opt_config_file ${dynsecPath}\n`);
    proc = spawn(mosquittoPath()!, ['-c', conf], { stdio: 'ignore' });
    await waitForPort('127.0.0.1', port, 5000);
    const { evaluators } = loadAclSetup({ mosquittoConf: [conf] });
    assert.equal(evaluators.length, 1, 'the dynamic security file is found through plugin_opt_config_file');
    live = await verifyAcl(makeEndpoint('mqtt', '127.0.0.1', port!, true), evaluators[0]!, IDS, TOPICS, { timeoutMs: 3000, maxSeconds: 50, settleMs: 400 });
  });
  after(() => {
    proc?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every observed answer agrees with the model', () => {
    assert.deepEqual(live.disagreements, []);
    const observed = live.observations.filter((o) => o.observed !== undefined).length;
    assert.ok(observed >= IDS.length * TOPICS.length * 2, `${observed} observed answers`);
  });

  it('the deciding rules are the ones the plugin uses', () => {
    const e = loadAclSetup({ dynsec: [dynsecPath] }).evaluators[0]!;
    const secret = e.evaluate({ username: 'alice', clientId: 'alice-c' }, 'write', 'plant/secret/door');
    assert.equal(secret.allowed, false, 'the higher-priority role decides first');
    assert.match(secret.rule!.text, /role no-secret: publishClientSend plant\/secret\/door deny/);
    assert.ok(secret.rule!.loc.line > 1, 'the ACL has its line in the JSON file');
    const wild = e.evaluate({ username: 'sensor7', clientId: 'sensor7' }, 'subscribe', 'devices/sensor7/#');
    assert.equal(wild.allowed, false);
    assert.match(wild.rule!.text, /allowwildcardsubs false/);
    const ops = e.evaluate({ username: 'sensor7', clientId: 'sensor7' }, 'write', 'ops/x');
    assert.equal(ops.allowed, true, 'through the group');
    const own = e.evaluate({ username: 'sensor7', clientId: 'sensor7' }, 'write', 'devices/sensor7/state');
    assert.equal(own.allowed, false, '%c is a literal level in 2.0 dynamic security ACLs');
    const ctl = e.evaluate({}, 'read', '$CONTROL/dynamic-security/v1');
    assert.equal(ctl.allowed, false);
    assert.match(ctl.fallback!, /\$CONTROL/);
    const eve = e.evaluate({ username: 'eve' }, 'write', 'plant/7/door');
    assert.equal(eve.cannotConnect, true);
    const o = live.observations.find((x) => x.identity === 'anon' && x.action === 'subscribe' && x.topic === 'plant/7/door');
    assert.equal(o?.observed, true, 'subscribeLiteral of the anonymous group');
  });
});
