/**
 * The TLS audit against real Mosquitto TLS listeners (one good broker with
 * mutual TLS and a CRL; one bad broker with a listener per broken certificate
 * or setting) and Node TLS servers for what Mosquitto 2.0 with OpenSSL 3 will
 * not offer (TLS 1.0, client cipher order, no TLS 1.3). Every check is seen
 * passing on a good endpoint and failing on a bad one.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import tls from 'node:tls';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTlsPki, type LeafKind, type TlsPki } from './helpers/tls-pki.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { audit, result } from './helpers/audit.js';
import type { AuditOptions } from '../src/core/engine.js';
import type { Report } from '../src/core/types.js';

const skip = mosquittoSkipReason();
/** Timeouts for peers that do answer: they only bound a failure, so they can be long. */
const RELAXED = { windowMs: 200, timeoutMs: 10_000, targetTimeoutMs: 60_000 };
const STRICT_CIPHERS = 'ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305';

/** A Node TLS server that answers the first bytes with an MQTT 5 CONNACK (success) and then closes. */
async function nodeTlsServer(pki: TlsPki, options: tls.TlsOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const server = tls.createServer({ cert: readFileSync(pki.leaves.good.chain), key: readFileSync(pki.leaves.good.key), ...options }, (s) => {
    s.on('error', () => undefined);
    s.once('data', () => s.end(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00])));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return { url: `mqtts://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('TLS audit of real endpoints', { skip }, () => {
  let dir: string;
  let pki: TlsPki;
  let crlServer: http.Server;
  let crlHits = 0;
  let good: MosquittoBroker;
  let bad: MosquittoBroker;
  let goodReport: Report;
  let badReport: Report;
  const badUrl: Partial<Record<LeafKind | 'leafOnly', string>> = {};
  const goodAudit = (): Partial<AuditOptions> => ({
    tls: { ca: pki.pem.root, cert: readFileSync(pki.leaves.client.cert, 'utf8'), key: readFileSync(pki.leaves.client.key, 'utf8') },
    tlsAudit: { crlFiles: [{ name: pki.crl, data: readFileSync(pki.crl) }], revocationOnline: true },
  });

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-${process.pid}-`));
    // The CRL distribution point named in every leaf: a local HTTP server (for --revocation-online).
    let crlBody = Buffer.alloc(0);
    crlServer = http.createServer((req, res) => {
      crlHits += 1;
      res.writeHead(200, { 'content-type': 'application/pkix-crl' }).end(crlBody);
    });
    await new Promise<void>((r) => crlServer.listen(0, '127.0.0.1', r));
    const crlPort = (crlServer.address() as { port: number }).port;
    pki = await makeTlsPki(path.join(dir, 'pki'), { crlUrl: `http://127.0.0.1:${crlPort}/intermediate.crl` });
    crlBody = Buffer.from(pki.pem.crl);
    const cafile = path.join(dir, 'pki', 'cafile.pem');
    (await import('node:fs')).writeFileSync(cafile, pki.pem.root + pki.pem.intermediate);
    const L = pki.leaves;

    good = await startMosquitto({
      allowAnonymous: true,
      listeners: [
        {
          kind: 'mqtts',
          tlsFiles: { certfile: L.good.chain, keyfile: L.good.key, cafile, requireCertificate: true },
          extra: `tls_version tlsv1.2\nciphers ${STRICT_CIPHERS}\ncrlfile ${pki.crl}`,
        },
        { kind: 'wss', tlsFiles: { certfile: L.good.chain, keyfile: L.good.key, cafile, requireCertificate: true }, extra: `tls_version tlsv1.2\nciphers ${STRICT_CIPHERS}` },
      ],
    });
    const kinds: (LeafKind | 'leafOnly')[] = ['weak', 'expired', 'notYetValid', 'soon', 'wrongHost', 'cnOnly', 'selfSigned', 'caLeaf', 'revoked', 'leafOnly'];
    bad = await startMosquitto({
      allowAnonymous: true,
      listeners: kinds.map((k) => {
        const files = k === 'leafOnly' ? { certfile: L.good.cert, keyfile: L.good.key } : { certfile: L[k].chain, keyfile: L[k].key };
        return { kind: 'mqtts' as const, tlsFiles: files, ...(k === 'weak' ? { extra: 'tls_version tlsv1.1\nciphers ALL:@SECLEVEL=0' } : {}) };
      }),
    });
    kinds.forEach((k, i) => (badUrl[k] = bad.ports[i]!.url));
    // One audit after the other, with generous timeouts: these peers answer, and a starved event loop
    // (two test files on two cores) must not turn a slow answer into a timeout.
    goodReport = await audit(good.ports.map((p) => p.url), { ...goodAudit(), ...RELAXED });
    badReport = await audit(Object.values(badUrl), { tls: { ca: pki.pem.root }, tlsAudit: { crlFiles: [{ name: pki.crl, data: readFileSync(pki.crl) }] }, ...RELAXED });
  });

  after(async () => {
    await Promise.all([good?.stop(), bad?.stop(), new Promise((r) => crlServer?.close(r))]);
    rmSync(dir, { recursive: true, force: true });
  });

  const PASS_ON_GOOD = ['TLS-002', 'TLS-003', 'TLS-004', 'TLS-005', 'TLS-006', 'TLS-007', 'TLS-008', 'TLS-009', 'TLS-010', 'TLS-011', 'TLS-012', 'TLS-013', 'TLS-014', 'TLS-015', 'TLS-016', 'TLS-017', 'TLS-018', 'TLS-019', 'TLS-020', 'ACC-010'];

  test('a hardened Mosquitto (TLS ≥ 1.2, AEAD suites, full chain, mutual TLS, CRL): every TLS check passes on mqtts and wss', () => {
    for (const url of good.ports.map((p) => p.url)) {
      for (const id of PASS_ON_GOOD) {
        const r = result(goodReport, id, url);
        assert.equal(r.status, 'PASS', `${id} ${url}: ${r.status} ${r.message}`);
      }
      // SSLv3, which Node 20's OpenSSL 3 cannot send, is asked with our own ClientHello: Mosquitto refuses it.
      assert.equal(result(goodReport, 'TLS-001', url).status, 'PASS');
      assert.match(result(goodReport, 'TLS-001', url).message, /SSLv3 refused: the server answered with alert handshake_failure\(40\), to an SSLv3 ClientHello of our own/);
    }
    const mqtts = good.ports[0]!.url;
    assert.match(result(goodReport, 'TLS-016', mqtts).message, /crl-file .*crl-online|crl-online .*crl-file/);
    assert.ok(crlHits >= 1, 'the CRL distribution point was fetched with --revocation-online');
    assert.match(result(goodReport, 'TLS-019', mqtts).message, /first read|refused/);
    assert.match(result(goodReport, 'TLS-020', mqtts).message, /CN=warden-client/);
    const order = result(goodReport, 'TLS-006', mqtts).evidence as { preference: Record<string, string[]> };
    assert.deepEqual([...order.preference['TLSv1.2']!].sort(), STRICT_CIPHERS.split(':').sort(), 'the enumeration finds exactly the configured suites');
    // The probes with the client certificate feed the MQTT checks over TLS too.
    assert.equal(result(goodReport, 'ACC-001', mqtts).status, 'PASS');
  });

  test('the certificate connection carries a normal MQTT session: no protocol error from the audit beyond refused handshakes', () => {
    const log = good.readLog();
    assert.match(log, /New client connected from 127\.0\.0\.1:\d+ as mqtt-warden-[0-9a-f]+ \(p5/);
    assert.match(log, /Received DISCONNECT from mqtt-warden-/);
    // Mosquitto logs "Protocol error" for every refused TLS handshake (version or suite not offered), right
    // after the OpenSSL error. An MQTT-level protocol error would appear without one.
    const lines = log.split('\n');
    lines.forEach((l, i) => {
      if (/Protocol error/i.test(l)) assert.match(lines[i - 1] ?? '', /OpenSSL Error/, `protocol error not caused by a refused handshake: ${l}`);
    });
  });

  test('each broken certificate or setting fails its check on a real Mosquitto listener', () => {
    const fails = (id: string, url: string | undefined, re?: RegExp, severity?: string) => {
      const r = result(badReport, id, url);
      assert.equal(r.status, 'FAIL', `${id} ${url}: ${r.status} ${r.message}`);
      if (re) assert.match(r.message, re);
      if (severity) assert.equal(r.severity, severity, `${id} severity`);
    };
    fails('TLS-002', badUrl.weak, /TLSv1\.1/);
    fails('TLS-004', badUrl.weak, /anonymous/);
    fails('TLS-005', badUrl.weak, /without forward secrecy/, 'medium');
    fails('TLS-011', badUrl.weak, /RSA 1024/);
    fails('TLS-012', badUrl.weak, /SHA1/);
    fails('TLS-010', badUrl.expired, /expired \d+ day/, 'critical');
    fails('TLS-010', badUrl.notYetValid, /not valid before/, 'critical');
    fails('TLS-010', badUrl.soon, /expires in (19|20) day.*30-day/, 'medium');
    fails('TLS-008', badUrl.wrongHost, /does not name 127\.0\.0\.1/);
    assert.equal(result(badReport, 'TLS-007', badUrl.wrongHost).status, 'PASS', 'a name mismatch is not a chain failure');
    fails('TLS-009', badUrl.cnOnly, /only in its CN/);
    assert.equal(result(badReport, 'TLS-008', badUrl.cnOnly).status, 'PASS');
    fails('TLS-013', badUrl.selfSigned);
    fails('TLS-007', badUrl.selfSigned, /SELF_SIGNED/);
    fails('TLS-017', badUrl.selfSigned);
    fails('TLS-015', badUrl.caLeaf, /CA:TRUE/);
    fails('TLS-016', badUrl.revoked, /revoked .*keyCompromise/, 'critical');
    fails('TLS-014', badUrl.leafOnly, /intermediate is missing|not served/);
    fails('TLS-005', badUrl.expired, /CBC/, 'low'); // Mosquitto's default suites include ECDHE CBC/SHA-1
    fails('TLS-019', badUrl.expired);
    fails('ACC-010', badUrl.expired, /no password and no client certificate/);
    // And the same bad broker passes where it is not bad.
    assert.equal(result(badReport, 'TLS-010', badUrl.weak).status, 'PASS');
    assert.equal(result(badReport, 'TLS-016', badUrl.weak).status, 'PASS');
    assert.equal(result(badReport, 'TLS-002', badUrl.expired).status, 'PASS');
    assert.equal(result(badReport, 'TLS-004', badUrl.expired).status, 'PASS');
  });

  test('a client certificate from another CA is refused (TLS-020), forged and stale CRLs are reported (TLS-018)', async () => {
    const url = good.ports[0]!.url;
    const r = await audit([url], {
      tls: { ca: pki.pem.root, cert: readFileSync(pki.leaves.selfSigned.cert, 'utf8'), key: readFileSync(pki.leaves.selfSigned.key, 'utf8') },
      tlsAudit: { crlFiles: [pki.forgedCrl, pki.staleCrl].map((f) => ({ name: f, data: readFileSync(f) })) },
      ...RELAXED,
      windowMs: 0,
    });
    assert.equal(result(r, 'TLS-020', url).status, 'FAIL');
    const crl = r.results.filter((x) => x.checkId === 'TLS-018' && x.subject === url);
    assert.ok(crl.some((x) => x.status === 'FAIL' && /does not verify/.test(x.message)), JSON.stringify(crl.map((x) => x.message)));
    assert.ok(crl.some((x) => x.status === 'FAIL' && /stale/.test(x.message)), JSON.stringify(crl.map((x) => x.message)));
    // The forged CRL proves nothing, the stale one no absence: revocation is not judged.
    assert.equal(result(r, 'TLS-016', url).status, 'SKIP');
  });

  test('Node TLS servers: TLS 1.0, NULL suites, client cipher order, no TLS 1.3', async () => {
    const legacy = await nodeTlsServer(pki, { minVersion: 'TLSv1', ciphers: 'ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA:ECDHE-ECDSA-NULL-SHA:@SECLEVEL=0', honorCipherOrder: false });
    const modern = await nodeTlsServer(pki, { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: STRICT_CIPHERS, honorCipherOrder: true });
    try {
      const r = await audit([legacy.url, modern.url], { tls: { ca: pki.pem.root }, ...RELAXED, windowMs: 0 });
      assert.equal(result(r, 'TLS-002', legacy.url).status, 'FAIL');
      assert.match(result(r, 'TLS-002', legacy.url).message, /TLSv1 \(.*TLSv1\.1/);
      assert.equal(result(r, 'TLS-004', legacy.url).status, 'FAIL');
      assert.match(result(r, 'TLS-004', legacy.url).message, /NULL-SHA \(null\)/);
      assert.equal(result(r, 'TLS-006', legacy.url).status, 'FAIL');
      assert.equal(result(r, 'TLS-006', modern.url).status, 'PASS');
      assert.equal(result(r, 'TLS-003', modern.url).status, 'FAIL');
      assert.equal(result(r, 'TLS-003', legacy.url).status, 'PASS');
      assert.equal(result(r, 'ACC-010', legacy.url).status, 'FAIL');
    } finally {
      await Promise.all([legacy.close(), modern.close()]);
    }
  });
  test('TLS 1.2 with a demanded client certificate: refused in the handshake; with --cert the certificate is still inspected', async () => {
    const ca = pki.pem.root + pki.pem.intermediate;
    const strict = await nodeTlsServer(pki, { maxVersion: 'TLSv1.2', requestCert: true, rejectUnauthorized: true, ca });
    try {
      const without = await audit([strict.url], { tls: { ca: pki.pem.root }, ...RELAXED, windowMs: 0 });
      assert.equal(result(without, 'TLS-019', strict.url).status, 'PASS');
      assert.match(result(without, 'TLS-019', strict.url).message, /handshake without one was refused/);
      assert.equal(result(without, 'ACC-010', strict.url).status, 'PASS');
      // Without a certificate of our own the server's certificate cannot be read (TLS 1.2 refuses before): SKIP, not PASS.
      assert.equal(result(without, 'TLS-007', strict.url).status, 'SKIP');
      assert.match(result(without, 'TLS-007', strict.url).message, /--cert\/--key/);
      const cert = readFileSync(pki.leaves.client.cert, 'utf8');
      const key = readFileSync(pki.leaves.client.key, 'utf8');
      const withCert = await audit([strict.url], { tls: { ca: pki.pem.root, cert, key }, ...RELAXED, windowMs: 0 });
      assert.equal(result(withCert, 'TLS-007', strict.url).status, 'PASS');
      assert.equal(result(withCert, 'TLS-020', strict.url).status, 'PASS');
      assert.equal(result(withCert, 'TLS-002', strict.url).status, 'PASS');
      assert.equal(result(withCert, 'TLS-003', strict.url).status, 'FAIL');
    } finally {
      await strict.close();
    }
  });
});
