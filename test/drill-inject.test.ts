/**
 * Every inject kind of src/drill/inject/ against a broker that resists it and one that does not: real
 * Mosquitto (Debian 2.0.x) and in-process Aedes on loopback, the lab's own legacy-TLS broker. Each run
 * goes through a test budget with caps, and the brokers count the connections they really saw, so an
 * inject that connects without drawing from the budget fails here.
 */
import { strict as assert } from 'node:assert';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { AedesOptions } from 'aedes';
import { z } from 'zod';
import { startAedes, type AedesBroker } from './helpers/aedes.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker, type MosquittoOptions } from './helpers/mosquitto.js';
import { freePort } from './helpers/ports.js';
import { INJECT_KINDS, injectKind } from '../src/drill/inject/index.js';
import type { DrillBudget, DrillTarget, InjectContext, InjectOutcome } from '../src/drill/model.js';
import { LAB_SCENARIOS } from '../src/lab/catalogue.js';
import { startBroker } from '../src/lab/brokers.js';
import { LabLog } from '../src/lab/log.js';
import { makeWeakCertificate } from '../src/lab/pki.js';

const skip = mosquittoSkipReason();

/** The caps a run gives an inject; refusals are final, like the real budget's. */
class TestBudget implements DrillBudget {
  readonly used = { connections: 0, failedLogins: 0 };
  refusals = 0;
  constructor(
    private readonly caps: { connections: number; failedLogins: number },
    private readonly signal?: AbortSignal,
  ) {}
  async connection(): Promise<boolean> {
    if (this.signal?.aborted || this.used.connections >= this.caps.connections) {
      this.refusals++;
      return false;
    }
    this.used.connections++;
    return true;
  }
  /** One failed login is one connection too (as the run's budget counts it). */
  async failedLogin(): Promise<boolean> {
    if (this.signal?.aborted || this.used.failedLogins >= this.caps.failedLogins || this.used.connections >= this.caps.connections) {
      this.refusals++;
      return false;
    }
    this.used.failedLogins++;
    this.used.connections++;
    return true;
  }
}

function targetOf(url: string): DrillTarget {
  const u = new URL(url);
  const scheme = u.protocol.replace(':', '') as DrillTarget['scheme'];
  return { url, scheme, host: u.hostname, port: Number(u.port), loopback: true };
}

interface Ctx extends InjectContext {
  budget: TestBudget;
  lines: string[];
  abort(): void;
}

function context(url: string, o: Partial<Omit<InjectContext, 'budget'>> & { caps?: { connections: number; failedLogins: number } } = {}): Ctx {
  const ac = new AbortController();
  const t0 = performance.now();
  const lines: string[] = [];
  return {
    target: targetOf(url),
    sources: [undefined],
    timeoutMs: 3000,
    now: () => performance.now() - t0,
    log: (text) => lines.push(text),
    ...o,
    signal: ac.signal,
    budget: new TestBudget(o.caps ?? { connections: 100, failedLogins: 100 }, ac.signal),
    lines,
    abort: () => ac.abort(),
  };
}

async function runKind(kind: string, params: Record<string, unknown>, ctx: Ctx): Promise<{ outcome: InjectOutcome; resisted: 'yes' | 'no' | 'unknown'; detail: string }> {
  const k = injectKind(kind);
  assert.ok(k, `inject kind ${kind} is registered`);
  const p = k.params.parse(params);
  const demand = k.demand(p);
  const outcome = await k.run(p, ctx);
  // Never more than the budget gave, never more than demand() announced, and the outcome counts what it drew.
  assert.ok(ctx.budget.used.connections <= demand.connections, `${kind}: used ${ctx.budget.used.connections} connections, demand said ${demand.connections}`);
  assert.ok(ctx.budget.used.failedLogins <= demand.failedLogins, `${kind}: used ${ctx.budget.used.failedLogins} failed logins, demand said ${demand.failedLogins}`);
  assert.equal(outcome.connections, ctx.budget.used.connections, `${kind}: the outcome counts the connections drawn`);
  assert.equal(outcome.failedLogins, ctx.budget.used.failedLogins, `${kind}: the outcome counts the failed logins drawn`);
  assert.ok(outcome.endedAt >= outcome.startedAt);
  // Journal lines never carry the known client's password.
  if (ctx.client?.password) assert.ok(!ctx.lines.join('\n').includes(ctx.client.password) && !JSON.stringify(outcome).includes(ctx.client.password), 'no password in the journal');
  const r = k.resisted(p, outcome);
  return { outcome, ...r };
}

