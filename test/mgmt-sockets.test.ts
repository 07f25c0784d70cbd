/**
 * The management probes' ports from this machine's listening sockets (sys.listeners, sys.brokers),
 * and SVC-082 on the certificate an HTTPS management interface serves.
 *
 * Real components: loopback servers that answer like the EMQX dashboard and NanoMQ's HTTP server
 * (test/helpers/mgmt-servers.ts), the host providers and the engine with injected host facts, a
 * real process named `nanomq` found through /proc, and certificates from the test PKI.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { brokerSocketPorts, managementTargets, probeManagementInterfaces, DEFAULT_MGMT_PORTS } from '../src/collectors/mgmt/probe.js';
import { HOST_PROVIDERS } from '../src/collectors/host.js';
import { collectFacts } from '../src/core/providers.js';
import { judgeOne, runChecks } from '../src/core/engine.js';
import { CATALOGUE } from '../src/checks/index.js';
import type { FactMap, ManagementProbes } from '../src/core/facts.js';
import type { BrokerProcess, BrokerSetup, DeclaredListener, Listeners } from '../src/collectors/system/types.js';
import type { ListeningSocket, ProcessInfo } from '../src/collectors/system/sockets.js';
import type { CheckResult, FactKey } from '../src/core/types.js';
import { auditOptions } from './helpers/audit.js';
import { emqxServer, hostileHttp, type MgmtServer } from './helpers/mgmt-servers.js';
import { makeTlsPki, type LeafKind, type TlsPki } from './helpers/tls-pki.js';

const TIMEOUT = 600;
const LOCAL = { subject: '127.0.0.1', host: '127.0.0.1', loopback: true };
const check = (id: string) => CATALOGUE.find((c) => c.meta.id === id)!;

function sock(port: number, processes: ProcessInfo[], over: Partial<ListeningSocket> = {}): ListeningSocket {
  return { proto: 'tcp', family: 4, address: '0.0.0.0', port, wildcard: true, loopback: false, uid: 0, inode: port, processes, ...over };
}
const onLoopback = { address: '127.0.0.1', wildcard: false, loopback: true } as const;
const listeners = (sockets: ListeningSocket[], over: Partial<Listeners> = {}): Listeners => ({ sockets, problems: [], processesMapped: true, live: true, ...over });
const brokers = (processes: BrokerProcess[], declared: DeclaredListener[] = []): BrokerSetup => ({ configs: [], declared, runAs: [], processes, live: true, notes: [] });
const BEAM: BrokerProcess = { product: 'emqx', pid: 4242, name: 'beam.smp', libs: [] };
const beam: ProcessInfo = { pid: 4242, name: 'beam.smp' };
const ok = <T>(value: T) => ({ state: 'ok' as const, value, ms: 0 });

describe('ports from the broker sockets (brokerSocketPorts, managementTargets)', () => {
  test('a broker process adds its ports that are not MQTT, WebSocket, Erlang or gateway ports', () => {
    const l = listeners([
      sock(28083, [beam]),
      sock(28083, [beam], { family: 6, address: '::' }),
      sock(1883, [beam]),
      sock(8083, [beam]),
      sock(4370, [beam]),
      sock(11883, [beam]),
      sock(7993, [beam]),
      sock(29000, [beam], { address: '10.0.0.5', wildcard: false }),
      sock(28084, [beam], { proto: 'udp' }),
      sock(15672, [{ pid: 77, name: 'beam.smp' }]),
      sock(8082, [{ pid: 90, name: 'nanomq' }]),
      sock(9884, [{ pid: 91, name: 'mosquitto' }], onLoopback),
      sock(9885, [{ pid: 92, name: 'mosquitto' }], { family: 6, address: '::1', loopback: true, wildcard: false }),
      sock(2222, [{ pid: 93, name: 'sshd' }]),
    ]);
    const b = brokers([BEAM], [
      { product: 'emqx', port: 11883, kind: 'mqtt' },
      { product: 'emqx', port: 7993, kind: 'other' },
    ]);
    const { ports, notes } = brokerSocketPorts(l, b, 4);
    assert.deepEqual(
      ports.map((p) => [p.port, p.source.product, p.source.process, p.source.pid]),
      [
        [8082, 'nanomq', 'nanomq', 90],
        [9884, 'mosquitto', 'mosquitto', 91],
        [28083, 'emqx', 'beam.smp', 4242],
      ],
    );
    assert.ok(ports.every((p) => p.source.kind === 'socket' && !p.tls));
    assert.deepEqual(notes, []);
    // An IPv6 loopback target reaches ::1 and the IPv6 wildcard, not 127.0.0.1 or 0.0.0.0.
    assert.deepEqual(
      brokerSocketPorts(l, b, 6).ports.map((p) => p.port),
      [9885, 28083],
    );
  });

  test('without sys.brokers a beam.smp is not taken for EMQX; unmapped or offline tables say why', () => {
    const l = listeners([sock(28083, [beam]), sock(8082, [{ pid: 90, name: 'nanomq' }])]);
    const alone = brokerSocketPorts(l, undefined, 4);
    assert.deepEqual(alone.ports.map((p) => p.port), [8082]);
    assert.match(alone.notes.join(), /EMQX sockets \(beam\.smp\) are not added/);
    const unmapped = brokerSocketPorts(listeners([sock(28083, [])], { processesMapped: false }), brokers([BEAM]), 4);
    assert.deepEqual(unmapped.ports, []);
    assert.match(unmapped.notes.join(), /run as root/);
    const offline = brokerSocketPorts(listeners([sock(28083, [beam])], { live: false }), brokers([BEAM]), 4);
    assert.deepEqual(offline.ports, []);
    assert.match(offline.notes.join(), /not of the running system/);
  });

  test('a socket port merges with a default of the same number; the report keeps both reasons', () => {
    const { ports } = brokerSocketPorts(listeners([sock(18083, [beam]), sock(28083, [beam])]), brokers([BEAM]), 4);
    const t = managementTargets(DEFAULT_MGMT_PORTS, undefined, ports);
    const d = t.find((x) => x.port === 18083)!;
    assert.deepEqual(d.sources.map((s) => s.kind), ['default', 'socket']);
    assert.deepEqual(t.find((x) => x.port === 28083)!.sources, [{ kind: 'socket', product: 'emqx', process: 'beam.smp', pid: 4242 }]);
  });
});

/** The host facts of 127.0.0.1 for the management checks, with this machine's facts injected as the engine gives them. */
async function hostFacts(base: FactMap): Promise<FactMap> {
  const opts = auditOptions([], { scanPorts: [1], mgmtPorts: [], timeoutMs: TIMEOUT });
  return collectFacts(HOST_PROVIDERS, { host: '127.0.0.1', opts }, new Set<FactKey>(['mgmt.http', 'policy']), { base });
}
const mgmtOf = (f: FactMap): ManagementProbes => {
  const m = f['mgmt.http'];
  assert.equal(m?.state, 'ok', JSON.stringify(m));
  return m.value;
};

