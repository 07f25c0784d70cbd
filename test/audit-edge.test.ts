/**
 * Edge cases a reviewer reproduced: races of the canary with tiny windows,
 * sessions cut mid-window, refusal codes that are not about authentication,
 * failing port scans, mutual TLS, and credentials that belong to one endpoint.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { scriptedBroker, type HostileServer } from './helpers/hostile.js';
import { startMosquitto, mosquittoSkipReason, type MosquittoBroker } from './helpers/mosquitto.js';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { audit, result } from './helpers/audit.js';
import { runAudit } from '../src/core/engine.js';
import { CATALOGUE } from '../src/checks/index.js';
import { auditOptions } from './helpers/audit.js';
import { parseTarget } from '../src/core/targets.js';
import { readFileSync } from 'node:fs';

const skip = mosquittoSkipReason();

describe('canary timing', { skip }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
  });
  after(() => broker?.stop());

  test('a zero window still waits for the canary after its PUBACK: an open broker is never "filtered"', async () => {
    for (let i = 0; i < 5; i++) {
      const report = await audit([broker.ports[0]!.url], { windowMs: 0 });
      const w = result(report, 'ACC-002');
      assert.equal(w.status, 'FAIL', `run ${i}: ${w.message}`);
      assert.equal(w.evidence.access, 'unrestricted');
    }
  });
});

describe('fake brokers', () => {
  const servers: Record<string, HostileServer> = {};
  before(async () => {
    // Accepts, grants every SUBACK, then answers any PUBLISH with bytes that are not MQTT.
    servers.cut = await scriptedBroker((p, reply) => {
      if (p.cmd === 'connect') reply.packet({ cmd: 'connack', returnCode: 0, reasonCode: 0, sessionPresent: false });
      else if (p.cmd === 'subscribe') reply.packet({ cmd: 'suback', messageId: p.messageId, granted: p.subscriptions.map(() => 0) });
      else if (p.cmd === 'publish') reply.raw(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x00]));
    });
    // Answers every CONNECT with "server busy" (0x89 in MQTT 5, 3 in 3.1.1).
    servers.busy = await scriptedBroker((p, reply) => {
      if (p.cmd === 'connect') reply.packet({ cmd: 'connack', returnCode: 3, reasonCode: 0x89, sessionPresent: false });
    });
  });
  after(() => Promise.all(Object.values(servers).map((s) => s.stop())));

  test('a session cut mid-window is ERROR, never PASS by absence', async () => {
    const report = await audit([`mqtt://127.0.0.1:${servers.cut!.port}`], { timeoutMs: 500 });
    for (const id of ['UPD-001', 'ACC-002', 'ACC-003', 'ACC-004', 'ACC-006']) {
      const r = result(report, id);
      assert.equal(r.status, 'ERROR', `${id}: ${r.status} ${r.message}`);
    }
    assert.match(result(report, 'ACC-002').message, /malformed/);
  });

  test('"server busy" is no authentication refusal: ACC-001 is inconclusive, not PASS', async () => {
    const report = await audit([`mqtt://127.0.0.1:${servers.busy!.port}`]);
    const r = result(report, 'ACC-001');
    assert.equal(r.status, 'SKIP', r.message);
    assert.match(r.message, /server busy/);
  });

  test('--intrusive against "server busy": no PASS for guessing or for the login test', async () => {
    const report = await audit([`mqtt://127.0.0.1:${servers.busy!.port}`], {
      intrusive: true,
      credentials: { username: 'x', password: 'y' },
      limits: { maxAttempts: 6, maxSeconds: 5, rate: 50, loginAttempts: 6 },
    });
    assert.equal(result(report, 'ACC-007').status, 'SKIP');
    assert.equal(result(report, 'ACC-008').status, 'SKIP');
  });
});

test('a port scan that could not resolve the host is ERROR, not "nothing answers"', async () => {
  const report = await audit(['mqtt://does-not-exist.invalid:1883'], { scanPorts: [1883, 18083], timeoutMs: 1000 });
  const r = result(report, 'SVC-001');
  assert.equal(r.status, 'ERROR');
  assert.match(r.message, /ENOTFOUND|EAI_AGAIN/);
});

describe('mutual TLS', { skip }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({
      listeners: [{ kind: 'mqtts' }],
      allowAnonymous: false,
      tls: { requireCertificate: true, useIdentityAsUsername: true },
    });
  });
  after(() => broker?.stop());

  test('the client certificate is the identity; the anonymous probe presents none', async () => {
    const pki = broker.pki!;
    const report = await audit([broker.ports[0]!.url], {
      tls: { ca: readFileSync(pki.caCert), cert: readFileSync(pki.clientCert), key: readFileSync(pki.clientKey) },
    });
    const anon = result(report, 'ACC-001');
    assert.notEqual(anon.status, 'FAIL', `a certificate-authenticated session was counted as anonymous: ${anon.message}`);
    assert.equal(anon.status, 'PASS', anon.message);
    const w = result(report, 'ACC-002');
    assert.match(String(w.evidence.identity), /^client certificate CN=/);
    assert.equal(w.status, 'FAIL', 'no ACL: the certificate identity reads everything');
    assert.equal(report.options.identity, 'client certificate');
  });
});

describe('credentials written in a target URL', () => {
  let spy: AedesBroker;
  let owner: AedesBroker;
  const seen: { port: number; username?: string; password?: string }[] = [];
  before(async () => {
    const capture = (port: () => number) => ({
      authenticate: (_c: unknown, username: string | undefined, password: Buffer | undefined, done: (e: Error | null, ok: boolean) => void) => {
        seen.push({ port: port(), ...(username !== undefined ? { username } : {}), ...(password ? { password: password.toString() } : {}) });
        done(null, true);
      },
    });
    spy = await startAedes({ aedesOptions: capture(() => spy.port) as never });
    owner = await startAedes({ aedesOptions: capture(() => owner.port) as never });
  });
  after(() => Promise.all([spy?.stop(), owner?.stop()]));

  test('are sent to their own endpoint only', async () => {
    const withCreds = parseTarget(`mqtt://alice:Alice-Secret@127.0.0.1:${owner.port}`);
    const opts = auditOptions([spy.url], { windowMs: 200 });
    opts.endpoints.push(withCreds.endpoint);
    opts.endpointCredentials = { [withCreds.endpoint.uri]: { username: 'alice', password: 'Alice-Secret' } };
    await runAudit(opts, CATALOGUE);
    assert.ok(seen.some((s) => s.port === owner.port && s.password === 'Alice-Secret'), 'the owner endpoint got its credentials');
    assert.ok(!seen.some((s) => s.port === spy.port && (s.username === 'alice' || s.password === 'Alice-Secret')), 'another endpoint got them');
  });
});
