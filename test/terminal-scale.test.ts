/**
 * The terminal report of a fleet: 1,000 endpoints × the real catalogue's endpoint
 * checks stay one screen per strategy, and a real audit of 50 Mosquitto
 * listeners groups its findings.
 */
import { after, before, describe, test } from 'node:test';
import { fixtureReport } from './helpers/report.js';
import assert from 'node:assert/strict';
import { CATALOGUE } from '../src/checks/index.js';
import { fingerprintOf } from '../src/core/fingerprint.js';
import { STRATEGIES } from '../src/core/types.js';
import type { CheckMeta, CheckResult, Report, Severity, Status, Suppression } from '../src/core/types.js';
import { renderTerminal } from '../src/reporters/terminal.js';
import { runCli } from './helpers/cli.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';

const META = new Map(CATALOGUE.map((c) => [c.meta.id, c.meta]));
const ENDPOINT_CHECKS = CATALOGUE.map((c) => c.meta).filter((m) => m.scope === 'endpoint');
const SECTION_BUDGET = 40;

function meta(id: string): CheckMeta {
  const m = META.get(id);
  assert.ok(m, `catalogue has ${id}`);
  return m;
}

function result(m: CheckMeta, subject: string, status: Status, message: string, extra: { severity?: Severity; suppression?: Suppression } = {}): CheckResult {
  const location = { uri: subject, kind: 'target' as const };
  return {
    checkId: m.id,
    name: m.name,
    title: m.title,
    strategy: m.strategy,
    severity: extra.severity ?? m.severity,
    status,
    subject,
    location,
    message,
    evidence: { identity: 'anonymous' },
    remediation: m.remediation,
    references: m.references,
    intrusive: m.intrusive,
    fingerprint: fingerprintOf({ checkId: m.id, subject, location, message }),
    ...(extra.suppression ? { suppression: extra.suppression } : {}),
  };
}

function report(results: CheckResult[], targets: string[]): Report {
  return fixtureReport(results, { finishedAt: '2025-01-15T10:02:03.450Z', durationMs: 123_450, targets: targets.map((uri) => ({ uri, explicit: true })) });
}

const WAIVER: Suppression = { kind: 'waiver', reason: 'test benches, no production data', expires: '2026-03-31', source: 'waivers.yaml:4' };
const BASELINE: Suppression = { kind: 'baseline', reason: 'baseline.json' };

/** 900 plaintext and 100 TLS endpoints, with the verdicts a fleet of default Mosquitto brokers gets. */
function fleet(): { report: Report; endpoints: string[]; tls: Set<string> } {
  const endpoints: string[] = [];
  const tls = new Set<string>();
  for (let i = 0; i < 1000; i++) {
    const host = `10.${20 + (i >> 8)}.${i & 255}.7`;
    const uri = i % 10 === 9 ? `mqtts://${host}:8883` : `mqtt://${host}:1883`;
    endpoints.push(uri);
    if (uri.startsWith('mqtts:')) tls.add(uri);
  }
  const results: CheckResult[] = [];
  for (const [i, uri] of endpoints.entries()) {
    const isTls = tls.has(uri);
    for (const m of ENDPOINT_CHECKS) {
      const add = (status: Status, message: string, extra: { severity?: Severity; suppression?: Suppression } = {}): void => {
        results.push(result(m, uri, status, message, extra));
      };
      switch (m.id) {
        case 'UPD-001':
          add('FAIL', `anonymous can read the broker version: "mosquitto version ${i % 3 === 0 ? '2.0.11' : '2.0.18'}"`);
          break;
        case 'ACC-001':
          add('FAIL', 'the broker accepted an anonymous CONNECT (MQTT 5, success)', i < 3 ? { suppression: WAIVER } : {});
          break;
        case 'ACC-002':
          add('FAIL', `anonymous reads arbitrary topics through #: its canary came back; ${[2, 15, 16][i % 3]} messages on ${[2, 15, 16][i % 3]} topics arrived`);
          break;
        case 'ACC-003':
          if (i >= 998) add('FAIL', 'subscription to $SYS/# granted to anonymous; 52 $SYS topics arrived', { suppression: BASELINE });
          else add('PASS', 'subscription to $SYS/# refused: SUBACK 0x87');
          break;
        case 'ACC-004':
          if (i % 200 === 5) add('ERROR', `the probe of ${uri} timed out after 3000 ms`);
          else add('PASS', 'no retained message was delivered to anonymous on #');
          break;
        case 'ACC-005':
          if (i % 100 === 42) add('FAIL', `an empty client ID was accepted (the broker assigned "auto-${(i * 7919).toString(16).toUpperCase()}")`);
          else add('PASS', 'an empty client ID was refused');
          break;
        case 'ACC-010':
          if (isTls) add('PASS', 'a CONNECT with neither password nor client certificate was refused');
          else add('SKIP', `${uri} is not a TLS endpoint (mqtts:// or wss://)`);
          break;
        default:
          if (m.intrusive) add('SKIP', 'intrusive check: run with --intrusive to enable it');
          else if (m.strategy !== 'tls') add('PASS', 'fine');
          else if (!isTls) add('SKIP', `${uri} is not a TLS endpoint (mqtts:// or wss://)`);
          else if (m.id === 'TLS-010') add('FAIL', `the server certificate expires in ${[12, 19, 26][i % 3]} day(s), within the 30-day warning`, { severity: 'medium' });
          else if (m.id === 'TLS-017' || m.id === 'TLS-019') add('FAIL', 'the certificate names no CRL distribution point and no OCSP responder');
          else add('PASS', 'fine');
      }
    }
  }
  return { report: report(results, endpoints), endpoints, tls };
}

