/**
 * Benchmark: the TLS part of an audit (collectors/tls + the TLS checks) of
 * local Mosquitto TLS endpoints, side by side with testssl.sh on the same
 * endpoints when `testssl` (Debian package testssl.sh) is installed. Prints
 * the times, the speed ratio, and a verdict table on protocols, expiry, key
 * size, signature algorithm, trust and hostname.
 *
 * testssl.sh runs with the options that cover what mqtt-warden's TLS part
 * does (-p protocols, -S server defaults / certificate, -P server preference,
 * -E ciphers per protocol); its full default run adds vulnerability tests and
 * client simulations and takes minutes per endpoint.
 *
 * The two run interleaved per endpoint (mqtt-warden, testssl.sh, mqtt-warden, testssl.sh, …), so that load
 * from other work falls on both alike; medians and ratios. mqtt-warden is timed two ways: the TLS part
 * in-process (collector + TLS checks, the measure of the goal, median of BENCH_RUNS runs per pair) and the
 * whole CLI process auditing the endpoint (`audit URL --no-host --no-port-scan --ca …`: start-up, the TLS
 * part and the MQTT probes besides). Prints `GOAL tls-vs-testssl` for the weak endpoint (≥ 200×).
 *
 * BENCH_RUNS (default 5): in-process mqtt-warden runs per pair (their median is the pair's sample).
 * BENCH_PAIRS (default 3): interleaved pairs for the weak endpoint; BENCH_PAIRS_OTHERS (default 1) for the rest.
 * BENCH_TLS_ENDPOINTS: comma list out of good,weak,expired,wronghost (default all).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { collectTls } from '../src/collectors/tls/index.js';
import { CATALOGUE } from '../src/checks/index.js';
import { verdictList } from '../src/core/check.js';
import type { FactTypes } from '../src/core/facts.js';
import { makeEndpoint } from '../src/core/targets.js';
import type { Verdict } from '../src/core/types.js';
import { makeTlsPki, type LeafKind } from '../test/helpers/tls-pki.js';
import { startMosquitto } from '../test/helpers/mosquitto.js';
import { loadAverage, median, printGoal, ratioGoal } from './goal-line.js';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const PAIRS_OTHERS = Number(process.env.BENCH_PAIRS_OTHERS ?? 1);
const GOAL = 200;
const bin = new URL('../dist/cli.js', import.meta.url).pathname;
const WANTED = (process.env.BENCH_TLS_ENDPOINTS ?? 'good,weak,expired,wronghost').split(',').map((s) => s.trim().toLowerCase());
const ALL_ENDPOINTS: { name: string; leaf: LeafKind; extra?: string }[] = [
  { name: 'good', leaf: 'good', extra: 'tls_version tlsv1.2\nciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' },
  { name: 'weak', leaf: 'weak', extra: 'tls_version tlsv1.1\nciphers ALL:@SECLEVEL=0' },
  { name: 'expired', leaf: 'expired' },
  { name: 'wronghost', leaf: 'wrongHost' },
];
const ENDPOINTS = ALL_ENDPOINTS.filter((e) => WANTED.includes(e.name));


function which(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

type Row = { aspect: string; warden: string; testssl: string };

function judge(id: string, facts: Partial<FactTypes>): Verdict | undefined {
  const check = CATALOGUE.find((c) => c.meta.id === id)!;
  if (check.meta.needs.some((k) => !(k in facts))) return undefined;
  const vs = verdictList(check.judge(facts as never, { subject: '', host: 'localhost', loopback: true }));
  return vs.find((v) => v.status === 'FAIL') ?? vs[0];
}

/** mqtt-warden's view, normalised to the words of the table. */
function wardenView(facts: Partial<FactTypes>): Record<string, string> {
  const out: Record<string, string> = {};
  const p = facts['tls.protocols'];
  for (const v of ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3']) {
    const probe = p?.probes.find((x) => x.version === v);
    out[v] = probe ? (probe.state === 'offered' ? 'offered' : probe.state === 'not-offered' ? 'not offered' : probe.state) : 'n/a';
  }
  const c = facts['tls.certificate'];
  const leaf = c?.chain[0];
  const expiry = judge('TLS-010', facts);
  out.expiry = !leaf ? 'n/a' : expiry?.status === 'FAIL' && /expired/.test(expiry.message) ? 'expired' : expiry?.status === 'FAIL' ? 'expiring' : 'valid';
  out.keySize = leaf ? `${leaf.keyType === 'ec' ? 'EC' : leaf.keyType.toUpperCase()} ${leaf.keyBits}` : 'n/a';
  out.signature = leaf ? leaf.signatureHash.replace('-', '') : 'n/a';
  out.trust = c ? (c.trust.verified ? 'ok' : 'failed') : 'n/a';
  const host = judge('TLS-008', facts);
  out.hostname = host ? (host.status === 'PASS' ? 'ok' : 'mismatch') : 'n/a';
  return out;
}