describe('the engine with injected host facts: an EMQX dashboard on an unusual port', () => {
  let emqx: MgmtServer;
  before(async () => {
    emqx = await emqxServer();
  });
  after(() => emqx.close());

  test('an emqx process owning the port: probed, judged by SVC-080 and SVC-081, the reason in the evidence', async () => {
    const facts = await hostFacts({ 'sys.listeners': ok(listeners([sock(emqx.port, [beam], onLoopback)])), 'sys.brokers': ok(brokers([BEAM])) });
    const m = mgmtOf(facts);
    const i = m.interfaces.find((x) => x.port === emqx.port);
    assert.ok(i, `port ${emqx.port} probed: ${JSON.stringify(m.interfaces.map((x) => x.port))}`);
    assert.equal(i.product, 'emqx');
    const svc081 = judgeOne(check('SVC-081'), facts, LOCAL, false);
    const disclosed = svc081.find((r) => r.status === 'FAIL' && r.message.includes(`EMQX dashboard / REST API on ${emqx.port}`));
    assert.ok(disclosed, JSON.stringify(svc081));
    assert.deepEqual(disclosed.evidence.probedBecause, ['listening socket of the emqx process beam.smp (pid 4242)']);
    const svc080 = judgeOne(check('SVC-080'), facts, LOCAL, false);
    assert.equal(svc080.length, 1);
    assert.equal(svc080[0]!.status, 'PASS');
    assert.match(svc080[0]!.message, new RegExp(`on ${emqx.port}`));
  });

  test('without the host facts (or with another process owning the port) the port list does not grow', async () => {
    const none = mgmtOf(await hostFacts({}));
    assert.deepEqual(none.interfaces.map((x) => x.port), []);
    const other = mgmtOf(await hostFacts({ 'sys.listeners': ok(listeners([sock(emqx.port, [{ pid: 5, name: 'node' }], onLoopback)])), 'sys.brokers': ok(brokers([BEAM])) }));
    assert.deepEqual(other.interfaces.map((x) => x.port), []);
    const failed = mgmtOf(await hostFacts({ 'sys.listeners': { state: 'error', error: 'EACCES /proc/net/tcp', ms: 0 } }));
    assert.deepEqual(failed.interfaces, []);
    assert.match(failed.socketNotes?.join() ?? '', /EACCES/);
  });
});