/** The lines of every strategy section, by strategy number. */
function sections(out: string): Map<number, string[]> {
  const lines = out.split('\n');
  const starts = STRATEGIES.map((s) => lines.indexOf(`${s.number}. ${s.title}`));
  assert.ok(starts.every((p, i) => p > 0 && (i === 0 || p > starts[i - 1]!)), 'every strategy has a heading, in order');
  const end = lines.findIndex((l, i) => i > starts.at(-1)! && l === '');
  return new Map(STRATEGIES.map((s, i) => [s.number, lines.slice(starts[i]!, i + 1 < starts.length ? starts[i + 1]! - 1 : end)]));
}

interface Header {
  status: string;
  severity: string;
  checkId: string;
  place: string;
  line: number;
}

const HEADER = /^ {2}(FAIL|ERROR|SKIP|PASS) +(critical|high|medium|low|info)? +([A-Z]{3}-\d{3}) .* \[([^\]]+)\]( \(.*\))?$/;

function headers(out: string): Header[] {
  return out.split('\n').flatMap((l, line) => {
    const m = HEADER.exec(l);
    return m ? [{ status: m[1]!, severity: m[2] ?? '', checkId: m[3]!, place: m[4]!, line }] : [];
  });
}

/** Every `fix:` block with the check of the entry above it, joined back into one line. */
function fixes(out: string): { checkId: string; text: string }[] {
  const lines = out.split('\n');
  const found: { checkId: string; text: string }[] = [];
  let checkId = '';
  for (let i = 0; i < lines.length; i++) {
    const h = HEADER.exec(lines[i]!);
    if (h) checkId = h[3]!;
    if (!lines[i]!.startsWith('        fix: ')) continue;
    const parts = [lines[i]!.slice(13)];
    while (i + 1 < lines.length && /^ {13}\S/.test(lines[i + 1]!)) parts.push(lines[++i]!.slice(13));
    found.push({ checkId, text: parts.join(' ') });
  }
  return found;
}

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