/** Connections Mosquitto saw (its "New connection from" lines), optionally from one address. */
function mosquittoConnections(b: MosquittoBroker, from?: string): number {
  return [...b.readLog().matchAll(/New connection from ([\d.]+):\d+ on port/g)].filter((m) => !from || m[1] === from).length;
}

/** Aedes with a TCP connection counter (the harness's own server counts nothing). */
async function aedes(opts: AedesOptions = {}): Promise<AedesBroker & { tcpConnections: () => number }> {
  const b = await startAedes({ aedesOptions: opts });
  let n = 0;
  // The harness serves with net.Server: count at the broker's handle() entry.
  const handle = b.broker.handle.bind(b.broker);
  (b.broker as unknown as { handle: typeof handle }).handle = (stream, req) => {
    n++;
    return handle(stream, req);
  };
  return Object.assign(b, { tcpConnections: () => n });
}

const USERS = { device: 'device-secret-pw-1' };

async function mosquitto(extra: Partial<MosquittoOptions> = {}): Promise<MosquittoBroker> {
  return startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true, ...extra });
}

describe('drill injects: registry', () => {
  test('nine kinds, unique names, each with a title, params schema and a pure judge', () => {
    const names = INJECT_KINDS.map((k) => k.kind);
    assert.equal(new Set(names).size, names.length);
    for (const kind of [
      'distributed-guessing',
      'sys-publish',
      'client-id-takeover',
      'connection-flood',
      'tls-downgrade',
      'bad-client-certificate',
      'idle-connections',
      'abnormal-termination',
      'undeliverable-messages',
    ]) {
      const k = injectKind(kind);
      assert.ok(k, kind);
      const p = k.params.parse({});
      assert.ok(k.describe(p).length > 10);
      const empty: InjectOutcome = { startedAt: 0, endedAt: 0, sources: [], connections: 0, failedLogins: 0, detail: {} };
      assert.equal(k.resisted(p, empty).resisted, 'unknown', `${kind}: an empty outcome proves nothing`);
    }
  });

  test('parameters are JSON-Schema-able (the drill schema publishes them)', () => {
    for (const k of INJECT_KINDS) {
      const schema = z.toJSONSchema(k.params, { io: 'input' }) as { type?: string; properties?: object };
      assert.equal(schema.type, 'object', k.kind);
    }
  });

  test('parameters are checked: unknown keys and out-of-range values are refused', () => {
    assert.throws(() => injectKind('connection-flood')!.params.parse({ connections: 5000 }));
    assert.throws(() => injectKind('sys-publish')!.params.parse({ topicPrefix: 'not/sys' }));
    assert.throws(() => injectKind('idle-connections')!.params.parse({ conections: 3 }));
    assert.throws(() => injectKind('bad-client-certificate')!.params.parse({ issuerCert: '/x.crt' }));
  });
});

