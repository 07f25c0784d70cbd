/**
 * Recorded findings: what the built CLI (dist/cli.js, the bundle users run) reports on a fixed set of
 * real Mosquitto listeners and on fixed broker logs, compared with a recording kept in
 * test/fixtures/golden/. The guard against a speed-up that changes a verdict: every performance change
 * (issue 16) must leave these byte-for-byte equal, or change the recording in the same commit with the
 * reason in its message.
 *
 * What is compared, after normalising what differs between runs (ports, serials, fingerprints, random
 * client IDs, temporary paths, durations, dates): per target, every result's check, status and message;
 * per log, `guard test`'s counts, per-address failures and ban decisions.
 *
 * The listeners come from the test PKI and Mosquitto's own TLS; a machine with another Mosquitto version
 * gives other (correct) answers, so the comparison then says SKIP with both versions instead of failing.
 *
 * UPDATE_GOLDEN=1 rewrites the recording; GOLDEN_CLI=path compares another build (e.g. an older
 * checkout's dist/cli.js, to record the "before" of a change).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runProcess } from './helpers/cli.js';
import { CLI as BUILT_CLI, requireBuild } from './helpers/guard.js';
import { mosquittoSkipReason, mosquittoVersion, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { makeTlsPki, type TlsPki } from './helpers/tls-pki.js';

const CLI = process.env.GOLDEN_CLI ? path.resolve(process.env.GOLDEN_CLI) : BUILT_CLI;
const UPDATE = process.env.UPDATE_GOLDEN === '1';
const GOLDEN_DIR = new URL('./fixtures/golden/', import.meta.url).pathname;
const LOGS_DIR = new URL('./fixtures/logs/', import.meta.url).pathname;
const skip = mosquittoSkipReason();

interface Recording {
  /** Mosquitto's version and the OpenSSL release series Node was built with: both shape the answers. */
  mosquitto: string;
  openssl: string;
  entries: Record<string, unknown>;
}

const OPENSSL_SERIES = (process.versions.openssl ?? 'unknown').replace(/^(\d+\.\d+).*/, '$1');

function run(args: string[], timeoutMs = 60_000) {
  return runProcess(process.execPath, [CLI, ...args], { timeoutMs });
}

/** What differs from run to run, replaced by a placeholder; the rest of a message is kept as written. */
export function normalise(text: string, ports: Map<number, string>, dirs: string[]): string {
  let s = text;
  for (const d of dirs) s = s.split(d).join('<tmp>');
  s = s.replace(/(127\.0\.0\.1|localhost):(\d+)/g, (m, h: string, p: string) => `${h}:${ports.get(Number(p)) ?? '<port>'}`);
  s = s.replace(/\bport (\d{4,5})\b/g, (m, p: string) => `port ${ports.get(Number(p)) ?? '<port>'}`);
  s = s.replace(/\b[0-9A-F]{2}(:[0-9A-F]{2}){15,}\b/gi, '<fingerprint>');
  s = s.replace(/\b[0-9a-f]{32,}\b/gi, '<hex>');
  s = s.replace(/\b[0-9A-F]{16}\b/g, '<serial>');
  s = s.replace(/mqtt-warden-[A-Za-z0-9_-]+/g, 'mqtt-warden-<id>');
  s = s.replace(/\bauto-[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}\b/g, 'auto-<uuid>');
  s = s.replace(/\bNode v\d+\.\d+\.\d+/g, 'Node <version>');
  s = s.replace(/\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?/g, '<date>');
  s = s.replace(/\b\d+(\.\d+)? ?(ms|s)\b/g, '<duration>');
  s = s.replace(/\bOpenSSL \d+\.\d+\.\d+[a-z]?/g, `OpenSSL ${OPENSSL_SERIES}.x`);
  return s;
}

/** The generator of bench/guard.bench.ts (same seed): refused logins from 10.x addresses among sessions from 172.16.x. */
function benchLog(lines: number): string {
  const parts: string[] = [];
  let t = 1_700_000_000;
  let n = 0;
  let port = 1024;
  let seed = 12345;
  const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
  while (n < lines) {
    if (rnd() < 0.01) t++;
    port = port >= 65000 ? 1024 : port + 1;
    if (rnd() < 0.39) {
      parts.push(`${t}: New connection from 10.${Math.floor(rnd() * 20)}.0.${Math.floor(rnd() * 250)}:${port} on port 8883.\n${t}: Client <unknown> disconnected, not authorised.\n`);
      n += 2;
    } else {
      const ip = `172.16.${Math.floor(rnd() * 8)}.${Math.floor(rnd() * 250)}`;
      const id = `sensor-${Math.floor(rnd() * 1e6)}`;
      parts.push(`${t}: New connection from ${ip}:${port} on port 1883.\n${t}: New client connected from ${ip}:${port} as ${id} (p2, c1, k60, u'sensor').\n${t}: Client ${id} disconnected.\n`);
      n += 3;
    }
  }
  return parts.join('');
}

function compare(name: string, actual: unknown, t: { skip(msg: string): void }): void {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  const version = mosquittoVersion() ?? 'unknown';
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    const rec: Recording = { mosquitto: version, openssl: OPENSSL_SERIES, entries: actual as Record<string, unknown> };
    writeFileSync(file, `${JSON.stringify(rec, null, 2)}\n`);
    return;
  }
  const recorded = JSON.parse(readFileSync(file, 'utf8')) as Recording;
  if (recorded.mosquitto !== version || recorded.openssl !== OPENSSL_SERIES) {
    t.skip(`recorded with Mosquitto ${recorded.mosquitto} and OpenSSL ${recorded.openssl}, this machine has ${version} and ${OPENSSL_SERIES}: not comparable`);
    return;
  }
  assert.deepEqual(actual, recorded.entries, `${name}: the findings differ from test/fixtures/golden/${name}.json (UPDATE_GOLDEN=1 rewrites it when the change is intended)`);
}

