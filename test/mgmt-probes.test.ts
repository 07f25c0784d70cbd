/**
 * The management-interface probes against loopback servers that answer like EMQX's
 * dashboard, Mosquitto 2.1's http_api and NanoMQ's HTTP server (test/helpers/mgmt-servers.ts),
 * and against hostile peers: directly, through runAudit and through the CLI. The
 * one-login rule is asserted by counting the requests each server received.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { probeManagementPort, probeManagementInterfaces, managementTargets, configuredManagementPorts, type MgmtTarget } from '../src/collectors/mgmt/probe.js';
import { httpExchange, HttpProbeError } from '../src/collectors/mgmt/http.js';
import type { MgmtInterface } from '../src/core/facts.js';
import type { Report } from '../src/core/types.js';
import { audit } from './helpers/audit.js';
import { runCli } from './helpers/cli.js';
import { makePki } from './helpers/pki.js';
import { emqxServer, hostileHttp, mosquittoHttpApi, nanomqServer, type HostileKind, type MgmtServer } from './helpers/mgmt-servers.js';

const TIMEOUT = 600;
const scanned = (port: number): MgmtTarget => ({ port, tls: false, sources: [{ kind: 'scan' }] });
const logins = (s: MgmtServer) => s.log.filter((l) => l.credentials).length;

async function probe(s: MgmtServer, intrusive: boolean, target: MgmtTarget = scanned(s.port)): Promise<MgmtInterface> {
  return probeManagementPort('127.0.0.1', target, { timeoutMs: TIMEOUT, intrusive });
}

describe('EMQX dashboard', () => {
  test('non-intrusive: identified, version and node name disclosed, no credentials sent', async () => {
    const s = await emqxServer();
    try {
      const i = await probe(s, false);
      assert.equal(i.reach, 'http');
      assert.equal(i.product, 'emqx');
      assert.equal(i.version, 'v5.8.6');
      assert.equal(i.auth, 'required');
      assert.deepEqual(
        i.disclosures.map((d) => d.kind),
        ['version', 'node-name', 'api-description', 'dashboard-ui'],
      );
      assert.ok(i.disclosures.some((d) => d.value === 'emqx@127.0.0.1'));
      assert.equal(i.login.tested, false);
      assert.equal(logins(s), 0);
      assert.ok(s.log.every((l) => l.method === 'GET'), 'only GET without --intrusive');
    } finally {
      await s.close();
    }
  });

  test('newer releases: the API index at /api-spec.json is the disclosure when swagger.json needs a login', async () => {
    const s = await emqxServer({ apiSpec: true, version: '6.3.0' });
    try {
      const i = await probe(s, false);
      const d = i.disclosures.find((x) => x.kind === 'api-description');
      assert.equal(d?.path, '/api-spec.json');
      assert.match(d.value, /index of 2 API tags/);
      assert.equal(i.version, 'v6.3.0');
    } finally {
      await s.close();
    }
  });

  test('intrusive: exactly one login; the shipped password is accepted; no token or password in the fact', async () => {
    const s = await emqxServer();
    try {
      const i = await probe(s, true);
      assert.equal(i.login.tested && i.login.outcome, 'accepted');
      assert.equal(logins(s), 1);
      assert.equal(s.log.filter((l) => l.path === '/api/v5/login').length, 1);
      const text = JSON.stringify(i);
      assert.ok(!text.includes('secret-token') && !text.includes('public'), text);
    } finally {
      await s.close();
    }
  });

  test('intrusive: a changed password is refused once and never retried', async () => {
    const s = await emqxServer({ password: 'Correct-Horse-9' });
    try {
      const i = await probe(s, true);
      assert.equal(i.login.tested && i.login.outcome, 'refused');
      assert.equal(logins(s), 1);
    } finally {
      await s.close();
    }
  });

  test('intrusive: the hardened profile refusing an unchanged default is told apart', async () => {
    const s = await emqxServer({ hardened: true });
    try {
      const i = await probe(s, true);
      assert.equal(i.login.tested && i.login.outcome, 'blocked');
      assert.equal(logins(s), 1);
    } finally {
      await s.close();
    }
  });

  test('intrusive: MFA answers before the password is judged: not judged, still one attempt', async () => {
    const s = await emqxServer({ mfa: true });
    try {
      const i = await probe(s, true);
      assert.equal(i.login.tested && i.login.outcome, 'mfa');
      assert.equal(logins(s), 1);
    } finally {
      await s.close();
    }
  });

  test('HTTPS with a certificate no trust store knows: found by falling back from HTTP, certificate recorded', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mw-mgmt-pki-'));
    try {
      const pki = makePki(dir);
      const s = await emqxServer({ tls: { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') } });
      try {
        const i = await probe(s, false);
        assert.equal(i.reach, 'https');
        assert.equal(i.product, 'emqx');
        assert.ok(i.certificate, 'certificate recorded');
        assert.match(i.certificate.subject, /CN=localhost/);
        assert.equal(i.certificate.authorized, false);
      } finally {
        await s.close();
      }
      // An HTTPS service that is none of the three: unrecognised (SKIP), not a broken exchange.
      const other = await hostileHttp('redirect-loop', { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') });
      try {
        const i = await probe(other, false);
        assert.equal(i.reach, 'https', JSON.stringify(i));
        assert.equal(i.product, undefined);
      } finally {
        await other.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('two dashboard listeners on one host: one login for both, over HTTPS', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'mw-mgmt-pki-'));
    const pki = makePki(dir);
    const plain = await emqxServer();
    const secure = await emqxServer({ tls: { cert: readFileSync(pki.serverCert, 'utf8'), key: readFileSync(pki.serverKey, 'utf8') } });
    try {
      const m = await probeManagementInterfaces('127.0.0.1', true, [scanned(plain.port), scanned(secure.port)], { timeoutMs: TIMEOUT, intrusive: true });
      assert.equal(logins(plain) + logins(secure), 1);
      assert.equal(logins(secure), 1);
      const [p, sec] = m.interfaces;
      assert.equal(sec!.login.tested && sec!.login.outcome, 'accepted');
      assert.match(p!.login.tested ? '' : p!.login.reason, new RegExp(`tried on port ${secure.port}`));
    } finally {
      await Promise.all([plain.close(), secure.close()]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Mosquitto http_api and NanoMQ', () => {
  test('Mosquitto without authentication: version and listeners disclosed, no login needed', async () => {
    const s = await mosquittoHttpApi({ anonymous: true });
    try {
      const i = await probe(s, true);
      assert.equal(i.product, 'mosquitto');
      assert.equal(i.auth, 'not-required');
      assert.equal(i.version, '2.1.2');
      assert.ok(i.disclosures.some((d) => d.kind === 'listeners' && d.value.includes('1883/mqtt anonymous')), JSON.stringify(i.disclosures));
      assert.equal(logins(s), 0);
    } finally {
      await s.close();
    }
  });

  test('Mosquitto with authentication: recognised by its realm, no default login exists to try', async () => {
    const s = await mosquittoHttpApi({ anonymous: false });
    try {
      const i = await probe(s, true);
      assert.equal(i.product, 'mosquitto');
      assert.equal(i.auth, 'required');
      assert.equal(i.login.tested, false);
      assert.equal(logins(s), 0);
    } finally {
      await s.close();
    }
  });

  test('NanoMQ: zero credentialed requests without --intrusive, exactly one with it', async () => {
    const s = await nanomqServer();
    try {
      const quiet = await probe(s, false);
      assert.equal(quiet.product, 'nanomq');
      assert.equal(quiet.auth, 'required');
      assert.equal(logins(s), 0);
      const loud = await probe(s, true);
      assert.equal(loud.login.tested && loud.login.outcome, 'accepted');
      assert.equal(loud.version, '0.24.6-8ee8bc5');
      assert.equal(logins(s), 1);
    } finally {
      await s.close();
    }
  });

  test('NanoMQ with its HTTP auth off answers without credentials', async () => {
    const s = await nanomqServer({ auth: false });
    try {
      const i = await probe(s, true);
      assert.equal(i.auth, 'not-required');
      assert.equal(i.openApiPath, '/api/v4/brokers');
      assert.equal(logins(s), 0);
    } finally {
      await s.close();
    }
  });
});

describe('hostile peers end in a clear state within the deadline', () => {
  const cases: [HostileKind, (i: MgmtInterface) => void][] = [
    ['endless-body', (i) => assert.ok(i.reach === 'http' && !i.product && i.anomalies.some((a) => /was cut/.test(a)), JSON.stringify(i))],
    ['slow-drip', (i) => assert.ok(i.reach === 'error' && /no complete answer within 600 ms/.test(i.detail ?? ''), JSON.stringify(i))],
    ['garbage-json', (i) => assert.ok(i.reach === 'http' && !i.product, JSON.stringify(i))],
    ['redirect-loop', (i) => assert.ok(!i.product && i.anomalies.some((a) => /redirect \(302\).*not followed/.test(a)), JSON.stringify(i))],
    ['not-http', (i) => assert.ok(i.reach === 'other', JSON.stringify(i))],
  ];
  for (const [kind, check] of cases) {
    test(kind, async () => {
      const s = await hostileHttp(kind);
      try {
        const t0 = performance.now();
        const i = await probe(s, true);
        // A liveness bound, not a timing: each of the at most six requests ends by its deadline.
        assert.ok(performance.now() - t0 < 6 * TIMEOUT + 2000, 'the probe ended');
        check(i);
        assert.equal(logins(s), 0, 'no login on an unrecognised interface');
        assert.ok(s.log.length <= 6, `requests: ${s.log.length}`);
      } finally {
        await s.close();
      }
    });
  }

  test('the body cap holds on an endless answer (memory bounded)', async () => {
    const s = await hostileHttp('endless-body');
    try {
      const x = await httpExchange({ host: '127.0.0.1', port: s.port, tls: false, method: 'GET', path: '/', timeoutMs: 2000, maxBytes: 4096 });
      assert.equal(x.truncated, true);
      assert.equal(x.body.length, 4096);
    } finally {
      await s.close();
    }
  });

  test('a refused port is "closed", not an error', async () => {
    const s = await emqxServer();
    const port = s.port;
    await s.close();
    await assert.rejects(httpExchange({ host: '127.0.0.1', port, tls: false, method: 'GET', path: '/', timeoutMs: 1000 }), (e: unknown) => e instanceof HttpProbeError && e.kind === 'closed');
  });
});

test('which ports: defaults, open non-MQTT scan ports, configured dashboards; refused ones are not asked', () => {
  const scan = {
    host: '127.0.0.1',
    loopback: true,
    ports: [
      { port: 1883, service: 'mqtt' as const, state: 'open' as const, ms: 1 },
      { port: 4369, service: 'epmd' as const, state: 'open' as const, ms: 1 },
      { port: 18083, service: 'dashboard-http' as const, state: 'closed' as const, ms: 1 },
      { port: 28083, service: 'other' as const, state: 'open' as const, ms: 1 },
    ],
  };
  const configured = configuredManagementPorts({
    mosquitto: [],
    emqx: [
      {
        path: '/etc/emqx/emqx.conf',
        etcDir: '/etc/emqx',
        file: '/etc/emqx/emqx.conf',
        given: false,
        layers: [],
        config: { dashboard: { listeners: [{ name: 'https', enabled: true, bind: { port: 28443 }, location: { file: '/etc/emqx/emqx.conf', line: 7, column: 5 }, settings: {}, path: 'dashboard.listeners.https' }] } } as never,
      },
    ],
  });
  const t = managementTargets([{ port: 18083, tls: false, product: 'emqx' }], scan, configured);
  assert.deepEqual(
    t.map((x) => [x.port, x.tls, x.closed ?? false]),
    [
      [18083, false, true],
      [28083, false, false],
      [28443, true, false],
    ],
  );
  assert.equal(t[2]!.sources[0]!.where, '/etc/emqx/emqx.conf:7');
});

describe('through runAudit and the CLI', () => {
  let emqx: MgmtServer;
  let nano: MgmtServer;
  let mosq: MgmtServer;
  let drip: MgmtServer;
  before(async () => {
    [emqx, nano, mosq, drip] = await Promise.all([emqxServer(), nanomqServer(), mosquittoHttpApi({ anonymous: true }), hostileHttp('slow-drip')]);
  });
  after(async () => {
    await Promise.all([emqx, nano, mosq, drip].map((s) => s.close()));
  });
  const reset = () => [emqx, nano, mosq, drip].forEach((s) => (s.log.length = 0));
  const results = (r: Report, id: string) => r.results.filter((x) => x.checkId === id);

  test('runAudit without --intrusive: findings, ERROR for the drip, ACC-071 skipped, no credentials sent', async () => {
    reset();
    const r = await audit([], { scanPorts: [emqx.port, nano.port, mosq.port, drip.port], mgmtPorts: [], timeoutMs: TIMEOUT });
    const svc080 = results(r, 'SVC-080');
    assert.ok(svc080.some((x) => x.status === 'FAIL' && x.message.includes(`Mosquitto HTTP API on ${mosq.port}`)), JSON.stringify(svc080));
    assert.ok(svc080.some((x) => x.status === 'ERROR' && x.message.includes(`port ${drip.port}`)), JSON.stringify(svc080));
    const svc081 = results(r, 'SVC-081');
    assert.ok(svc081.some((x) => x.status === 'FAIL' && x.message.includes('emqx@127.0.0.1')));
    assert.ok(results(r, 'ACC-071').every((x) => x.status === 'SKIP' && /--intrusive/.test(x.message)));
    const svc001 = results(r, 'SVC-001')[0]!;
    assert.equal(svc001.status, 'FAIL');
    assert.match(svc001.message, new RegExp(`EMQX dashboard / REST API on ${emqx.port} \\(plain HTTP, v5\\.8\\.6\\)`));
    assert.equal([emqx, nano, mosq].reduce((n, s) => n + logins(s), 0), 0);
  });

  test('runAudit with the host audit of an offline root: the configured dashboard and http_api ports are probed', async () => {
    reset();
    const root = mkdtempSync(path.join(tmpdir(), 'mw-mgmt-root-'));
    try {
      mkdirSync(path.join(root, 'etc/emqx'), { recursive: true });
      mkdirSync(path.join(root, 'etc/mosquitto'), { recursive: true });
      writeFileSync(path.join(root, 'etc/emqx/emqx.conf'), `node.name = "emqx@127.0.0.1"\ndashboard.listeners.http.bind = "127.0.0.1:${emqx.port}"\n`);
      writeFileSync(path.join(root, 'etc/mosquitto/mosquitto.conf'), `listener 1883 127.0.0.1\nallow_anonymous false\n\nlistener ${mosq.port} 127.0.0.1\nprotocol http_api\n`);
      // The scan itself finds nothing (port 1); the defaults are left out: only the configs name these ports.
      const r = await audit([], { scanPorts: [1], mgmtPorts: [], timeoutMs: TIMEOUT, host: true, system: { root, timeoutMs: 2000 } });
      const open = results(r, 'SVC-080').find((x) => x.status === 'FAIL');
      assert.ok(open, JSON.stringify(results(r, 'SVC-080')));
      assert.match(open.message, new RegExp(`Mosquitto HTTP API on ${mosq.port}`));
      assert.deepEqual(open.evidence.probedBecause, ['configured (/etc/mosquitto/mosquitto.conf:4)']);
      const disclosed = results(r, 'SVC-081').find((x) => x.status === 'FAIL' && x.message.includes(`EMQX dashboard / REST API on ${emqx.port}`));
      assert.ok(disclosed, JSON.stringify(results(r, 'SVC-081')));
      assert.match(String(disclosed.evidence.probedBecause), /configured \(\/etc\/emqx\/emqx\.conf:2\)/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('runAudit with --intrusive: the default logins are critical, one attempt per interface', async () => {
    reset();
    const r = await audit([], { scanPorts: [emqx.port, nano.port, mosq.port], mgmtPorts: [], timeoutMs: TIMEOUT, intrusive: true });
    const acc = results(r, 'ACC-071').filter((x) => x.status === 'FAIL');
    assert.deepEqual(acc.map((x) => x.severity), ['critical', 'critical']);
    assert.equal(logins(emqx), 1);
    assert.equal(logins(nano), 1);
    assert.equal(logins(mosq), 0);
    assert.ok(!JSON.stringify(r).includes('public'), 'the password is not in the report');
  });

  test('the CLI: JSON report, exit codes 0 and 1, exactly one login with --intrusive and none without', async () => {
    reset();
    const args = ['audit', '--no-host', '--ports', `${emqx.port},${nano.port}`, '--timeout', String(TIMEOUT), '-f', 'json', '--fail-on', 'critical'];
    const quiet = await runCli(args);
    // Without --intrusive nothing here is critical (SVC-081 is medium): exit 0.
    assert.equal(quiet.code, 0, quiet.stderr);
    const q = JSON.parse(quiet.stdout) as Report;
    assert.ok(q.results.some((x) => x.checkId === 'SVC-081' && x.status === 'FAIL'));
    assert.equal(logins(emqx) + logins(nano), 0);
    const loud = await runCli([...args, '--intrusive']);
    assert.equal(loud.code, 1, loud.stderr);
    const l = JSON.parse(loud.stdout) as Report;
    assert.equal(l.results.filter((x) => x.checkId === 'ACC-071' && x.status === 'FAIL' && x.severity === 'critical').length, 2);
    assert.equal(logins(emqx), 1);
    assert.equal(logins(nano), 1);
    assert.ok(!loud.stdout.includes('public') && !loud.stdout.includes('secret-token'));
  });
});
