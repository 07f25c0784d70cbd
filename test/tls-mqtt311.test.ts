/**
 * The TLS audit speaks MQTT 3.1.1 to a broker that refuses MQTT 5 (Aedes, older brokers): a TLS listener
 * that lets anyone in is found (TLS-019, ACC-010) instead of ending in "unacceptable protocol version".
 * Real Aedes behind a real TLS server on loopback.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import { Aedes } from 'aedes';
import { collectTls } from '../src/collectors/tls/index.js';
import { makeEndpoint } from '../src/core/targets.js';
import { judgeOne } from '../src/core/engine.js';
import tls019 from '../src/checks/tls-019-client-certificate-not-required.js';
import { makeTlsPki, type TlsPki } from './helpers/tls-pki.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-tls311-'));
let pki: TlsPki;
let server: tls.Server;
let broker: Aedes;
let port = 0;
let connects: number[] = [];

before(async () => {
  pki = await makeTlsPki(dir);
  broker = await Aedes.createBroker();
  broker.on('client', () => undefined);
  server = tls.createServer({ cert: readFileSync(pki.leaves.good.chain), key: readFileSync(pki.leaves.good.key) }, (s) => {
    s.on('error', () => undefined);
    s.once('data', (b: Buffer) => {
      // The protocol level byte of the CONNECT (after the fixed header, the length and "MQTT"): 4 = 3.1.1, 5 = MQTT 5.
      const i = b.indexOf('MQTT');
      if (i > 0) connects.push(b[i + 4]!);
      s.unshift(b);
      broker.handle(s);
    });
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
after(async () => {
  await new Promise<void>((r) => server.close(() => r()));
  await new Promise<void>((r) => broker.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

test('an anonymous TLS listener of a 3.1.1-only broker is found: MQTT 5 refused, then 3.1.1 accepted', async () => {
  connects = [];
  const ep = makeEndpoint('mqtts', '127.0.0.1', port, true);
  const facts = await collectTls(ep, { timeoutMs: 3000, concurrency: 2, crlFiles: [], revocationOnline: false, expiryWarnDays: [30], ca: readFileSync(pki.rootCert) });
  const auth = facts['tls.clientAuth'];
  assert.equal(auth.state, 'ok', JSON.stringify(auth));
  const w = auth.state === 'ok' ? auth.value.withoutCertificate : undefined;
  assert.equal(w?.outcome, 'accepted', JSON.stringify(w));
  assert.equal(w?.connack?.protocolVersion, 4);
  assert.equal(w?.connack?.accepted, true);
  assert.match(w?.detail ?? '', /MQTT 3\.1\.1: the broker refused MQTT 5/);
  assert.deepEqual(connects, [5, 4], 'one MQTT 5 CONNECT, then one 3.1.1 CONNECT on a new connection');
  const verdicts = judgeOne(tls019, facts as never, { subject: ep.uri, host: '127.0.0.1', loopback: true }, false);
  assert.deepEqual(verdicts.map((v) => v.status), ['FAIL']);
});
