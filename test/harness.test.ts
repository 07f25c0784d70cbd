/**
 * Proves the integration-test harness works: real Mosquitto brokers, an
 * in-process Aedes broker and hostile TCP servers, all on loopback.
 *
 * Run: node --import tsx --test test/harness.test.ts
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect, type IClientOptions, type IConnackPacket, type MqttClient, type Packet } from 'mqtt';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { GARBAGE_PREFIX, closingServer, garbageServer, silentServer } from './helpers/hostile.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { freePort, waitForPort } from './helpers/ports.js';

const T = { timeout: 10_000 };

type ConnectResult =
  | { ok: true; client: MqttClient; connack: IConnackPacket }
  | { ok: false; connack?: IConnackPacket; error?: Error; closed: boolean };

/** Connect once (no reconnect) and report the CONNACK or why there was none. */
function tryConnect(url: string, opts: IClientOptions = {}, timeoutMs = 3000): Promise<ConnectResult> {
  return new Promise((resolve) => {
    const client = connect(url, { reconnectPeriod: 0, connectTimeout: timeoutMs, protocolVersion: 4, ...opts });
    let connack: IConnackPacket | undefined;
    let closed = false;
    let settled = false;
    const finish = (r: ConnectResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (!r.ok) client.end(true);
      resolve(r);
    };
    const timer = setTimeout(() => finish({ ok: false, error: new Error('timeout'), closed }), timeoutMs + 500);
    client.on('packetreceive', (p: Packet) => {
      if (p.cmd === 'connack') connack = p;
    });
    client.once('connect', (p) => finish({ ok: true, client, connack: p }));
    client.on('error', (error) => finish({ ok: false, connack, error, closed }));
    client.on('close', () => {
      closed = true;
      // give a pending 'error' (refused CONNACK) the chance to win
      setTimeout(() => finish({ ok: false, connack, closed }), 50);
    });
  });
}

async function mustConnect(url: string, opts: IClientOptions = {}): Promise<MqttClient> {
  const r = await tryConnect(url, opts);
  if (!r.ok) {
    throw new Error(`connect to ${url} failed: ${r.error?.message ?? 'closed'} (connack ${JSON.stringify(r.connack)})`);
  }
  return r.client;
}