describe('terminal report of 1,000 endpoints', () => {
  const { report: fleetReport, endpoints } = fleet();

  test('the fixture is 1,000 endpoints × every endpoint check of the catalogue', () => {
    assert.ok(ENDPOINT_CHECKS.length >= 30);
    assert.equal(fleetReport.results.length, 1000 * ENDPOINT_CHECKS.length);
    assert.equal(fleetReport.summary.suppressed, 5);
  });

  test('summary first, then at most one screen per strategy', () => {
    const started = performance.now();
    const out = renderTerminal(fleetReport, { color: false });
    assert.ok(performance.now() - started < 5000, 'renders in well under 5 s');
    const lines = out.split('\n');
    assert.match(lines[0]!, /^mqtt-warden 0\.1\.0 audit of mqtt:\/\/10\.20\.0\.7:1883, mqtt:\/\/10\.20\.1\.7:1883, mqtt:\/\/10\.20\.2\.7:1883, … and 997 more$/);
    const total = (1000 * ENDPOINT_CHECKS.length).toLocaleString('en-US');
    assert.match(lines[2]!, new RegExp(`^${total} checks: [\\d,]+ failed \\([\\d,]+ high, 100 medium, [\\d,]+ low\\), 5 errors, [\\d,]+ skipped, [\\d,]+ passed in 123\\.45s$`));
    assert.equal(lines[3], '1,000 targets, 5 suppressed, 0 not applicable');
    for (const [number, section] of sections(out)) {
      assert.ok(section.length <= SECTION_BUDGET, `section ${number} has ${section.length} lines:\n${section.join('\n')}`);
    }
    assert.ok(lines.length <= 5 * SECTION_BUDGET, `${lines.length} lines in all`);
  });

  test('identical findings are one entry with the count of their endpoints', () => {
    const out = renderTerminal(fleetReport, { color: false });
    const byCheck = (id: string): Header[] => headers(out).filter((h) => h.checkId === id);
    assert.deepEqual(
      byCheck('ACC-001').map((h) => [h.status, h.severity, h.place]),
      [['FAIL', 'high', '997 endpoints']],
    );
    const acc001 = out.split('\n')[byCheck('ACC-001')[0]!.line + 2]!;
    assert.equal(acc001, '        on mqtt://10.20.3.7:1883, mqtt://10.20.4.7:1883, mqtt://10.20.5.7:1883 … and 994 more');
    // Different numbers in the message: separate entries, counted right.
    assert.deepEqual(
      byCheck('ACC-002').map((h) => h.place),
      ['334 endpoints', '333 endpoints', '333 endpoints'],
    );
    assert.deepEqual(
      byCheck('UPD-001').map((h) => h.place),
      ['666 endpoints', '334 endpoints'],
    );
    assert.deepEqual(byCheck('ACC-003'), [], 'ACC-003 failed only where the baseline suppresses it');
    // The subject in the message does not split the entry.
    assert.deepEqual(
      byCheck('ACC-004').map((h) => [h.status, h.place]),
      [['ERROR', '5 endpoints']],
    );
    assert.match(out, /^ {8}the probe of <endpoint> timed out after 3000 ms$/m);
    // A different message per endpoint: one example and a count.
    assert.equal(byCheck('ACC-005').length, 1);
    assert.match(out, /^ {8}… and 9 other messages of ACC-005 on 9 endpoints \(-v lists them\)$/m);
    // SKIP and PASS are only counted.
    assert.ok(headers(out).every((h) => h.status === 'FAIL' || h.status === 'ERROR'));
    assert.match(out, /^ {2}[\d,]+ passed, [\d,]+ skipped, 5 suppressed \(-v lists them\)$/m);
  });

  test('every fix is printed once, in full', () => {
    const out = renderTerminal(fleetReport, { color: false });
    const found = fixes(out);
    const failing = new Set(fleetReport.results.filter((r) => r.status === 'FAIL' && !r.suppression).map((r) => r.checkId));
    assert.deepEqual(new Set(found.map((f) => f.checkId)), failing);
    assert.equal(found.length, failing.size, 'no check has two fix blocks');
    assert.equal(new Set(found.map((f) => f.text)).size, found.length, 'no fix text appears twice');
    for (const f of found) assert.equal(f.text, oneLine(meta(f.checkId).remediation), f.checkId);
  });

  test("every check's remediation in the catalogue renders completely, at several widths", () => {
    const all = CATALOGUE.map((c) => result(c.meta, 'mqtt://10.0.0.1:1883', 'FAIL', 'finding'));
    const withAbbreviations = CATALOGUE.filter((c) => /\b(e\.g|i\.e|etc)\./.test(c.meta.remediation));
    assert.ok(withAbbreviations.length > 0, 'some remediation texts contain e.g., i.e. or etc.');
    for (const width of [60, 100, 160]) {
      const out = renderTerminal(report(all, ['mqtt://10.0.0.1:1883']), { color: false, width });
      const found = fixes(out);
      assert.equal(found.length, CATALOGUE.length);
      for (const c of CATALOGUE) {
        const f = found.filter((x) => x.checkId === c.meta.id);
        assert.equal(f.length, 1, c.meta.id);
        assert.equal(f[0]!.text, oneLine(c.meta.remediation), `${c.meta.id} at width ${width}`);
      }
      for (const c of withAbbreviations) assert.ok(oneLine(out).includes(oneLine(c.meta.remediation)), c.meta.id);
    }
  });

  test('quiet: the summary and one header per check, status and severity', () => {
    const out = renderTerminal(fleetReport, { color: false, quiet: true });
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0]!, /^[\d,]+ checks: /);
    assert.equal(lines[1], '1,000 targets, 5 suppressed, 0 not applicable');
    const rest = lines.slice(2);
    assert.ok(rest.every((l) => HEADER.test(l)), out);
    assert.equal(headers(out).length, rest.length);
    const places = Object.fromEntries(headers(out).map((h) => [`${h.checkId} ${h.status}`, h.place]));
    assert.deepEqual(places, {
      'ACC-001 FAIL': '997 endpoints',
      'ACC-002 FAIL': '1,000 endpoints',
      'UPD-001 FAIL': '1,000 endpoints',
      'TLS-010 FAIL': '100 endpoints',
      'ACC-005 FAIL': '10 endpoints',
      'TLS-017 FAIL': '100 endpoints',
      'TLS-019 FAIL': '100 endpoints',
      'ACC-004 ERROR': '5 endpoints',
    });
    assert.doesNotMatch(out, /fix:|Access control|waived/);
  });

  test('verbose: every subject, PASS and SKIP, evidence, references and the suppressed results', () => {
    const out = renderTerminal(fleetReport, { color: false, verbose: true });
    const lines = out.split('\n');
    const acc001 = headers(out).filter((h) => h.checkId === 'ACC-001');
    assert.deepEqual(
      acc001.map((h) => h.place),
      ['997 endpoints', '3 endpoints'],
    );
    assert.equal(lines[acc001[1]!.line], '  FAIL  high     ACC-001 Anonymous clients can connect [3 endpoints] (waived: test benches, no production data, until 2026-03-31)');
    // Every endpoint of the big entry is listed.
    const listed = [];
    for (let i = acc001[0]!.line + 2; i < lines.length && /^ {8}(on | {3})/.test(lines[i]!); i++) listed.push(lines[i]!.slice(11));
    const subjects = listed.join(' ').split(', ');
    assert.equal(subjects.length, 997);
    assert.deepEqual(new Set(subjects), new Set(endpoints.slice(3)));
    assert.match(out, /^ {2}FAIL {2}low {6}ACC-003 .*\[2 endpoints\] \(in baseline\)$/m);
    assert.ok(headers(out).some((h) => h.status === 'PASS') && headers(out).some((h) => h.status === 'SKIP'));
    assert.match(out, /^ {8}evidence: identity=anonymous$/m);
    assert.match(out, /^ {8}refs: https:\/\/mosquitto\.org\/man\/mosquitto-conf-5\.html/m);
    assert.equal(headers(out).filter((h) => h.checkId === 'ACC-005' && h.status === 'FAIL').length, 10);
    assert.equal(new Set(fixes(out).map((f) => f.checkId)).size, fixes(out).length, 'one fix per check with -v too');
  });
});

