/** Hostile and unreachable endpoints, and the in-process Aedes broker. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  closingServer,
  connackThenSilentServer,
  floodServer,
  garbageServer,
  hugePacketServer,
  silentServer,
  type HostileServer,
} from './helpers/hostile.js';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { freePort } from './helpers/ports.js';
import { audit, result } from './helpers/audit.js';

describe('hostile peers end in ERROR results within the timeouts', () => {
  const servers: HostileServer[] = [];
  before(async () => {
    servers.push(await garbageServer(), await silentServer(), await closingServer());
  });
  after(() => Promise.all(servers.map((s) => s.stop())));

  test('garbage, silence and early close: every endpoint check is ERROR, nothing crashes or hangs', async () => {
    const [garbage, silent, closing] = servers.map((s) => `mqtt://127.0.0.1:${s.port}`);
    const report = await audit([garbage!, silent!, closing!], { timeoutMs: 400, targetTimeoutMs: 4000 });
    const endpointChecks = ['ACC-001', 'ACC-002', 'ACC-004', 'ACC-005', 'ACC-006', 'UPD-001'];
    for (const url of [garbage!, silent!, closing!]) {
      for (const id of endpointChecks) assert.equal(result(report, id, url).status, 'ERROR', `${id} ${url}`);
    }
    assert.match(result(report, 'ACC-001', garbage!).message, /malformed|does not answer MQTT/);
    assert.match(result(report, 'ACC-001', silent!).message, /no CONNACK within 400 ms/);
    assert.match(result(report, 'ACC-001', closing!).message, /closed by the peer/);
    // SVC-002 cannot judge a host whose endpoints all failed.
    assert.equal(result(report, 'SVC-002', '127.0.0.1').status, 'SKIP');
    assert.ok(report.durationMs < 8000, `audit took ${report.durationMs} ms`);
  });

  test('a closed port and an unresolvable name are ERROR naming the cause', async () => {
    const closed = `mqtt://127.0.0.1:${await freePort()}`;
    const report = await audit([closed, 'mqtt://does-not-exist.invalid:1883'], { timeoutMs: 1000 });
    assert.match(result(report, 'ACC-001', closed).message, /ECONNREFUSED/);
    assert.match(result(report, 'ACC-001', 'mqtt://does-not-exist.invalid:1883').message, /ENOTFOUND|EAI_AGAIN/);
  });

  test('the per-target deadline cuts a probe whose operation timeout is longer', async () => {
    const silent = `mqtt://127.0.0.1:${servers[1]!.port}`;
    const report = await audit([silent], { timeoutMs: 60_000, targetTimeoutMs: 700 });
    assert.equal(result(report, 'ACC-001').status, 'ERROR');
    assert.match(result(report, 'ACC-001').message, /deadline/);
    assert.ok(report.durationMs < 5000, `audit took ${report.durationMs} ms`);
  });

  test('IPv6 loopback targets keep valid URIs', async () => {
    const closed = `mqtt://[::1]:${await freePort()}`;
    const report = await audit([closed], { timeoutMs: 500 });
    assert.equal(result(report, 'SVC-002', '::1').location.uri, 'tcp://[::1]');
    assert.equal(result(report, 'ACC-001', closed).status, 'ERROR');
  });

  test('TLS handshake against a plaintext peer is an ERROR', async () => {
    const report = await audit([`mqtts://127.0.0.1:${servers[0]!.port}`], { timeoutMs: 500 });
    assert.equal(result(report, 'ACC-001').status, 'ERROR');
  });
});

describe('peers that start like a broker and then misbehave', () => {
  const servers: Record<string, HostileServer> = {};
  before(async () => {
    servers.mute = await connackThenSilentServer();
    servers.flood = await floodServer();
    servers.huge = await hugePacketServer();
  });
  after(() => Promise.all(Object.values(servers).map((s) => s.stop())));

  test('CONNACK then silence: what was observed is judged, the rest is ERROR with the reason', async () => {
    const url = `mqtt://127.0.0.1:${servers.mute!.port}`;
    const report = await audit([url], { timeoutMs: 400 });
    assert.equal(result(report, 'ACC-001').status, 'FAIL', 'an accepted anonymous CONNACK is a real observation');
    const w = result(report, 'ACC-002');
    assert.equal(w.status, 'ERROR');
    assert.match(w.message, /no SUBACK within 400 ms/);
  });

  test('a deadline that strikes mid-session (while side probes run) ends in ERROR, with no stray rejection', async () => {
    const url = `mqtt://127.0.0.1:${servers.mute!.port}`;
    const report = await audit([url], { timeoutMs: 60_000, targetTimeoutMs: 700 });
    const r = result(report, 'ACC-002');
    assert.equal(r.status, 'ERROR');
    assert.match(r.message, /deadline/);
    // Give any leftover promise a chance to reject unobserved: the test runner would flag it.
    await new Promise((resolve) => setTimeout(resolve, 100));
  });

  test('a PUBLISH flood after CONNACK is bounded in memory and time', async () => {
    const url = `mqtt://127.0.0.1:${servers.flood!.port}`;
    const before = process.memoryUsage().rss;
    // The operation timeout is generous so that the byte cap, not a starved SUBACK wait on a
    // loaded machine (the flood runs in this process), is what ends the conversation.
    const report = await audit([url], { timeoutMs: 5000, windowMs: 1500, targetTimeoutMs: 20_000 });
    assert.ok(report.durationMs < 15_000, `audit took ${report.durationMs} ms`);
    assert.ok(process.memoryUsage().rss - before < 512 * 1024 * 1024, 'memory grew by more than 512 MB');
    const w = result(report, 'ACC-002');
    assert.equal(w.status, 'ERROR');
    assert.match(w.message, /more than \d+ bytes in one probe conversation/);
  });

  test('a CONNACK announcing 256 MB is refused after 1 MiB, as malformed', async () => {
    const url = `mqtt://127.0.0.1:${servers.huge!.port}`;
    const report = await audit([url], { timeoutMs: 5000, targetTimeoutMs: 10_000 });
    const r = result(report, 'ACC-001');
    assert.equal(r.status, 'ERROR');
    assert.match(r.message, /bytes without a CONNACK|does not answer MQTT/);
  });
});

describe('in-process Aedes broker', () => {
  let open: AedesBroker;
  let locked: AedesBroker;
  before(async () => {
    open = await startAedes({ ws: true });
    locked = await startAedes({ users: { dev: 'dev-Long-Secret' }, denySubscribe: (t) => t === '#' || t.startsWith('$SYS'), ws: true });
  });
  after(() => Promise.all([open?.stop(), locked?.stop()]));

  test('open Aedes over TCP and WebSocket: anonymous and wildcard FAIL (MQTT 3.1.1 fallback)', async () => {
    const report = await audit([open.url, open.wsUrl!]);
    for (const url of [open.url, open.wsUrl!]) {
      assert.equal(result(report, 'ACC-001', url).status, 'FAIL', url);
      const w = result(report, 'ACC-002', url);
      assert.equal(w.status, 'FAIL', `${url}: ${w.message}`);
    }
  });

  test('Aedes with users and a subscribe hook: anonymous PASS, # refused at SUBACK', async () => {
    const report = await audit([locked.url, locked.wsUrl!], { credentials: { username: 'dev', password: 'dev-Long-Secret' } });
    for (const url of [locked.url, locked.wsUrl!]) {
      assert.equal(result(report, 'ACC-001', url).status, 'PASS', url);
      const w = result(report, 'ACC-002', url);
      assert.equal(w.status, 'PASS', w.message);
      assert.equal(w.evidence.access, 'refused');
      assert.equal(result(report, 'ACC-003', url).status, 'PASS');
    }
  });
});