/** testssl.sh's view from its flat JSON, normalised the same way. */
function testsslView(json: { id: string; finding: string }[]): Record<string, string> {
  const f = (id: string) => json.find((x) => x.id === id || x.id.startsWith(`${id} `))?.finding ?? '';
  const offered = (id: string) => {
    const s = f(id);
    return !s ? 'n/a' : /not offered/i.test(s) ? 'not offered' : /offered/i.test(s) ? 'offered' : s;
  };
  const out: Record<string, string> = {
    SSLv3: offered('SSLv3'),
    TLSv1: offered('TLS1'),
    'TLSv1.1': offered('TLS1_1'),
    'TLSv1.2': offered('TLS1_2'),
    'TLSv1.3': offered('TLS1_3'),
  };
  const exp = f('cert_expirationStatus');
  out.expiry = !exp ? 'n/a' : /expired/i.test(exp) ? 'expired' : /expires < ?\d+ days|<= ?\d+ days/i.test(exp) ? 'expiring' : 'valid';
  const key = f('cert_keySize'); // e.g. "EC 256 bits" / "RSA 1024 bits"
  out.keySize = key ? key.replace(/ bits.*$/, '').replace(/^ECDSA/, 'EC').trim() : 'n/a';
  const sig = f('cert_signatureAlgorithm'); // e.g. "ECDSA with SHA256"
  out.signature = /SHA1\b|SHA-1/i.test(sig) ? 'SHA1' : /SHA256/i.test(sig) ? 'SHA256' : /SHA384/i.test(sig) ? 'SHA384' : /MD5/i.test(sig) ? 'MD5' : sig || 'n/a';
  const trust = f('cert_chain_of_trust');
  out.trust = !trust ? 'n/a' : /^passed/i.test(trust) ? 'ok' : 'failed';
  const name = f('cert_trust');
  out.hostname = !name ? 'n/a' : /^Ok/i.test(name) ? 'ok' : 'mismatch';
  return out;
}

const dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-bench-${process.pid}-`));
try {
  const pki = await makeTlsPki(path.join(dir, 'pki'));
  const broker = await startMosquitto({
    allowAnonymous: true,
    listeners: ENDPOINTS.map((e) => ({ kind: 'mqtts' as const, tlsFiles: { certfile: pki.leaves[e.leaf].chain, keyfile: pki.leaves[e.leaf].key }, ...(e.extra ? { extra: e.extra } : {}) })),
  });
  const haveTestssl = which('testssl') || which('testssl.sh');
  const testsslBin = which('testssl') ? 'testssl' : 'testssl.sh';
  const ca = readFileSync(pki.rootCert, 'utf8');
  let wardenTotal = 0;
  let testsslTotal = 0;
  let agree = 0;
  let compared = 0;
  try {
    console.log(`load average before: ${await loadAverage()}`);
    for (const [i, e] of ENDPOINTS.entries()) {
      const port = broker.ports[i]!.port;
      // The name the certificates are issued for; Mosquitto listens on 127.0.0.1 only.
      const ep = makeEndpoint('mqtts', 'localhost', port, true);
      let facts: Partial<FactTypes> = {};
      /** The TLS part in-process: median of RUNS runs. */
      const wardenPart = async (): Promise<number> => {
        const times: number[] = [];
        for (let r = 0; r < RUNS; r++) {
          const t = performance.now();
          const got = await collectTls(ep, { timeoutMs: 3000, signal: AbortSignal.timeout(30_000), ca, concurrency: 4, crlFiles: [], revocationOnline: false, expiryWarnDays: [30, 60] });
          const ok = Object.fromEntries(Object.entries(got).flatMap(([k, v]) => (v.state === 'ok' ? [[k, v.value]] : [])));
          for (const c of CATALOGUE.filter((x) => x.meta.id.startsWith('TLS'))) judge(c.meta.id, ok);
          times.push(performance.now() - t);
          facts = ok;
        }
        return median(times);
      };
      /** The whole CLI process auditing the endpoint. */
      const wardenCli = (): number => {
        const t = performance.now();
        const r = spawnSync(process.execPath, [bin, 'audit', ep.uri, '--no-host', '--no-port-scan', '--ca', pki.rootCert, '-f', 'json', '--fail-on', 'none', '-q'], { encoding: 'utf8', timeout: 120_000 });
        const ms = performance.now() - t;
        if (r.status !== 0) throw new Error(`mqtt-warden CLI failed (exit ${r.status}): ${r.stderr.slice(0, 500)}`);
        return ms;
      };
      const jsonFile = path.join(dir, `${e.name}.json`);
      const testssl = (): number => {
        rmSync(jsonFile, { force: true });
        const t = performance.now();
        const r = spawnSync(testsslBin, ['--quiet', '--warnings', 'off', '--color', '0', '--add-ca', pki.rootCert, '--ip', '127.0.0.1', '--openssl-timeout', '5', '-p', '-S', '-P', '-E', '--jsonfile', jsonFile, `localhost:${port}`], { encoding: 'utf8', timeout: 900_000 });
        if (r.status === null) console.log(`testssl.sh did not end (${r.signal})`);
        return performance.now() - t;
      };
      const pairs = e.name === 'weak' ? PAIRS : PAIRS_OTHERS;
      const part: number[] = [];
      const cli: number[] = [];
      const other: number[] = [];
      const loads: string[] = [];
      for (let p = 0; p < pairs; p++) {
        part.push(await wardenPart());
        cli.push(wardenCli());
        if (haveTestssl) other.push(testssl());
        loads.push(await loadAverage());
      }
      const wardenMs = median(part);
      const cliMs = median(cli);
      wardenTotal += wardenMs;
      const w = wardenView(facts);
      console.log(`\n== ${e.name}: ${ep.uri} (leaf: ${e.leaf}${e.extra ? `; ${e.extra.replace(/\n/g, '; ')}` : ''}), ${pairs} interleaved pair(s), load average after each: ${loads.join(' | ')}`);
      console.log(`mqtt-warden TLS part (in-process): median ${wardenMs.toFixed(0)} ms (${part.map((x) => x.toFixed(0)).join(', ')}; each the median of ${RUNS} runs; 1 certificate + 4 protocol handshakes, 1 SSLv3 hello, ${(facts['tls.ciphers']?.versions ?? []).reduce((n, v) => n + v.handshakes, 0)} enumeration hellos)`);
      console.log(`mqtt-warden audit of the endpoint (whole CLI process): median ${cliMs.toFixed(0)} ms (${cli.map((x) => x.toFixed(0)).join(', ')})`);
      if (!haveTestssl) {
        console.log('testssl.sh not installed (apt-get install testssl.sh): no comparison');
        for (const [k, v] of Object.entries(w)) console.log(`  ${k.padEnd(10)} ${v}`);
        if (e.name === 'weak') printGoal('tls-vs-testssl', `not measured (testssl.sh not installed); mqtt-warden TLS part ${wardenMs.toFixed(0)} ms`, `≥ ${GOAL}× testssl.sh -p -S -P -E`, false, 'an unknown factor: install testssl.sh to measure');
        continue;
      }
      const testsslMs = median(other);
      testsslTotal += testsslMs;
      let json: { id: string; finding: string }[] = [];
      try {
        json = JSON.parse(readFileSync(jsonFile, 'utf8')) as typeof json;
      } catch {
        console.log('testssl.sh wrote no JSON');
      }
      const ts = testsslView(json);
      console.log(`testssl.sh -p -S -P -E: median ${(testsslMs / 1000).toFixed(1)} s (${other.map((x) => (x / 1000).toFixed(1)).join(', ')})   ratio ${(testsslMs / wardenMs).toFixed(0)}× to the TLS part, ${(testsslMs / cliMs).toFixed(0)}× to the whole CLI process`);
      if (e.name === 'weak') {
        ratioGoal(
          'tls-vs-testssl',
          testsslMs / wardenMs,
          `weak endpoint, 5 handshakes and ${1 + (facts['tls.ciphers']?.versions ?? []).reduce((n, v) => n + v.handshakes, 0)} raw ClientHellos; testssl.sh -p -S -P -E ${(testsslMs / 1000).toFixed(1)} s / mqtt-warden TLS part in-process ${wardenMs.toFixed(0)} ms, medians of ${pairs} interleaved pairs; whole CLI process ${cliMs.toFixed(0)} ms = ${(testsslMs / cliMs).toFixed(0)}×`,
          GOAL,
        );
      }
      const rows: Row[] = Object.keys(w).map((aspect) => ({ aspect, warden: w[aspect]!, testssl: ts[aspect] ?? 'n/a' }));
      console.log(`  ${'aspect'.padEnd(10)} ${'mqtt-warden'.padEnd(14)} ${'testssl.sh'.padEnd(14)} agree`);
      for (const row of rows) {
        // A version mqtt-warden could not probe is a known gap, not a disagreement (SSLv3 is asked with a raw hello now).
        const same = row.warden === row.testssl;
        const gap = row.warden === 'unprobeable';
        if (!gap) {
          compared++;
          if (same) agree++;
        }
        console.log(`  ${row.aspect.padEnd(10)} ${row.warden.padEnd(14)} ${row.testssl.padEnd(14)} ${gap ? 'gap (not probeable here)' : same ? 'yes' : 'NO'}`);
      }
    }
  } finally {
    await broker.stop();
  }
  console.log(`\nTotal mqtt-warden TLS part: ${(wardenTotal / 1000).toFixed(2)} s for ${ENDPOINTS.length} endpoints`);
  if (testsslTotal) {
    const ratio = testsslTotal / wardenTotal;
    console.log(`Total testssl.sh: ${(testsslTotal / 1000).toFixed(1)} s -> mqtt-warden's TLS part is ${ratio.toFixed(0)}× faster over all endpoints`);
    console.log(`Verdict agreement on the shared aspects: ${agree}/${compared}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