describe('hostile broker sockets are classified within the deadline', () => {
  const silent = async (): Promise<MgmtServer> => {
    const sockets = new Set<net.Socket>();
    const log: MgmtServer['log'] = [];
    const server = net.createServer((s) => {
      sockets.add(s);
      log.push({ method: '?', path: '?', credentials: false, body: '' });
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
      // Reads everything, answers nothing: an Erlang distribution port waiting for the rest of a frame.
      s.resume();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return { port: (server.address() as AddressInfo).port, log, close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), server.close(() => r()))) };
  };

  test('garbage, silence and a slow drip on broker ports: "other", "other" and an ERROR of that port only', async () => {
    const [garbage, quiet, drip] = await Promise.all([hostileHttp('not-http'), silent(), hostileHttp('slow-drip')]);
    try {
      const pid = (port: number) => ({ pid: port, name: 'nanomq' });
      const t0 = performance.now();
      const facts = await hostFacts({ 'sys.listeners': ok(listeners([garbage, quiet, drip].map((s) => sock(s.port, [pid(s.port)], onLoopback)))) });
      // A liveness bound, not a timing: each port's at most six requests end by their deadline.
      assert.ok(performance.now() - t0 < 6 * TIMEOUT + 3000, 'the probes ended');
      const m = mgmtOf(facts);
      const at = (s: MgmtServer) => m.interfaces.find((i) => i.port === s.port)!;
      assert.equal(at(garbage).reach, 'other', JSON.stringify(at(garbage)));
      assert.equal(at(quiet).reach, 'other', JSON.stringify(at(quiet)));
      assert.match(at(quiet).detail ?? '', /answered nothing to an HTTP request within 600 ms/);
      // The drip speaks HTTP and then breaks the exchange: that stays an error of that port.
      assert.equal(at(drip).reach, 'error', JSON.stringify(at(drip)));
      const svc080 = judgeOne(check('SVC-080'), facts, LOCAL, false);
      assert.deepEqual(svc080.map((r) => r.status), ['ERROR']);
      assert.match(svc080[0]!.message, new RegExp(`port ${drip.port}`));
    } finally {
      await Promise.all([garbage.close(), quiet.close(), drip.close()]);
    }
  });
});