describe('terminal report of a real audit of 50 Mosquitto listeners', { skip: mosquittoSkipReason() }, () => {
  let broker: MosquittoBroker;
  before(async () => {
    broker = await startMosquitto({ listeners: Array.from({ length: 50 }, () => ({ kind: 'mqtt' as const })), allowAnonymous: true, startTimeoutMs: 10_000 });
  });
  after(() => broker?.stop());

  test('ACC-001 is one entry on 50 endpoints and the report stays short', { timeout: 30_000 }, async () => {
    const urls = broker.ports.map((p) => p.url);
    assert.equal(new Set(urls).size, 50);
    const r = await runCli(['audit', ...urls, '--no-host', '--no-port-scan', '--window', '0', '--concurrency', '16'], { timeoutMs: 25_000 });
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.match(lines[2]!, /^[\d,]+ checks: [\d,]+ failed \(/, 'the summary comes first');
    assert.equal(lines[3], '50 targets, 0 suppressed, 1,050 not applicable', 'the 21 TLS checks of each plaintext endpoint are counted, not listed');
    const acc001 = headers(r.stdout).filter((h) => h.checkId === 'ACC-001');
    assert.deepEqual(
      acc001.map((h) => [h.status, h.severity, h.place]),
      [['FAIL', 'high', '50 endpoints']],
      r.stdout,
    );
    assert.match(r.stdout, /^ {8}the broker accepted an anonymous CONNECT \(MQTT [\d.]+, success\)$/m);
    for (const [number, section] of sections(r.stdout)) {
      assert.ok(section.length <= SECTION_BUDGET, `section ${number} has ${section.length} lines:\n${section.join('\n')}`);
    }
    assert.ok(lines.length <= 120, `${lines.length} lines:\n${r.stdout}`);
    const found = fixes(r.stdout);
    assert.equal(new Set(found.map((f) => f.checkId)).size, found.length, 'one fix per check');
    for (const f of found) assert.equal(f.text, oneLine(meta(f.checkId).remediation), f.checkId);
  });
});