describe('recorded findings of the built CLI', { skip }, () => {
  let dir: string;
  let pki: TlsPki;
  let open: MosquittoBroker;
  let closed: MosquittoBroker;
  const ports = new Map<number, string>();

  before(async () => {
    requireBuild();
    dir = mkdtempSync(path.join(os.tmpdir(), 'mw-golden-'));
    pki = await makeTlsPki(path.join(dir, 'pki'));
    // One broker with anonymous access on a plaintext listener and four TLS listeners of known quality.
    open = await startMosquitto({
      allowAnonymous: true,
      listeners: [
        { kind: 'mqtt' },
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.good.chain, keyfile: pki.leaves.good.key }, extra: 'tls_version tlsv1.2\nciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' },
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.weak.chain, keyfile: pki.leaves.weak.key }, extra: 'tls_version tlsv1.1\nciphers ALL:@SECLEVEL=0' },
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.expired.chain, keyfile: pki.leaves.expired.key } },
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.wrongHost.chain, keyfile: pki.leaves.wrongHost.key } },
      ],
    });
    ['plain-anonymous', 'tls-good', 'tls-weak', 'tls-expired', 'tls-wronghost'].forEach((n, i) => ports.set(open.ports[i]!.port, n));
    // One broker with passwords and an ACL.
    closed = await startMosquitto({
      allowAnonymous: false,
      users: { sensor: 'k7#Vq9!zR2wPx4mT', admin: 'admin' },
      acl: 'user sensor\ntopic readwrite sensors/#\n\nuser admin\ntopic readwrite #\n',
      listeners: [{ kind: 'mqtt' }],
    });
    ports.set(closed.ports[0]!.port, 'plain-passwords');
  });

  after(async () => {
    await open?.stop();
    await closed?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('audit: every result of every target (check, status, message)', async (t) => {
    const targets = [...open.ports, ...closed.ports].map((p) => p.url);
    const passwordFile = path.join(dir, 'sensor.password');
    writeFileSync(passwordFile, 'k7#Vq9!zR2wPx4mT\n', { mode: 0o600 });
    const dirs = [dir, os.tmpdir()];
    const byTarget: Record<string, string[]> = {};
    // Anonymous everywhere, then the passwords broker again with an identity (what an ACL lets it do).
    const runs: [string, string[]][] = [
      // One target at a time: targets of one broker probed side by side see each other's canaries.
      ['', ['audit', ...targets, '--no-host', '--ca', pki.rootCert, '--concurrency', '1', '-f', 'json']],
      [' as sensor', ['audit', closed.ports[0]!.url, '--no-host', '-u', 'sensor', '--password-file', passwordFile, '-f', 'json']],
    ];
    for (const [as, args] of runs) {
      const r = await run(args, 120_000);
      assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
      const report = JSON.parse(r.stdout) as { results: { checkId: string; subject: string; status: string; message: string }[] };
      for (const x of report.results) {
        // The targets' results only: the host-wide ones (standard ports, Erlang, management) depend on
        // what else this machine runs.
        if (!/^(mqtts?|wss?):\/\//.test(x.subject)) continue;
        const target = normalise(x.subject, ports, dirs) + as;
        (byTarget[target] ??= []).push(`${x.checkId} ${x.status} ${normalise(x.message, ports, dirs)}`);
      }
    }
    for (const k of Object.keys(byTarget)) byTarget[k]!.sort();
    const sorted = Object.fromEntries(Object.entries(byTarget).sort(([a], [b]) => (a < b ? -1 : 1)));
    assert.ok(Object.keys(sorted).length >= 7, `expected the seven target runs, got ${Object.keys(sorted).join(', ')}`);
    compare('audit-findings', sorted, t);
  });

  it('guard test: counts, per-address failures and bans of each recorded log', async (t) => {
    const logs = readFileSync(path.join(LOGS_DIR, 'README.md'), 'utf8').match(/[\w.-]+\.log/g) ?? [];
    const files = [...new Set(logs)].sort().map((f) => path.join(LOGS_DIR, f));
    assert.ok(files.length >= 7, `expected the fixture logs, got ${files.join(', ')}`);
    // and the benchmark's shape (bench/guard.bench.ts), 20,000 lines: the byte-level fast path's log.
    const generated = path.join(dir, 'generated-20k.log');
    writeFileSync(generated, benchLog(20_000));
    files.push(generated);
    const out: Record<string, unknown> = {};
    for (const file of files) {
      const f = path.basename(file);
      const r = await run(['guard', 'test', file, '--format', 'json', '--no-allow-defaults', '--top', '100']);
      assert.equal(r.code, 0, `${f}: exit ${r.code}: ${r.stderr}`);
      const j = JSON.parse(r.stdout) as Record<string, unknown>;
      out[f] = { failures: j.failures, unattributedFailures: j.unattributedFailures, protocolErrors: j.protocolErrors, connections: j.connections, lines: j.lines, perIp: j.perIp, bans: j.bans, usernames: j.usernames };
    }
    compare('guard-findings', out, t);
  });
});