describe('drill injects against Aedes and real Mosquitto', { skip }, () => {
  let open: MosquittoBroker;
  let auth: MosquittoBroker;
  before(async () => {
    open = await mosquitto();
    auth = await mosquitto({
      allowAnonymous: false,
      users: USERS,
      // The device may use its own tree only.
      acl: 'user device\ntopic readwrite devices/device/#\n',
    });
  });
  after(async () => {
    await open?.stop();
    await auth?.stop();
  });

  describe('distributed-guessing', () => {
    test('Mosquitto (no login limit) answers every guess: not resisted; the guesses come from every source address', async () => {
      const ctx = context(auth.ports[0]!.url, { sources: ['127.0.0.2', '127.0.0.3'], caps: { connections: 50, failedLogins: 50 } });
      const r = await runKind('distributed-guessing', { attempts: 6, perSourceInterval: '100ms' }, ctx);
      assert.equal(r.resisted, 'no', r.detail);
      assert.equal(r.outcome.failedLogins, 6);
      assert.deepEqual(r.outcome.sources, ['127.0.0.2', '127.0.0.3']);
      assert.equal(mosquittoConnections(auth, '127.0.0.2'), 3);
      assert.equal(mosquittoConnections(auth, '127.0.0.3'), 3);
    });

    test('a broker that counts failures across addresses starts refusing: resisted', async () => {
      let failures = 0;
      const b = await aedes({
        authenticate: (_c, username, _p, done) => {
          // A global failure limiter (what a per-address threshold is not): after 3 failures, "server unavailable".
          if (++failures > 3) return done(Object.assign(new Error('too many failures'), { returnCode: 3 as const }), false);
          done(Object.assign(new Error('bad user'), { returnCode: 4 as const }), false);
          void username;
        },
      });
      try {
        const ctx = context(b.url, { sources: ['127.0.0.2', '127.0.0.3', '127.0.0.4'] });
        const r = await runKind('distributed-guessing', { attempts: 12, perSourceInterval: '90ms' }, ctx);
        assert.equal(r.resisted, 'yes', r.detail);
        assert.equal(r.outcome.stoppedBy, 'blocked');
        assert.ok(r.outcome.firstBlockedAt! > r.outcome.firstAttackAt!);
        assert.ok(b.tcpConnections() <= ctx.budget.used.connections);
      } finally {
        await b.stop();
      }
    });

    test('the failed-login cap stops it, and an abort stops it promptly', async () => {
      const capped = context(auth.ports[0]!.url, { caps: { connections: 100, failedLogins: 3 } });
      const before = mosquittoConnections(auth);
      const r = await runKind('distributed-guessing', { attempts: 20, perSourceInterval: '20ms' }, capped);
      assert.equal(r.outcome.failedLogins, 3);
      assert.equal(r.outcome.stoppedBy, 'budget');
      assert.equal(mosquittoConnections(auth) - before, 3, 'the broker saw exactly the connections the budget gave');

      // maxPerSource: two sources, two attempts each, whatever `attempts` says.
      const spread = context(auth.ports[0]!.url, { sources: ['127.0.0.7', '127.0.0.8'] });
      const s = await runKind('distributed-guessing', { attempts: 10, maxPerSource: 2, perSourceInterval: '20ms' }, spread);
      assert.equal(s.outcome.failedLogins, 4);
      assert.equal(mosquittoConnections(auth, '127.0.0.7'), 2);
      assert.equal(mosquittoConnections(auth, '127.0.0.8'), 2);

      const ctx = context(auth.ports[0]!.url);
      setTimeout(() => ctx.abort(), 300);
      const t0 = performance.now();
      const a = await runKind('distributed-guessing', { attempts: 50, perSourceInterval: '10s' }, ctx);
      assert.ok(performance.now() - t0 < 2000, 'aborted within a bounded time');
      assert.equal(a.outcome.stoppedBy, 'abort');
      assert.equal(a.outcome.failedLogins, 1);
    });
  });

  describe('sys-publish', () => {
    test('Mosquitto refuses client publishes into $SYS (PUBACK 0x87): resisted', async () => {
      const r = await runKind('sys-publish', { listen: '300ms' }, context(open.ports[0]!.url));
      assert.equal(r.resisted, 'yes', r.detail);
      assert.equal((r.outcome.detail as { pubackCode?: number }).pubackCode, 0x87);
      await open.waitForLog(/Denied PUBLISH from mqtt-warden-drill-sys-pub-\S+ \(d0, q1, r0, m\d+, '\$SYS\/mqtt-warden-drill\//);
    });

    test('Aedes refuses $SYS by default (drops the publisher): resisted', async () => {
      const b = await aedes();
      try {
        const r = await runKind('sys-publish', { listen: '300ms' }, context(b.url));
        assert.equal(r.resisted, 'yes', r.detail);
      } finally {
        await b.stop();
      }
    });

    test('a broker that lets clients write $SYS (the lab\'s open broker rule) delivers it: not resisted; retained topics are left for rollback', async () => {
      const b = await aedes({ authorizePublish: (_c, _p, done) => done(null) });
      try {
        const ctx = context(b.url);
        const r = await runKind('sys-publish', { listen: '1s', retain: true }, ctx);
        assert.equal(r.resisted, 'no', r.detail);
        assert.equal(r.outcome.leftovers?.retainedTopics?.length, 1);
        assert.match(r.outcome.leftovers!.retainedTopics![0]!, /^\$SYS\/mqtt-warden-drill\/[0-9a-f]{12}$/);
        assert.ok(b.tcpConnections() <= ctx.budget.used.connections);
      } finally {
        await b.stop();
      }
    });
  });

  describe('client-id-takeover', () => {
    test('Mosquitto without anonymous access refuses the anonymous takeover: resisted', async () => {
      const ctx = context(auth.ports[0]!.url, { client: { username: 'device', password: USERS.device } });
      const r = await runKind('client-id-takeover', { watch: '300ms' }, ctx);
      assert.equal(r.resisted, 'yes', r.detail);
      assert.match(r.detail, /refused/);
    });

    test('an open broker hands the session to anybody with the client ID: not resisted', async () => {
      const ctx = context(open.ports[0]!.url, { client: { clientId: 'mqtt-warden-drill-known-plc' }, sources: ['127.0.0.2', '127.0.0.3'] });
      const r = await runKind('client-id-takeover', { watch: '1s' }, ctx);
      assert.equal(r.resisted, 'no', r.detail);
      assert.deepEqual(r.outcome.leftovers?.clientIds, ['mqtt-warden-drill-known-plc']);
      assert.equal((r.outcome.detail as { victimDisconnected?: boolean }).victimDisconnected, true);
      await open.waitForLog(/Client mqtt-warden-drill-known-plc already connected, closing old connection\./);
    });
  });

  describe('connection-flood', () => {
    test('Mosquitto with max_connections 5 refuses the flood: resisted; never more connections than the budget', async () => {
      const b = await mosquitto({ listeners: [{ kind: 'mqtt', extra: 'max_connections 5' }] });
      try {
        const ctx = context(b.ports[0]!.url, { caps: { connections: 40, failedLogins: 0 } });
        const r = await runKind('connection-flood', { connections: 12, concurrency: 4, hold: '200ms' }, ctx);
        assert.equal(r.resisted, 'yes', r.detail);
        // Mosquitto 2.0.11 was seen holding 6 open with max_connections 5 (its own count): the limit, give or take one.
        const d = r.outcome.detail as { peakOpen: number; accepted: number; refused: number };
        assert.ok(d.peakOpen >= 5 && d.peakOpen <= 6, `peak ${d.peakOpen}`);
        assert.ok(d.refused > 0 && d.accepted < 12);
        assert.ok(mosquittoConnections(b) <= ctx.budget.used.connections);
      } finally {
        await b.stop();
      }
    });

    test('a broker without a limit takes the whole flood: not resisted; the connection cap ends it early', async () => {
      const b = await aedes();
      try {
        const ctx = context(b.url);
        const r = await runKind('connection-flood', { connections: 15, concurrency: 5, hold: '200ms' }, ctx);
        assert.equal(r.resisted, 'no', r.detail);
        // Aedes speaks 3.1.1 only: one v5 CONNECT, then the 15.
        assert.equal((r.outcome.detail as { accepted: number }).accepted, 15);

        const capped = context(b.url, { caps: { connections: 6, failedLogins: 0 } });
        const before = b.tcpConnections();
        const c = await runKind('connection-flood', { connections: 30, concurrency: 5, hold: '100ms' }, capped);
        assert.equal(c.outcome.stoppedBy, 'budget');
        assert.equal(capped.budget.used.connections, 6);
        assert.equal(b.tcpConnections() - before, 6, 'the broker saw exactly the connections the budget gave');
      } finally {
        await b.stop();
      }
    });
  });

  describe('idle-connections', () => {
    test('Aedes with a CONNECT timeout closes silent connections: resisted', async () => {
      const b = await aedes({ connectTimeout: 300 });
      try {
        const r = await runKind('idle-connections', { connections: 3, window: '3s' }, context(b.url));
        assert.equal(r.resisted, 'yes', r.detail);
        assert.equal((r.outcome.detail as { closedAfterMs: number[] }).closedAfterMs.length, 3);
      } finally {
        await b.stop();
      }
    });

    test('Mosquitto 2.0 keeps them open past the window: not resisted; an abort ends the wait promptly', async () => {
      const r = await runKind('idle-connections', { connections: 2, window: '1500ms' }, context(open.ports[0]!.url, { sources: ['127.0.0.5'] }));
      assert.equal(r.resisted, 'no', r.detail);
      assert.equal(mosquittoConnections(open, '127.0.0.5'), 2);

      const ctx = context(open.ports[0]!.url);
      setTimeout(() => ctx.abort(), 300);
      const t0 = performance.now();
      const a = await runKind('idle-connections', { connections: 2, window: '30s' }, ctx);
      assert.ok(performance.now() - t0 < 2000, 'aborted within a bounded time');
      assert.equal(a.resisted, 'unknown', a.detail);
    });
  });

  describe('abnormal-termination', () => {
    test('Mosquitto accepts every connect-and-drop, publishes the wills and logs "closed its connection": not resisted', async () => {
      const ctx = context(open.ports[0]!.url);
      const r = await runKind('abnormal-termination', { cycles: 4, interval: '50ms', settle: '500ms' }, ctx);
      assert.equal(r.resisted, 'no', r.detail);
      assert.equal((r.outcome.detail as { accepted: number }).accepted, 4);
      assert.equal((r.outcome.detail as { willsPublished: number }).willsPublished, 4);
      // The broker-log pattern the abnormal-termination drill expects.
      const drill = readFileSync(path.join(import.meta.dirname, '..', 'drills', 'abnormal-termination.yaml'), 'utf8');
      const pattern = /pattern: '([^']+)'/.exec(drill)![1]!;
      const lines = open.readLog().split('\n').filter((l) => new RegExp(pattern).test(l));
      assert.ok(lines.length >= 4, `broker log lines matching ${pattern}: ${lines.length}`);
    });

    test('a flapping detector that bans a client ID after 3 connects refuses the rest: resisted', async () => {
      const seen = new Map<string, number>();
      const b = await aedes({
        authenticate: (client, _u, _p, done) => {
          const n = (seen.get(client.id) ?? 0) + 1;
          seen.set(client.id, n);
          if (n > 3 && client.id.includes('-flap-')) return done(Object.assign(new Error('flapping'), { returnCode: 5 as const }), false);
          done(null, true);
        },
      });
      try {
        const ctx = context(b.url);
        const r = await runKind('abnormal-termination', { cycles: 10, interval: '20ms', settle: '200ms' }, ctx);
        assert.equal(r.resisted, 'yes', r.detail);
        assert.equal((r.outcome.detail as { accepted: number }).accepted, 3);
        assert.equal(r.outcome.stoppedBy, 'blocked');
        assert.ok(b.tcpConnections() <= ctx.budget.used.connections);
      } finally {
        await b.stop();
      }
    });
  });

  describe('WebSocket targets', () => {
    test('MQTT injects speak over ws:// too (Aedes, 3.1.1 after the MQTT 5 refusal)', async () => {
      const b = await startAedes({ ws: true, aedesOptions: { authorizePublish: (_c, _p, done) => done(null) } });
      try {
        const r = await runKind('sys-publish', { listen: '1s' }, context(b.wsUrl!));
        assert.equal(r.resisted, 'no', r.detail);
        assert.equal((r.outcome.detail as { protocolVersion?: number }).protocolVersion, 4);
        const idle = await runKind('idle-connections', {}, context(b.wsUrl!));
        assert.equal(idle.resisted, 'unknown');
        assert.equal(idle.outcome.connections, 0);
      } finally {
        await b.stop();
      }
    });
  });

  describe('undeliverable-messages', () => {
    test('Mosquitto without ACL answers "no matching subscribers" to every one: not resisted', async () => {
      const r = await runKind('undeliverable-messages', { topics: 20, interval: '1ms' }, context(open.ports[0]!.url));
      assert.equal(r.resisted, 'no', r.detail);
      assert.equal((r.outcome.detail as { noMatchingSubscribers: number }).noMatchingSubscribers, 20);
    });

    test('Mosquitto with an ACL confining the client refuses them (0x87): resisted', async () => {
      const r = await runKind('undeliverable-messages', { topics: 5, interval: '1ms' }, context(auth.ports[0]!.url, { client: { username: 'device', password: USERS.device } }));
      assert.equal(r.resisted, 'yes', r.detail);
      assert.deepEqual((r.outcome.detail as { pubacks: Record<string, number> }).pubacks, { '0x87': 5 });
    });
  });

  describe('TLS: tls-downgrade and bad-client-certificate', () => {
    let tlsStrict: MosquittoBroker;
    let tlsOpen: MosquittoBroker;
    let lab: { close(): Promise<void>; url: string };
    let labDir: string;
    before(async () => {
      tlsStrict = await startMosquitto({ listeners: [{ kind: 'mqtts' }], allowAnonymous: true, tls: { requireCertificate: true } });
      tlsOpen = await startMosquitto({ listeners: [{ kind: 'mqtts' }], allowAnonymous: true });
      labDir = mkdtempSync(path.join(os.tmpdir(), 'mqtt-warden-drill-lab-'));
      const scenario = LAB_SCENARIOS.find((s) => s.name === 'legacy-tls')!;
      const port = await freePort();
      lab = await startBroker(scenario, '127.0.0.1', port - scenario.offset, new LabLog(path.join(labDir, 'broker.log')), await makeWeakCertificate('127.0.0.1'));
    });
    after(async () => {
      await tlsStrict?.stop();
      await tlsOpen?.stop();
      await lab?.close();
      rmSync(labDir, { recursive: true, force: true });
    });

    test('Mosquitto (TLS 1.2 and up by default) refuses TLS 1.0 and 1.1: resisted', async () => {
      const r = await runKind('tls-downgrade', {}, context(tlsOpen.ports[0]!.url));
      assert.equal(r.resisted, 'yes', r.detail);
      assert.equal((r.outcome.detail as { handshakes: unknown[] }).handshakes.length, 2);
    });

    test('the lab\'s legacy-TLS listener completes them: not resisted', async () => {
      const r = await runKind('tls-downgrade', { attempts: 2 }, context(lab.url, { sources: ['127.0.0.6'] }));
      assert.equal(r.resisted, 'no', r.detail);
      assert.deepEqual(r.outcome.sources, ['127.0.0.6']);
    });

    test('a plaintext target has no TLS to downgrade: unknown, nothing sent', async () => {
      const ctx = context(open.ports[0]!.url);
      const r = await runKind('tls-downgrade', {}, ctx);
      assert.equal(r.resisted, 'unknown');
      assert.equal(ctx.budget.used.connections, 0);
    });

    test('require_certificate refuses an expired certificate of the trusted CA and an untrusted one: resisted', async () => {
      const pki = tlsStrict.pki!;
      const ctx = context(tlsStrict.ports[0]!.url, { tls: { ca: readFileSync(pki.caCert, 'utf8') } });
      const r = await runKind('bad-client-certificate', { issuerCert: pki.caCert, issuerKey: pki.caKey }, ctx);
      assert.equal(r.resisted, 'yes', r.detail);
      const presented = (r.outcome.detail as { presented: { certificate: string; issuer: string; result: string }[] }).presented;
      assert.deepEqual(presented.map((p) => [p.certificate, p.issuer, p.result]), [
        ['expired', 'trusted-ca', 'refused'],
        ['untrusted', 'throw-away-ca', 'refused'],
      ]);
    });

    test('every kind stops within a bounded time once the signal aborts', async () => {
      // Parameters that would run for minutes: only the abort can end them early.
      const long: Record<string, Record<string, unknown>> = {
        'distributed-guessing': { attempts: 100, perSourceInterval: '5s' },
        'sys-publish': { listen: '60s' },
        'client-id-takeover': { watch: '60s' },
        'connection-flood': { connections: 100, concurrency: 2, hold: '60s' },
        'tls-downgrade': { attempts: 20 },
        'bad-client-certificate': {},
        'idle-connections': { connections: 3, window: '60s' },
        'abnormal-termination': { cycles: 100, interval: '5s' },
        'undeliverable-messages': { topics: 1000, interval: '5s' },
      };
      for (const k of INJECT_KINDS) {
        const tlsKind = k.kind === 'tls-downgrade' || k.kind === 'bad-client-certificate';
        const ctx = context(tlsKind ? lab.url : open.ports[0]!.url, { caps: { connections: 200, failedLogins: 200 } });
        const p = k.params.parse(long[k.kind] ?? {});
        const timer = setTimeout(() => ctx.abort(), 400);
        const t0 = performance.now();
        const o = await k.run(p, ctx);
        clearTimeout(timer);
        const ms = performance.now() - t0;
        assert.ok(ms < 3000, `${k.kind}: ran ${Math.round(ms)} ms after an abort at 400 ms`);
        if (ms > 400) assert.equal(o.stoppedBy, 'abort', k.kind);
      }
    });

    test('a listener that does not check client certificates lets the session in: not resisted', async () => {
      const r = await runKind('bad-client-certificate', {}, context(tlsOpen.ports[0]!.url));
      assert.equal(r.resisted, 'no', r.detail);
    });
  });
});

