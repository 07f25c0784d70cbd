/** The TLS flags of `audit` on the command line: usage errors up front, and a real run against Mosquitto. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeTlsPki, type TlsPki } from './helpers/tls-pki.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { runCli as run } from './helpers/cli.js';



describe('audit TLS flags', () => {
  let dir: string;
  let pki: TlsPki;
  let broker: MosquittoBroker | undefined;
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-cli-${process.pid}-`));
    pki = await makeTlsPki(path.join(dir, 'pki'));
  });
  after(async () => {
    await broker?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a --crl that is missing or not a CRL, and bad --expiry-warn-days / --tls-concurrency, are usage errors (exit 2) before any probe', async () => {
    const notCrl = path.join(dir, 'not.crl');
    writeFileSync(notCrl, '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const cases: [string[], RegExp][] = [
      [['--crl', path.join(dir, 'missing.crl')], /cannot read CRL file .*missing\.crl: ENOENT/],
      [['--crl', notCrl], /bad --crl: .*not\.crl: not a CRL/],
      [['--expiry-warn-days', '30,x'], /--expiry-warn-days must be a whole number/],
      [['--tls-concurrency', '0'], /--tls-concurrency must be between 1 and 32/],
    ];
    for (const [flags, re] of cases) {
      const r = await run(['audit', 'mqtts://127.0.0.1:1', '--no-host', ...flags]);
      assert.equal(r.code, 2, `${flags.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, re);
    }
  });

  test('a real audit: JSON report with TLS results, days left in the evidence, exit 1 with --fail-on low', { skip: mosquittoSkipReason() }, async () => {
    broker = await startMosquitto({ allowAnonymous: false, listeners: [{ kind: 'mqtts', tlsFiles: { certfile: pki.leaves.soon.chain, keyfile: pki.leaves.soon.key } }] });
    const url = broker.ports[0]!.url;
    const r = await run(['audit', url, '--no-host', '-f', 'json', '--ca', pki.rootCert, '--crl', pki.crl, '--expiry-warn-days', '10,30', '--tls-concurrency', '2', '--window', '0', '--fail-on', 'low', '--timeout', '10000', '--target-timeout', '60000']);
    assert.equal(r.code, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { results: { checkId: string; status: string; severity: string; evidence: Record<string, unknown> }[] };
    const expiry = report.results.find((x) => x.checkId === 'TLS-010')!;
    assert.equal(expiry.status, 'FAIL');
    assert.equal(expiry.severity, 'low', 'within 30 days but not within 10: the later threshold');
    assert.ok(typeof expiry.evidence.daysLeft === 'number' && expiry.evidence.daysLeft >= 18 && expiry.evidence.daysLeft <= 20, JSON.stringify(expiry.evidence));
    assert.equal(report.results.find((x) => x.checkId === 'TLS-016')!.status, 'PASS');
    assert.equal(report.results.find((x) => x.checkId === 'TLS-007')!.status, 'PASS');
  });
});
