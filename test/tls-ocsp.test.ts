/**
 * OCSP with a real responder (`openssl ocsp`, signing as the issuing CA):
 * --revocation-online asks the responder the leaf names, a stapled response
 * is read from the handshake, and both decide TLS-016/TLS-017.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { makeTlsPki, type TlsPki } from './helpers/tls-pki.js';
import { freePort } from './helpers/ports.js';
import { audit, result } from './helpers/audit.js';

function opensslDate(d: Date): string {
  return d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

describe('OCSP: online responder and stapling', () => {
  let dir: string;
  let pki: TlsPki;
  let responder: http.Server;
  let requests = 0;
  const servers: tls.Server[] = [];
  const urls: Record<string, string> = {};

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-ocsp-${process.pid}-`));
    const port = await freePort();
    pki = await makeTlsPki(path.join(dir, 'pki'), { ocspUrl: `http://127.0.0.1:${port}` });
    const year = opensslDate(new Date(Date.now() + 365 * 86_400_000));
    const index = [
      `V\t${year}\t\t${pki.serials.good}\tunknown\t/CN=localhost`,
      `R\t${year}\t${opensslDate(new Date(Date.now() - 2 * 86_400_000))},keyCompromise\t${pki.serials.revoked}\tunknown\t/CN=localhost`,
      '',
    ].join('\n');
    writeFileSync(path.join(dir, 'index.txt'), index);
    // The responder: OpenSSL's own OCSP logic (`openssl ocsp -index … -reqin … -respout …`) behind a
    // loopback HTTP server (`openssl ocsp -port` would listen on every interface).
    let n = 0;
    const answer = (req: Buffer, signer = { cert: pki.intermediateCert, key: pki.intermediateKey }): Buffer => {
      const reqFile = path.join(dir, `req-${++n}.der`);
      const respFile = path.join(dir, `resp-${n}.der`);
      writeFileSync(reqFile, req);
      execFileSync('openssl', ['ocsp', '-index', path.join(dir, 'index.txt'), '-rsigner', signer.cert, '-rkey', signer.key, '-CA', pki.intermediateCert, '-ndays', '1', '-reqin', reqFile, '-respout', respFile], { stdio: 'ignore', timeout: 10_000 });
      return readFileSync(respFile);
    };
    responder = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests += 1;
        res.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(answer(Buffer.concat(chunks)));
      });
    });
    await new Promise<void>((r) => responder.listen(port, '127.0.0.1', r));
    // A stapled response for the good leaf, asked once from the responder.
    const stapleReq = path.join(dir, 'staple.req');
    execFileSync('openssl', ['ocsp', '-issuer', pki.intermediateCert, '-cert', pki.leaves.good.cert, '-reqout', stapleReq, '-no_nonce'], { stdio: 'ignore', timeout: 10_000 });
    const staple = answer(readFileSync(stapleReq));
    // The same answer signed by a key the CA never certified.
    const forged = answer(readFileSync(stapleReq), { cert: pki.leaves.selfSigned.cert, key: pki.leaves.selfSigned.key });
    for (const [name, kind, stapled] of [['stapling', 'good', staple], ['revoked', 'revoked', null], ['forged', 'good', forged]] as const) {
      const server = tls.createServer({ cert: readFileSync(pki.leaves[kind].chain), key: readFileSync(pki.leaves[kind].key) }, (s) => {
        s.on('error', () => undefined);
        s.once('data', () => s.end(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00])));
      });
      if (stapled) server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, cb: (err: Error | null, resp?: Buffer) => void) => cb(null, stapled));
      server.on('tlsClientError', () => undefined);
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      servers.push(server);
      urls[name] = `mqtts://127.0.0.1:${(server.address() as { port: number }).port}`;
    }
  });

  after(async () => {
    await Promise.all([...servers, responder].map((s) => new Promise((r) => s?.close(r))));
    rmSync(dir, { recursive: true, force: true });
  });

  test('stapled and online OCSP "good" pass; an OCSP "revoked" fails TLS-016', async () => {
    const report = await audit(Object.values(urls), { tls: { ca: pki.pem.root }, tlsAudit: { revocationOnline: true }, windowMs: 0, timeoutMs: 10_000, targetTimeoutMs: 60_000 });
    const good = result(report, 'TLS-016', urls.stapling);
    assert.equal(good.status, 'PASS', good.message + JSON.stringify(good.evidence));
    assert.match(good.message, /ocsp-stapled/);
    assert.match(good.message, /ocsp http:\/\/127\.0\.0\.1/);
    assert.equal(result(report, 'TLS-017', urls.stapling).status, 'PASS');
    assert.match(result(report, 'TLS-017', urls.stapling).message, /stapled OCSP/);
    const revoked = result(report, 'TLS-016', urls.revoked);
    assert.equal(revoked.status, 'FAIL', revoked.message);
    assert.match(revoked.message, /revoked according to ocsp/);
    assert.equal(revoked.severity, 'critical');
  });

  test('a stapled response signed by an uncertified key is unusable, not "good"', async () => {
    const report = await audit([urls.forged!], { tls: { ca: pki.pem.root }, windowMs: 0, timeoutMs: 10_000, targetTimeoutMs: 60_000 });
    const r = result(report, 'TLS-016', urls.forged);
    assert.equal(r.status, 'SKIP', r.message);
    assert.match(r.message, /ocsp-stapled .*does not verify/);
  });

  test('without --revocation-online the responder is not asked', async () => {
    const before = requests;
    const report = await audit([urls.revoked!], { tls: { ca: pki.pem.root }, windowMs: 0, timeoutMs: 10_000, targetTimeoutMs: 60_000 });
    assert.equal(requests, before, 'no OCSP request without --revocation-online');
    assert.equal(result(report, 'TLS-016', urls.revoked).status, 'SKIP');
  });
});