/** Subscribe on one client, publish on another, resolve with the payload received. */
async function roundTrip(sub: MqttClient, pub: MqttClient, topic: string, payload: string): Promise<string> {
  await sub.subscribeAsync(topic, { qos: 1 });
  const got = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no message on ${topic} within 2 s`)), 2000);
    sub.on('message', (t, msg) => {
      if (t === topic) {
        clearTimeout(timer);
        resolve(msg.toString());
      }
    });
  });
  await pub.publishAsync(topic, payload, { qos: 1 });
  return got;
}

function connackCode(r: ConnectResult): number | undefined {
  return r.ok ? r.connack.returnCode : (r.connack?.returnCode ?? r.connack?.reasonCode);
}

describe('ports helpers', () => {
  it('freePort returns a bindable port and waitForPort sees a listener', T, async () => {
    const port = await freePort();
    assert.ok(port > 0 && port < 65536);
    const srv = net.createServer();
    await new Promise<void>((r) => srv.listen(port, '127.0.0.1', r));
    try {
      await waitForPort('127.0.0.1', port, 1000);
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });

  it('waitForPort rejects with a clear error when nothing listens', T, async () => {
    const port = await freePort();
    const started = Date.now();
    await assert.rejects(waitForPort('127.0.0.1', port, 200), /nothing accepted TCP connections on 127\.0\.0\.1:\d+ within 200 ms/);
    assert.ok(Date.now() - started < 2000);
  });
});

describe('mosquitto harness', { skip: mosquittoSkipReason() }, () => {
  describe('anonymous mqtt listener', () => {
    let broker: MosquittoBroker;
    const clients: MqttClient[] = [];
    before(async () => {
      broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
    }, T);
    after(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker?.stop();
    }, T);

    it('accepts an anonymous client and round-trips a publish', T, async () => {
      const l = broker.ports[0];
      assert.ok(l);
      assert.match(l.url, /^mqtt:\/\/127\.0\.0\.1:\d+$/);
      const sub = await mustConnect(l.url, { clientId: 'h-sub' });
      const pub = await mustConnect(l.url, { clientId: 'h-pub' });
      clients.push(sub, pub);
      assert.equal(await roundTrip(sub, pub, 'harness/anon', 'hello'), 'hello');
      const log = await broker.waitForLog('New client connected');
      assert.match(log, /h-sub/);
    });
  });

  describe('password file + ACL', () => {
    let broker: MosquittoBroker;
    const clients: MqttClient[] = [];
    before(async () => {
      broker = await startMosquitto({
        listeners: [{ kind: 'mqtt' }],
        allowAnonymous: false,
        users: { alice: 'alice-pw', bob: 'bob-pw' },
        acl: 'user alice\ntopic readwrite sensors/#\n\nuser bob\ntopic read sensors/#\n',
      });
    }, T);
    after(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker?.stop();
    }, T);

    it('refuses anonymous clients with CONNACK 5 (not authorised)', T, async () => {
      const r = await tryConnect(broker.ports[0]?.url ?? '');
      assert.equal(r.ok, false);
      assert.equal(connackCode(r), 5);
    });

    it('refuses a wrong password', T, async () => {
      const r = await tryConnect(broker.ports[0]?.url ?? '', { username: 'alice', password: 'nope' });
      assert.equal(r.ok, false);
      assert.equal(connackCode(r), 5);
    });

    it('accepts configured users and enforces the ACL', T, async () => {
      const url = broker.ports[0]?.url ?? '';
      const alice = await mustConnect(url, { username: 'alice', password: 'alice-pw', clientId: 'alice' });
      const bob = await mustConnect(url, { username: 'bob', password: 'bob-pw', clientId: 'bob' });
      clients.push(alice, bob);
      assert.equal(await roundTrip(bob, alice, 'sensors/t1', '21.5'), '21.5');
      // bob may only read: his publish is silently dropped by mosquitto (3.1.1 has no error code)
      const seen: string[] = [];
      alice.on('message', (t) => seen.push(t));
      await alice.subscribeAsync('sensors/#', { qos: 1 });
      await bob.publishAsync('sensors/from-bob', 'x', { qos: 1 });
      await alice.publishAsync('sensors/from-alice', 'y', { qos: 1 });
      await new Promise((r) => setTimeout(r, 200));
      assert.ok(seen.includes('sensors/from-alice'));
      assert.ok(!seen.includes('sensors/from-bob'), 'ACL should have dropped bob\'s publish');
    });
  });

  describe('TLS listeners (mqtts + wss) with the generated CA', () => {
    let broker: MosquittoBroker;
    const clients: MqttClient[] = [];
    before(async () => {
      broker = await startMosquitto({ listeners: [{ kind: 'mqtts' }, { kind: 'wss' }], allowAnonymous: true });
    }, T);
    after(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker?.stop();
    }, T);

    it('mqtts accepts a client that trusts the CA, and a client without the CA fails verification', T, async () => {
      assert.ok(broker.pki);
      const l = broker.ports.find((p) => p.kind === 'mqtts');
      assert.ok(l);
      assert.match(l.url, /^mqtts:\/\/127\.0\.0\.1:\d+$/);
      const ca = readFileSync(broker.pki.caCert);
      const a = await mustConnect(l.url, { ca, clientId: 'tls-a' });
      const b = await mustConnect(l.url, { ca, clientId: 'tls-b' });
      clients.push(a, b);
      assert.equal(await roundTrip(a, b, 'tls/x', 'secure'), 'secure');
      const untrusted = await tryConnect(l.url, { rejectUnauthorized: true });
      assert.equal(untrusted.ok, false);
      assert.match(untrusted.error?.message ?? '', /self[- ]signed|unable to (get|verify)|certificate/i);
    });

    it('wss works on mosquitto', T, async () => {
      assert.ok(broker.pki);
      const l = broker.ports.find((p) => p.kind === 'wss');
      assert.ok(l);
      assert.match(l.url, /^wss:\/\/127\.0\.0\.1:\d+\/mqtt$/);
      const ca = readFileSync(broker.pki.caCert);
      const a = await mustConnect(l.url, { ca, clientId: 'wss-a' });
      const m = broker.ports.find((p) => p.kind === 'mqtts');
      assert.ok(m);
      const b = await mustConnect(m.url, { ca, clientId: 'wss-b' });
      clients.push(a, b);
      assert.equal(await roundTrip(a, b, 'wss/x', 'over-ws'), 'over-ws');
    });
  });

  describe('websockets-only config', () => {
    let broker: MosquittoBroker;
    const clients: MqttClient[] = [];
    before(async () => {
      broker = await startMosquitto({ listeners: [{ kind: 'ws' }], allowAnonymous: true });
    }, T);
    after(async () => {
      await Promise.all(clients.map((c) => c.endAsync(true)));
      await broker?.stop();
    }, T);

    it('starts (auxiliary MQTT listener added) and serves MQTT over ws', T, async () => {
      assert.equal(broker.ports.length, 1);
      assert.ok(broker.auxPort, 'ws-only config needs the auxiliary listener on 2.0.x');
      const url = broker.ports[0]?.url ?? '';
      assert.match(url, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
      const a = await mustConnect(url, { clientId: 'ws-a' });
      const b = await mustConnect(url, { clientId: 'ws-b' });
      clients.push(a, b);
      assert.equal(await roundTrip(a, b, 'ws/x', 'plain-ws'), 'plain-ws');
    });
  });

  it('stop() ends the process and removes the temp dir', T, async () => {
    const b = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
    const port = b.ports[0]?.port ?? 0;
    await b.stop();
    assert.throws(() => process.kill(b.pid, 0));
    assert.throws(() => readFileSync(b.confPath));
    await assert.rejects(waitForPort('127.0.0.1', port, 100));
  });

  it('startup failure reports the mosquitto log', T, async () => {
    await assert.rejects(
      startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true, extraConfig: 'this_is_not_an_option 1' }),
      (err: Error) => /startMosquitto failed/.test(err.message) && /this_is_not_an_option/.test(err.message),
    );
  });
});

describe('aedes harness', () => {
  let broker: AedesBroker;
  const clients: MqttClient[] = [];
  before(async () => {
    broker = await startAedes({ users: { carol: 'carol-pw' }, ws: true, denySubscribe: (t) => t.startsWith('secret/') });
  }, T);
  after(async () => {
    await Promise.all(clients.map((c) => c.endAsync(true)));
    await broker?.stop();
  }, T);

  it('refuses anonymous (CONNACK 5) and a wrong password (CONNACK 4)', T, async () => {
    const anon = await tryConnect(broker.url);
    assert.equal(anon.ok, false);
    assert.equal(connackCode(anon), 5);
    const bad = await tryConnect(broker.url, { username: 'carol', password: 'wrong' });
    assert.equal(bad.ok, false);
    assert.equal(connackCode(bad), 4);
  });

  it('accepts the configured user over TCP and ws, and round-trips between them', T, async () => {
    assert.ok(broker.wsUrl);
    assert.match(broker.wsUrl, /^ws:\/\/127\.0\.0\.1:\d+\/mqtt$/);
    const wsAnon = await tryConnect(broker.wsUrl);
    assert.equal(wsAnon.ok, false);
    assert.equal(connackCode(wsAnon), 5);
    const tcp = await mustConnect(broker.url, { username: 'carol', password: 'carol-pw', clientId: 'carol-tcp' });
    const ws = await mustConnect(broker.wsUrl, { username: 'carol', password: 'carol-pw', clientId: 'carol-ws' });
    clients.push(tcp, ws);
    assert.equal(await roundTrip(ws, tcp, 'aedes/x', 'from-tcp'), 'from-tcp');
  });

  it('denySubscribe answers SUBACK 128 and keeps the connection', T, async () => {
    const c = await mustConnect(broker.url, { username: 'carol', password: 'carol-pw', clientId: 'carol-deny' });
    clients.push(c);
    const err = await c.subscribeAsync('secret/x', { qos: 0 }).then(
      () => undefined,
      (e: Error & { packet?: { granted?: number[] } }) => e,
    );
    assert.ok(err, 'subscription should have been refused');
    assert.deepEqual(err.packet?.granted, [128]);
    const ok = await c.subscribeAsync('public/x', { qos: 1 });
    assert.equal(ok[0]?.qos, 1);
    assert.equal(c.connected, true);
  });
});

describe('hostile servers', () => {
  it('closingServer closes the connection at once', T, async () => {
    const srv = await closingServer();
    try {
      const sock = net.connect(srv.port, '127.0.0.1');
      sock.on('error', () => undefined);
      const started = Date.now();
      let bytes = 0;
      sock.on('data', (d: Buffer) => (bytes += d.length));
      await new Promise((r) => sock.once('close', r));
      assert.ok(Date.now() - started < 1000);
      assert.equal(bytes, 0);
      const r = await tryConnect(`mqtt://127.0.0.1:${srv.port}`, {}, 1000);
      assert.equal(r.ok, false);
      assert.equal(r.connack, undefined);
      assert.equal(srv.connections(), 2);
    } finally {
      await srv.stop();
    }
  });

  it('garbageServer sends garbage on connect and on data, never a CONNACK', T, async () => {
    const srv = await garbageServer();
    try {
      const sock = net.connect(srv.port, '127.0.0.1');
      sock.on('error', () => undefined);
      const chunks: Buffer[] = [];
      sock.on('data', (d: Buffer) => chunks.push(d));
      await new Promise<void>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error('no garbage within 1 s')), 1000);
        sock.once('data', () => {
          clearTimeout(t);
          resolve();
        });
      });
      const before1 = Buffer.concat(chunks).length;
      sock.write(Buffer.from([0x10, 0x00]));
      await new Promise((r) => setTimeout(r, 100));
      const all = Buffer.concat(chunks);
      assert.ok(all.length > before1, 'data should be answered with more garbage');
      assert.deepEqual(all.subarray(0, GARBAGE_PREFIX.length), GARBAGE_PREFIX);
      sock.destroy();

      const r = await tryConnect(`mqtt://127.0.0.1:${srv.port}`, {}, 1000);
      assert.equal(r.ok, false);
      assert.equal(r.connack, undefined);
    } finally {
      await srv.stop();
    }
  });

  it('silentServer never answers or closes, and stop() destroys its sockets', T, async () => {
    const srv = await silentServer();
    const sock = net.connect(srv.port, '127.0.0.1');
    sock.on('error', () => undefined);
    let bytes = 0;
    let closed = false;
    sock.on('data', (d: Buffer) => (bytes += d.length));
    const closedP = new Promise<void>((r) => sock.once('close', () => {
      closed = true;
      r();
    }));
    try {
      await new Promise((r) => sock.once('connect', r));
      sock.write(Buffer.from([0x10, 0x0c, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x00]));
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(bytes, 0);
      assert.equal(closed, false);
    } finally {
      await srv.stop();
    }
    await closedP;
    assert.equal(closed, true);
  });
});