describe('drill injects: a target that is not there', () => {
  test('every MQTT inject reports an outcome (no throw, no hang) when nothing listens', async () => {
    const port = await freePort();
    for (const k of INJECT_KINDS) {
      const ctx = context(`mqtt://127.0.0.1:${port}`, { timeoutMs: 500, caps: { connections: 3, failedLogins: 3 } });
      const small: Record<string, Record<string, unknown>> = {
        'distributed-guessing': { attempts: 2, perSourceInterval: '10ms' },
        'connection-flood': { connections: 2, hold: '10ms' },
        'idle-connections': { connections: 1, window: '100ms' },
        'abnormal-termination': { cycles: 2, interval: '10ms', settle: '10ms' },
      };
      const p = k.params.parse(small[k.kind] ?? {});
      const o = await k.run(p, ctx);
      assert.ok(ctx.budget.used.connections <= 3, k.kind);
      assert.notEqual(k.resisted(p, o).resisted, 'yes', `${k.kind}: nothing there is not resistance`);
    }
  });

  test('a silent peer (accepts TCP, never answers) costs at most the operation timeout per attempt', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const ctx = context(`mqtt://127.0.0.1:${port}`, { timeoutMs: 300 });
      const t0 = performance.now();
      const r = await runKind('undeliverable-messages', { topics: 3 }, ctx);
      assert.ok(performance.now() - t0 < 1500);
      assert.equal(r.resisted, 'unknown');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});