describe('through runChecks on the live machine: a real process named nanomq', () => {
  let dir: string;
  let child: ChildProcess;
  let port: number;
  before(async () => {
    // The process's comm is the name it was started by: a link named nanomq to node, serving the NanoMQ mimic.
    dir = mkdtempSync(path.join(tmpdir(), 'mw-mgmt-sock-'));
    symlinkSync(process.execPath, path.join(dir, 'nanomq'));
    const helper = new URL('./helpers/mgmt-servers.ts', import.meta.url).href;
    const code = `const { nanomqServer } = await import(${JSON.stringify(helper)}); const s = await nanomqServer({ auth: false }); console.log(s.port); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
    child = spawn(path.join(dir, 'nanomq'), ['--import', 'tsx', '--input-type=module', '-e', code], { stdio: ['pipe', 'pipe', 'inherit'], cwd: process.cwd() });
    port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (b: Buffer) => resolve(Number(b.toString().trim())));
      child.once('exit', (c) => reject(new Error(`the mimic exited (${c})`)));
    });
  });
  after(() => {
    child.stdin!.end();
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('the engine hands the host provider this machine\'s sockets: the port is probed and SVC-080 fails on it', async () => {
    const network = auditOptions([], { scanPorts: [1], mgmtPorts: [], timeoutMs: TIMEOUT, host: true, system: { root: '/', timeoutMs: 3000 } });
    const report = await runChecks({
      command: 'audit',
      // SVC-003 judges the same sockets on the system subject: collected once, before the host facts, and reused.
      checks: [check('SVC-080'), check('SVC-003')],
      network,
      system: { root: '/', timeoutMs: 3000 },
      options: { intrusive: false, host: true, network: true, failOn: 'medium', identity: 'anonymous' },
    });
    const open = report.results.find((r: CheckResult) => r.status === 'FAIL' && r.message.includes(`NanoMQ HTTP server on ${port}`));
    assert.ok(open, JSON.stringify(report.results.map((r) => r.message)));
    assert.deepEqual(open.evidence.probedBecause, [`listening socket of the nanomq process nanomq (pid ${child.pid})`]);
    const svc003 = report.results.filter((r) => r.checkId === 'SVC-003');
    assert.ok(svc003.length > 0 && svc003.every((r) => r.status !== 'ERROR' && !/not collected/.test(r.message)), JSON.stringify(svc003));
  });
});

describe('SVC-082 on the certificate an HTTPS dashboard serves', () => {
  let pki: TlsPki;
  let dir: string;
  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'mw-mgmt-tls-'));
    pki = await makeTlsPki(dir);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function judged(kind: LeafKind | 'plain'): Promise<CheckResult[]> {
    const s = await emqxServer(kind === 'plain' ? {} : { tls: { cert: readFileSync(pki.leaves[kind].chain, 'utf8'), key: readFileSync(pki.leaves[kind].key, 'utf8') } });
    try {
      const m = await probeManagementInterfaces('127.0.0.1', true, [{ port: s.port, tls: kind !== 'plain', sources: [{ kind: 'socket', product: 'emqx', process: 'beam.smp', pid: 4242 }] }], {
        timeoutMs: TIMEOUT,
        intrusive: false,
        expiryWarnDays: [30, 60],
      });
      assert.equal(m.interfaces[0]!.product, 'emqx', JSON.stringify(m.interfaces[0]));
      return judgeOne(check('SVC-082'), { 'mgmt.http': ok(m) }, LOCAL, false);
    } finally {
      await s.close();
    }
  }

  test('a valid certificate from the test CA: PASS, with the chain as served', async () => {
    const [r, ...rest] = await judged('good');
    assert.equal(rest.length, 0);
    assert.equal(r!.status, 'PASS', r!.message);
    assert.match(r!.message, /CN=localhost issued by CN=mqtt-warden TLS test intermediate/);
    const chain = r!.evidence.chain as { subject: string }[];
    assert.deepEqual(chain.map((c) => c.subject), ['CN=localhost', 'CN=mqtt-warden TLS test intermediate, O=mqtt-warden tests']);
  });

  test('an expired certificate: FAIL naming the expiry', async () => {
    const [r] = await judged('expired');
    assert.equal(r!.status, 'FAIL');
    assert.equal(r!.severity, 'high');
    assert.match(r!.message, /the server certificate expired \d+ day\(s\) ago \(\d{4}-\d\d-\d\dT/);
  });

  test('a self-signed certificate: FAIL', async () => {
    const [r] = await judged('selfSigned');
    assert.equal(r!.status, 'FAIL');
    assert.match(r!.message, /CN=localhost is self-signed/);
  });

  test('a plain HTTP interface only: SKIP, never PASS', async () => {
    const [r, ...rest] = await judged('plain');
    assert.equal(rest.length, 0);
    assert.equal(r!.status, 'SKIP');
    assert.match(r!.message, /no management interface answered over TLS/);
  });
});
