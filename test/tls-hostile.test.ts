/** Hostile TLS peers end in ERROR results within the timeouts, never in PASS, never in a hang. */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hugeChainTlsServer, serverHelloThenGarbageServer, stallingTlsServer, type HostileTlsServer } from './helpers/tls-hostile.js';
import { makeTlsPki } from './helpers/tls-pki.js';
import { audit, result } from './helpers/audit.js';
import type { Report } from '../src/core/types.js';

const TLS_CHECKS = ['TLS-002', 'TLS-003', 'TLS-004', 'TLS-005', 'TLS-006', 'TLS-007', 'TLS-008', 'TLS-010', 'TLS-011', 'TLS-012', 'TLS-013', 'TLS-014', 'TLS-015', 'TLS-016', 'TLS-017', 'TLS-018', 'TLS-019', 'TLS-020', 'ACC-010'];

describe('hostile TLS peers', () => {
  let dir: string;
  const servers: Record<string, HostileTlsServer> = {};
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-hostile-${process.pid}-`));
    const pki = await makeTlsPki(dir);
    servers.stall = await stallingTlsServer();
    servers.garbage = await serverHelloThenGarbageServer();
    servers.huge = await hugeChainTlsServer(readFileSync(pki.leaves.good.cert, 'utf8'), readFileSync(pki.leaves.good.key, 'utf8'), pki.pem.intermediate);
  });
  after(async () => {
    await Promise.all(Object.values(servers).map((s) => s.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  const clientIdentity = () => ({ cert: readFileSync(path.join(dir, 'client.crt'), 'utf8'), key: readFileSync(path.join(dir, 'client.key'), 'utf8') });
  const allError = (report: Report, url: string, name: string) => {
    for (const id of TLS_CHECKS) {
      const r = result(report, id, url);
      assert.equal(r.status, 'ERROR', `${name} ${id}: ${r.status} ${r.message}`);
    }
  };

  test('a handshake that stalls: every TLS check is ERROR, bounded by the handshake timeout', async () => {
    const url = `mqtts://127.0.0.1:${servers.stall!.port}`;
    const t0 = performance.now();
    const report = await audit([url], { timeoutMs: 1000, targetTimeoutMs: 60_000, windowMs: 0, tls: clientIdentity() });
    allError(report, url, 'stall');
    assert.match(result(report, 'TLS-007', url).message, /no TLS handshake within 1000 ms/);
    // A few sequential rounds of 1 s (certificate, protocols, client certificate), far from the 60 s deadline.
    const ms = performance.now() - t0;
    assert.ok(ms < 20_000, `the audit took ${Math.round(ms)} ms`);
  });

  test('garbage after the ServerHello and a 300 KiB chain: every TLS check is ERROR naming the cause', async () => {
    const urls = { garbage: `mqtts://127.0.0.1:${servers.garbage!.port}`, huge: `mqtts://127.0.0.1:${servers.huge!.port}` };
    // A long timeout: these peers answer at once, and the verdict must name what they sent, not a timeout.
    const report = await audit(Object.values(urls), { timeoutMs: 10_000, targetTimeoutMs: 60_000, windowMs: 0, tls: clientIdentity() });
    allError(report, urls.garbage, 'garbage');
    allError(report, urls.huge, 'huge chain');
    assert.match(result(report, 'TLS-007', urls.garbage).message, /packet length too long|wrong version number|record/i);
    assert.match(result(report, 'TLS-007', urls.huge).message, /excessive message size/i);
    assert.ok(report.durationMs < 20_000, `the audit took ${report.durationMs} ms`);
  });

  test('the per-target deadline cuts the TLS audit even when the handshake timeout is longer', async () => {
    const url = `mqtts://127.0.0.1:${servers.stall!.port}`;
    const t0 = performance.now();
    const report = await audit([url], { timeoutMs: 60_000, targetTimeoutMs: 800, windowMs: 0 });
    for (const id of ['TLS-002', 'TLS-004', 'TLS-007', 'TLS-019']) {
      const r = result(report, id, url);
      assert.equal(r.status, 'ERROR', `${id}: ${r.status} ${r.message}`);
      assert.match(r.message, /deadline/);
    }
    assert.ok(performance.now() - t0 < 15_000, `took ${Math.round(performance.now() - t0)} ms`);
  });
});
