import { test } from 'node:test';
import { fixtureReport } from './helpers/report.js';
import { fingerprintOf } from '../src/core/fingerprint.js';
import assert from 'node:assert/strict';
import { reportErrors, reportSchema, sarifErrors } from './helpers/schemas.js';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { SEVERITIES, STATUSES, STRATEGIES } from '../src/core/types.js';
import type { CheckMeta, CheckResult, Location, Report, ReportSummary, Severity, Status, Suppression } from '../src/core/types.js';
import { REPORT_FORMATS, renderReport } from '../src/reporters/index.js';
import { renderHtml } from '../src/reporters/html.js';
import { REPORT_SCHEMA_ID, renderJson } from '../src/reporters/json.js';
import { renderJunit } from '../src/reporters/junit.js';
import { SARIF_MAX_RESULTS, SARIF_SCHEMA_URI, renderSarif } from '../src/reporters/sarif.js';
import { renderTerminal } from '../src/reporters/terminal.js';

// ---------------------------------------------------------------- fixtures

function check(id: string, name: string, title: string, strategy: CheckMeta['strategy'], severity: Severity, intrusive = false): CheckMeta {
  return {
    id,
    name,
    title,
    strategy,
    severity,
    scope: 'endpoint',
    intrusive,
    needs: ['mqtt.probe'],
    description: `${title}: description of ${name}.`,
    remediation: `Fix ${name} in the broker configuration. Then restart the broker and run mqtt-warden again.`,
    references: [`https://mqtt-warden.dev/checks/${id}`],
  };
}

const CATALOGUE: readonly CheckMeta[] = [
  check('UPD-001', 'broker-version-outdated', 'Broker version is outdated', 'updates', 'high'),
  check('UPD-002', 'openssl-version', 'OpenSSL version is supported', 'updates', 'medium'),
  check('TLS-001', 'plaintext-listener', 'Plaintext MQTT listener', 'tls', 'medium'),
  check('TLS-002', 'weak-tls-protocols', 'Weak TLS protocol versions', 'tls', 'high'),
  check('TLS-003', 'certificate-expiry', 'Certificate expires soon', 'tls', 'medium'),
  check('SVC-001', 'unused-websocket-listener', 'Unused WebSocket listener', 'services', 'low'),
  check('ACC-001', 'anonymous-access', 'Anonymous access allowed', 'access', 'critical'),
  check('ACC-002', 'default-credentials', 'Default credentials accepted', 'access', 'critical', true),
  check('ACC-003', 'client-id-takeover', 'Client ID takeover possible', 'access', 'high', true),
  check('CFG-001', 'sys-topics-exposed', '$SYS topics readable', 'awareness', 'medium'),
  check('CFG-002', 'logging-enabled', 'Connection logging enabled', 'awareness', 'info'),
];

const ESC = '\u001b';
const TARGET = 'mqtt://10.0.0.5:1883';
const SPECIAL = `topic "a/<&'>" is readable & writable`;
const CONFIG_FILE = 'file:///etc/mosquitto/mosquitto.conf';

function metaOf(id: string): CheckMeta {
  const meta = CATALOGUE.find((c) => c.id === id);
  assert.ok(meta, `fixture catalogue has ${id}`);
  return meta;
}

function result(
  checkId: string,
  status: Status,
  message: string,
  extra: { severity?: Severity; location?: Location; evidence?: Record<string, unknown>; subject?: string; suppression?: Suppression } = {},
): CheckResult {
  const meta = metaOf(checkId);
  const subject = extra.subject ?? TARGET;
  return {
    checkId,
    name: meta.name,
    title: meta.title,
    strategy: meta.strategy,
    severity: extra.severity ?? meta.severity,
    status,
    subject,
    location: extra.location ?? { uri: subject, kind: 'target' },
    message,
    evidence: extra.evidence ?? {},
    remediation: meta.remediation,
    references: meta.references,
    intrusive: meta.intrusive,
    fingerprint: fingerprintOf({ checkId, subject, location: extra.location ?? { uri: subject, kind: 'target' }, message }),
    ...(extra.suppression ? { suppression: extra.suppression } : {}),
  };
}

function summarize(results: readonly CheckResult[]): ReportSummary {
  const summary: ReportSummary = {
    PASS: 0,
    FAIL: 0,
    SKIP: 0,
    ERROR: 0,
    failuresBySeverity: { info: 0, low: 0, medium: 0, high: 0, critical: 0 },
    suppressed: 0,
    notApplicable: 0,
  };
  for (const r of results) {
    summary[r.status] += 1;
    if (r.suppression) summary.suppressed += 1;
    else if (r.status === 'FAIL') summary.failuresBySeverity[r.severity] += 1;
  }
  return summary;
}

function makeReport(results: CheckResult[]): Report {
  // The summary is counted here, independently of the code under test.
  return fixtureReport(results, {
    finishedAt: '2025-01-15T10:00:00.840Z',
    durationMs: 840,
    options: { intrusive: false, host: true, network: true, failOn: 'high', identity: 'anonymous' },
    targets: [{ uri: TARGET, explicit: true }],
    notes: ['Intrusive checks were skipped: run with --intrusive to enable them.'],
    summary: summarize(results),
  });
}

// Engine order on purpose: the terminal reporter has to sort within each strategy.
const REPORT = makeReport([
  result('UPD-001', 'FAIL', 'Mosquitto 1.6.9 is end of life', { evidence: { version: '1.6.9', product: 'mosquitto' } }),
  result('UPD-002', 'PASS', 'OpenSSL 3.0.13 is supported'),
  result('TLS-002', 'SKIP', 'No TLS endpoint to test'),
  result('TLS-001', 'FAIL', SPECIAL, { evidence: { scheme: 'mqtt', topics: ['a/#', 'b/+'] } }),
  result('TLS-003', 'ERROR', 'TLS handshake timed out after 5000 ms'),
  result('ACC-002', 'SKIP', 'Intrusive checks are disabled'),
  result('ACC-003', 'PASS', 'Client ID takeover is refused'),
  result('ACC-001', 'FAIL', 'Anonymous clients can connect and subscribe to #', {
    subject: '10.0.0.5',
    location: { uri: CONFIG_FILE, kind: 'file', line: 12, column: 1 },
    evidence: { allow_anonymous: true, listener: 1883 },
  }),
  // Effective severity lowered from the check's medium; the banner carries a terminal escape sequence.
  result('CFG-001', 'FAIL', 'Broker banner "mosquitto\u001b[2J" is readable on $SYS/broker/version', { severity: 'low' }),
  result('CFG-002', 'PASS', 'Connection logging is enabled'),
]);

const FAILS = REPORT.results.filter((r) => r.status === 'FAIL');

// ---------------------------------------------------------------- JSON

test('json: output carries the schema id, round-trips the report and validates against schema/report.schema.json', () => {
  assert.equal(reportSchema.$id, REPORT_SCHEMA_ID);
  const json = JSON.parse(renderJson(REPORT)) as Record<string, unknown>;
  assert.equal(json.$schema, REPORT_SCHEMA_ID);
  const { $schema: _schema, aggregate, ...rest } = json as Record<string, unknown> & { aggregate: { subjects: number; groups: { results: number; subjects: number; examples: string[] }[] } };
  assert.deepEqual(rest, REPORT);
  assert.equal(reportErrors(json), '');
  // The fleet view: every FAIL and ERROR result in exactly one group, counted here independently.
  assert.equal(aggregate.subjects, new Set(REPORT.results.map((r) => r.subject)).size);
  assert.equal(aggregate.groups.reduce((n, g) => n + g.results, 0), REPORT.results.filter((r) => r.status === 'FAIL' || r.status === 'ERROR').length);
  for (const g of aggregate.groups) assert.equal(g.examples.length, Math.min(g.subjects, 10));
});

test('json schema: rejects a wrong status, a missing location.uri and other deviations from the Report type', () => {
  type Rendered = Report & { $schema: string };
  const mutations: [string, (r: Rendered) => void][] = [
    ['wrong status', (r) => (r.results[0]!.status = 'WARN' as never)],
    ['missing location.uri', (r) => delete (r.results[7]!.location as Partial<Location>).uri],
    ['wrong severity', (r) => (r.results[0]!.severity = 'severe' as never)],
    ['unknown strategy', (r) => (r.results[0]!.strategy = 'physical' as never)],
    ['unknown result member', (r) => Object.assign(r.results[0]!, { password: 'secret' })],
    ['missing summary', (r) => delete (r as Partial<Rendered>).summary],
    ['bad timestamp', (r) => (r.startedAt = 'yesterday')],
    ['line 0', (r) => (r.results[7]!.location.line = 0)],
    ['wrong schema id', (r) => (r.$schema = 'https://example.com/other.json')],
    ['a PASS group in the aggregate', (r) => ((r as unknown as { aggregate: { groups: { status: string }[] } }).aggregate.groups[0]!.status = 'PASS')],
    ['an unknown aggregate member', (r) => Object.assign((r as unknown as { aggregate: object }).aggregate, { hosts: 3 })],
  ];
  for (const [label, mutate] of mutations) {
    const json = JSON.parse(renderJson(REPORT)) as Rendered;
    mutate(json);
    assert.notEqual(reportErrors(json), '', `schema accepted a report with ${label}`);
  }
  // Evidence is open.
  const open = JSON.parse(renderJson(REPORT)) as Rendered;
  open.results[0]!.evidence.anything = { nested: [1, 2] };
  assert.equal(reportErrors(open), '');
});

// ---------------------------------------------------------------- SARIF

interface SarifLog {
  $schema: string;
  version: string;
  runs: {
    tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; properties: Record<string, unknown> }[] } };
    invocations: {
      executionSuccessful: boolean;
      startTimeUtc: string;
      endTimeUtc: string;
      toolExecutionNotifications: { level: string; message: { text: string }; descriptor?: { id: string } }[];
    }[];
    results: {
      ruleId: string;
      ruleIndex: number;
      level: string;
      message: { text: string };
      locations: { physicalLocation: { artifactLocation?: { uri?: string }; region?: { startLine: number; startColumn?: number } } }[];
      partialFingerprints: Record<string, string>;
      properties: { severity: string; evidence: Record<string, unknown> };
    }[];
  }[];
}

/** GitHub code scanning rejects the whole upload if one result lacks an artifact URI. */
function assertArtifactUris(log: SarifLog): void {
  for (const run of log.runs) {
    for (const [i, r] of run.results.entries()) {
      const uri = r.locations[0]?.physicalLocation.artifactLocation?.uri;
      assert.ok(typeof uri === 'string' && uri.length > 0, `result ${i} (${r.ruleId}) has no physicalLocation.artifactLocation.uri`);
    }
  }
}

function sarif(report: Report = REPORT, catalogue: readonly CheckMeta[] = CATALOGUE): SarifLog {
  return JSON.parse(renderSarif(report, catalogue)) as SarifLog;
}

test('sarif: validates against the official SARIF 2.1.0 schema and every result has an artifact URI', () => {
  const log = sarif();
  assert.equal(sarifErrors(log), '');
  assertArtifactUris(log);
  assert.equal(log.$schema, SARIF_SCHEMA_URI);
  assert.equal(log.version, '2.1.0');
  assert.equal(log.runs.length, 1);
});

test('sarif: a result without artifact location or URI is caught', () => {
  const noArtifact = sarif();
  delete noArtifact.runs[0]!.results[1]!.locations[0]!.physicalLocation.artifactLocation;
  assert.throws(() => assertArtifactUris(noArtifact), /result 1 .* has no physicalLocation\.artifactLocation\.uri/);
  assert.notEqual(sarifErrors(noArtifact), '');

  // The schema itself accepts an artifactLocation without uri: only our assertion catches it.
  const noUri = sarif();
  delete noUri.runs[0]!.results[0]!.locations[0]!.physicalLocation.artifactLocation!.uri;
  assert.equal(sarifErrors(noUri), '');
  assert.throws(() => assertArtifactUris(noUri), /has no physicalLocation\.artifactLocation\.uri/);
});

test('sarif: one rule per catalogue check with level, tags and security-severity', () => {
  const { rules } = sarif().runs[0]!.tool.driver;
  assert.deepEqual(
    rules.map((r) => r.id),
    CATALOGUE.map((c) => c.id),
  );
  const acc001 = rules[CATALOGUE.findIndex((c) => c.id === 'ACC-001')]!;
  assert.equal(acc001.defaultConfiguration.level, 'error');
  assert.deepEqual(acc001.properties, { tags: ['security', 'access'], 'security-severity': '9.5' });
  const expected: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '1.0' };
  for (const [i, meta] of CATALOGUE.entries()) {
    assert.equal(rules[i]!.properties['security-severity'], expected[meta.severity], meta.id);
  }
});

test('sarif: exactly one result per FAIL, with level, ruleIndex, location and fingerprint', () => {
  const run = sarif().runs[0]!;
  assert.equal(run.results.length, FAILS.length);
  const levels: Record<string, string> = { 'UPD-001': 'error', 'TLS-001': 'warning', 'ACC-001': 'error', 'CFG-001': 'note' };
  assert.deepEqual(new Set(run.results.map((r) => r.ruleId)), new Set(Object.keys(levels)));
  for (const r of run.results) {
    assert.equal(r.level, levels[r.ruleId], r.ruleId);
    assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, r.ruleId, `ruleIndex of ${r.ruleId}`);
    const source = FAILS.find((f) => f.checkId === r.ruleId)!;
    assert.ok(r.message.text.includes(source.subject), `message of ${r.ruleId} names the subject`);
    assert.equal(r.properties.severity, source.severity);
    assert.deepEqual(r.properties.evidence, source.evidence);
    assert.match(Object.values(r.partialFingerprints)[0] ?? '', /^[0-9a-f]{64}$/);
  }
  const fileResult = run.results.find((r) => r.ruleId === 'ACC-001')!;
  assert.deepEqual(fileResult.locations[0]!.physicalLocation, { artifactLocation: { uri: CONFIG_FILE }, region: { startLine: 12, startColumn: 1 } });
  const targetResult = run.results.find((r) => r.ruleId === 'UPD-001')!;
  assert.deepEqual(targetResult.locations[0]!.physicalLocation, { artifactLocation: { uri: TARGET } });

  // Fingerprints are stable across runs and differ between findings.
  const again = sarif().runs[0]!.results;
  assert.deepEqual(
    again.map((r) => r.partialFingerprints),
    run.results.map((r) => r.partialFingerprints),
  );
  assert.equal(new Set(run.results.map((r) => JSON.stringify(r.partialFingerprints))).size, run.results.length);
});

test('sarif: ERROR results become tool execution notifications; the invocation carries the report times', () => {
  const [invocation] = sarif().runs[0]!.invocations;
  assert.ok(invocation);
  assert.equal(invocation.executionSuccessful, true);
  assert.equal(invocation.startTimeUtc, REPORT.startedAt);
  assert.equal(invocation.endTimeUtc, REPORT.finishedAt);
  assert.equal(invocation.toolExecutionNotifications.length, 1);
  const [notification] = invocation.toolExecutionNotifications;
  assert.equal(notification?.level, 'error');
  assert.equal(notification?.descriptor?.id, 'TLS-003');
  assert.match(notification?.message.text ?? '', /TLS handshake timed out/);
});

test('sarif: a FAIL of a check missing from the catalogue still gets a rule', () => {
  const catalogue = CATALOGUE.filter((c) => c.id !== 'TLS-001');
  const log = sarif(REPORT, catalogue);
  assert.equal(sarifErrors(log), '');
  const run = log.runs[0]!;
  assert.equal(run.tool.driver.rules.length, CATALOGUE.length);
  const r = run.results.find((x) => x.ruleId === 'TLS-001')!;
  assert.equal(run.tool.driver.rules[r.ruleIndex]?.id, 'TLS-001');
});

test('sarif: more than the maximum of results is truncated, least severe first, with a notification', () => {
  const many = Array.from({ length: SARIF_MAX_RESULTS - 1 }, (_, i) => result('TLS-001', 'FAIL', 'plaintext', { subject: `mqtt://10.1.${i >> 8}.${i & 255}:1883` }));
  const report = makeReport([result('CFG-001', 'FAIL', 'banner', { severity: 'low' }), ...many, result('ACC-001', 'FAIL', 'anonymous')]);
  const run = sarif(report).runs[0]!;
  assert.equal(run.results.length, SARIF_MAX_RESULTS);
  assert.ok(run.results.some((r) => r.ruleId === 'ACC-001'));
  assert.equal(run.results.filter((r) => r.ruleId === 'TLS-001').length, SARIF_MAX_RESULTS - 1);
  assert.ok(!run.results.some((r) => r.ruleId === 'CFG-001'));
  const notes = run.invocations[0]!.toolExecutionNotifications;
  assert.equal(notes.length, 1);
  assert.match(notes[0]!.message.text, /at most 25000 results.*the 1 least severe of 25001 failures/);
});

// ---------------------------------------------------------------- JUnit

interface JunitCase {
  classname: string;
  name: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  skipped?: { message: string };
  error?: { message: string };
}
interface JunitCounts {
  tests: string;
  failures: string;
  errors: string;
  skipped: string;
}
interface JunitSuite extends JunitCounts {
  name: string;
  testcase?: JunitCase[];
}
interface JunitRoot extends JunitCounts {
  name: string;
  time: string;
  testsuite: JunitSuite[];
}

function parseJunit(xml: string): JunitRoot {
  assert.equal(XMLValidator.validate(xml), true);
  const parser = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  });
  return (parser.parse(xml) as { testsuites: JunitRoot }).testsuites;
}

function countsOf(results: readonly CheckResult[]): JunitCounts {
  const count = (s: Status): string => String(results.filter((r) => r.status === s).length);
  return { tests: String(results.length), failures: count('FAIL'), errors: count('ERROR'), skipped: count('SKIP') };
}

test('junit: XML declaration, one suite per strategy in order, counts match the report', () => {
  const xml = renderJunit(REPORT);
  assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /);
  const root = parseJunit(xml);
  assert.equal(root.name, 'mqtt-warden');
  assert.equal(root.time, '0.840');
  const { tests, failures, errors, skipped } = root;
  assert.deepEqual({ tests, failures, errors, skipped }, countsOf(REPORT.results));
  assert.deepEqual(
    root.testsuite.map((s) => s.name),
    STRATEGIES.map((s) => `${s.number}. ${s.title}`),
  );
  for (const [i, strategy] of STRATEGIES.entries()) {
    const suite = root.testsuite[i]!;
    const results = REPORT.results.filter((r) => r.strategy === strategy.id);
    assert.deepEqual(
      { tests: suite.tests, failures: suite.failures, errors: suite.errors, skipped: suite.skipped },
      countsOf(results),
      strategy.id,
    );
    assert.equal((suite.testcase ?? []).length, results.length, strategy.id);
  }
});

test('junit: testcases carry failure/skipped/error elements, special characters round-trip', () => {
  const cases = parseJunit(renderJunit(REPORT)).testsuite.flatMap((s) => s.testcase ?? []);
  const byId = (id: string): JunitCase => {
    const found = cases.find((c) => c.name.startsWith(`${id} `));
    assert.ok(found, `testcase for ${id}`);
    return found;
  };

  const tls001 = byId('TLS-001');
  assert.equal(tls001.classname, 'mqtt-warden.tls');
  assert.equal(tls001.name, `TLS-001 Plaintext MQTT listener [${TARGET}]`);
  assert.equal(tls001.failure?.type, 'medium');
  assert.equal(tls001.failure.message, SPECIAL);
  assert.ok(tls001.failure['#text'].startsWith(SPECIAL));
  assert.match(tls001.failure['#text'], /Remediation: Fix plaintext-listener/);

  assert.equal(byId('CFG-001').failure?.type, 'low');
  assert.equal(byId('TLS-002').skipped?.message, 'No TLS endpoint to test');
  assert.equal(byId('TLS-003').error?.message, 'TLS handshake timed out after 5000 ms');
  const pass = byId('UPD-002');
  assert.equal(pass.failure ?? pass.skipped ?? pass.error, undefined);
  assert.equal(byId('CFG-001').name, 'CFG-001 $SYS topics readable [mqtt://10.0.0.5:1883]');
  // The ESC in the banner is not allowed in XML 1.0 and is replaced.
  assert.ok(!(byId('CFG-001').failure?.message ?? ESC).includes(ESC));
});

// ---------------------------------------------------------------- suppressed results

const WAIVER = { kind: 'waiver', reason: 'plaintext only on the lab network', expires: '2026-06-30', source: 'mqtt-warden.yaml:12' } as const;
const IN_BASELINE = { kind: 'baseline', reason: 'in baseline baseline.json' } as const;
/** TLS-001 waived, ACC-001 in the baseline; UPD-001 and CFG-001 stay findings. */
const SUPPRESSED = makeReport(
  REPORT.results.map((r) => (r.checkId === 'TLS-001' ? { ...r, suppression: WAIVER } : r.checkId === 'ACC-001' ? { ...r, suppression: IN_BASELINE } : r)),
);
const fingerprintOfCheck = (id: string) => REPORT.results.find((r) => r.checkId === id && r.status === 'FAIL')!.fingerprint;

test('json schema: suppression as the Report type has it; a wrong kind or date is rejected', () => {
  type Rendered = Report & { $schema: string };
  const json = JSON.parse(renderJson(SUPPRESSED)) as Rendered;
  assert.equal(reportErrors(json), '');
  const badKind = structuredClone(json);
  badKind.results.find((r) => r.suppression)!.suppression!.kind = 'ignore' as never;
  assert.notEqual(reportErrors(badKind), '');
  const badDate = structuredClone(json);
  badDate.results.find((r) => r.suppression?.kind === 'waiver')!.suppression!.expires = '30.06.2026';
  assert.notEqual(reportErrors(badDate), '');
  const noReason = structuredClone(json);
  delete (noReason.results.find((r) => r.suppression)!.suppression as Partial<Suppression>).reason;
  assert.notEqual(reportErrors(noReason), '');
});

interface SarifSuppressionOut {
  kind: string;
  status: string;
  justification: string;
  location?: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } };
  properties?: Record<string, unknown>;
}
type SuppressedSarifResult = SarifLog['runs'][number]['results'][number] & { suppressions?: SarifSuppressionOut[]; baselineState?: string };

test('sarif: suppressed results stay, with an external accepted suppression and its justification', () => {
  const log = JSON.parse(renderSarif(SUPPRESSED, CATALOGUE)) as SarifLog;
  assert.equal(sarifErrors(log), '');
  assertArtifactUris(log);
  const results = log.runs[0]!.results as SuppressedSarifResult[];
  assert.equal(results.length, FAILS.length);
  const by = (id: string) => results.find((r) => r.ruleId === id)!;
  assert.deepEqual(by('TLS-001').suppressions, [
    {
      kind: 'external',
      status: 'accepted',
      justification: 'plaintext only on the lab network (waiver until 2026-06-30)',
      location: { physicalLocation: { artifactLocation: { uri: 'mqtt-warden.yaml' }, region: { startLine: 12 } } },
      properties: { kind: 'waiver', expires: '2026-06-30' },
    },
  ]);
  assert.deepEqual(by('ACC-001').suppressions, [{ kind: 'external', status: 'accepted', justification: 'in baseline baseline.json', properties: { kind: 'baseline' } }]);
  assert.equal(by('UPD-001').suppressions, undefined);
  // Without a baseline there is no baselineState.
  assert.ok(results.every((r) => r.baselineState === undefined));
});

test('sarif: with a baseline every result has baselineState new or unchanged', () => {
  const baseline = { fingerprints: new Set([fingerprintOfCheck('ACC-001'), fingerprintOfCheck('UPD-001'), 'f'.repeat(64)]) };
  const log = JSON.parse(renderSarif(SUPPRESSED, CATALOGUE, { baseline })) as SarifLog;
  assert.equal(sarifErrors(log), '');
  const states = Object.fromEntries((log.runs[0]!.results as SuppressedSarifResult[]).map((r) => [r.ruleId, r.baselineState]));
  assert.deepEqual(states, { 'ACC-001': 'unchanged', 'UPD-001': 'unchanged', 'TLS-001': 'new', 'CFG-001': 'new' });
  // renderReport passes the baseline on.
  assert.equal(renderReport('sarif', SUPPRESSED, { color: false, catalogue: CATALOGUE, baseline }), renderSarif(SUPPRESSED, CATALOGUE, { baseline }));
  // An invalid baselineState would be caught by the schema.
  (log.runs[0]!.results[0] as SuppressedSarifResult).baselineState = 'gone';
  assert.notEqual(sarifErrors(log), '');
});

test('sarif: truncation drops suppressed results before any finding', () => {
  const many = Array.from({ length: SARIF_MAX_RESULTS }, (_, i) => ({
    ...result('TLS-001', 'FAIL', 'plaintext', { subject: `mqtt://10.1.${i >> 8}.${i & 255}:1883` }),
    ...(i === 0 ? {} : { suppression: IN_BASELINE }),
  }));
  const run = sarif(makeReport([...many, result('CFG-001', 'FAIL', 'banner', { severity: 'low' })])).runs[0]!;
  assert.equal(run.results.length, SARIF_MAX_RESULTS);
  assert.ok(run.results.some((r) => r.ruleId === 'CFG-001'), 'the low finding is kept, a suppressed high one dropped');
  assert.equal((run.results as SuppressedSarifResult[]).filter((r) => !r.suppressions).length, 2);
});

test('junit: a suppressed FAIL is a skipped test case with the reason, not a failure', () => {
  const root = parseJunit(renderJunit(SUPPRESSED));
  const cases = root.testsuite.flatMap((s) => s.testcase ?? []);
  const byId = (id: string) => cases.find((c) => c.name.startsWith(`${id} `))!;
  assert.equal(byId('TLS-001').failure, undefined);
  assert.equal(byId('TLS-001').skipped?.message, `waived until 2026-06-30 (mqtt-warden.yaml:12): plaintext only on the lab network — ${SPECIAL}`);
  assert.equal(byId('ACC-001').failure, undefined);
  assert.equal(byId('ACC-001').skipped?.message, 'in baseline baseline.json — Anonymous clients can connect and subscribe to #');
  assert.equal(byId('UPD-001').failure?.type, 'high');
  const counts = countsOf(REPORT.results);
  assert.deepEqual(
    { tests: root.tests, failures: root.failures, errors: root.errors, skipped: root.skipped },
    { ...counts, failures: String(Number(counts.failures) - 2), skipped: String(Number(counts.skipped) + 2) },
  );
  const tls = root.testsuite[STRATEGIES.findIndex((s) => s.id === 'tls')]!;
  assert.equal(tls.failures, '0');
  assert.equal(tls.skipped, '2');
});

// ---------------------------------------------------------------- terminal

const SUMMARY = '10 checks: 4 failed (1 critical, 1 high, 1 medium, 1 low), 1 error, 2 skipped, 3 passed in 0.84s';

test('terminal: without colour there is no escape character; summary first and last, strategies in order', () => {
  const out = renderTerminal(REPORT, { color: false });
  assert.ok(!out.includes(ESC));
  const lines = out.split('\n');
  assert.equal(lines[2], SUMMARY, 'the summary comes right after the title and identity lines');
  assert.equal(lines[3], '1 target, 0 suppressed, 0 not applicable');
  const headings = STRATEGIES.map((s) => out.indexOf(`${s.number}. ${s.title}\n`));
  assert.ok(headings.every((pos) => pos > out.indexOf(SUMMARY)), 'every strategy has a heading, after the summary');
  assert.deepEqual(
    [...headings].sort((a, b) => a - b),
    headings,
  );
  const services = out.slice(headings[2], headings[3]);
  assert.match(services, /\(no checks ran\)/);
  assert.match(out, /Intrusive checks were skipped/);
  assert.ok(out.trimEnd().endsWith(SUMMARY), out);
});

test('terminal: commands other than audit show only the strategies their checks belong to', () => {
  const lint = renderTerminal({ ...REPORT, command: 'lint' }, { color: false });
  for (const s of STRATEGIES) {
    const has = REPORT.results.some((r) => r.strategy === s.id);
    assert.equal(lint.includes(`${s.number}. ${s.title}\n`), has, `${s.title}: shown ${!has ? 'without' : 'with'} results`);
  }
  assert.doesNotMatch(lint, /\(no checks ran\)/);
});

test('terminal: only FAIL (most severe first) and ERROR without -v; SKIP and PASS are counted; each fix in full', () => {
  const report = makeReport([
    result('ACC-003', 'PASS', 'takeover refused'),
    result('ACC-002', 'SKIP', 'intrusive disabled'),
    result('ACC-001', 'FAIL', 'medium one', { severity: 'medium', subject: 'mqtt://a:1883' }),
    result('ACC-002', 'ERROR', 'probe crashed', { subject: 'mqtt://b:1883' }),
    result('ACC-001', 'FAIL', 'critical one', { subject: 'mqtt://c:1883' }),
  ]);
  const out = renderTerminal(report, { color: false, width: 140 });
  const order = ['critical one', 'medium one', 'probe crashed'].map((m) => out.indexOf(m));
  assert.ok(order.every((pos) => pos >= 0), out);
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
  );
  assert.doesNotMatch(out, /intrusive disabled|takeover refused/);
  assert.match(out, /^ {2}1 passed, 1 skipped \(-v lists them\)$/m);
  assert.match(out, /^ {2}FAIL {2}critical ACC-001 Anonymous access allowed \[mqtt:\/\/c:1883\]$/m);
  assert.match(out, /^ {2}ERROR {10}ACC-002 Default credentials accepted \[mqtt:\/\/b:1883\]$/m);
  // The whole remediation, once for ACC-001 although it failed twice (two severities).
  assert.match(out, /^ {8}fix: Fix anonymous-access in the broker configuration\. Then restart the broker and run mqtt-warden again\.$/m);
  assert.equal(out.split('fix: ').length - 1, 1);
  assert.ok(out.indexOf('fix: ') > out.indexOf('critical one') && out.indexOf('fix: ') < out.indexOf('medium one'), 'the fix follows the most severe entry');
  assert.doesNotMatch(out, /evidence:/);

  // With -v the SKIP and PASS results are listed after ERROR.
  const verbose = renderTerminal(report, { color: false, verbose: true });
  const all = ['critical one', 'medium one', 'probe crashed', 'intrusive disabled', 'takeover refused'].map((m) => verbose.indexOf(m));
  assert.ok(all.every((pos) => pos >= 0));
  assert.deepEqual(
    [...all].sort((a, b) => a - b),
    all,
  );
  assert.doesNotMatch(verbose, /-v lists them/);
});

test('terminal: the same finding on several subjects is one entry; the subject is taken out of the message', () => {
  const subjects = Array.from({ length: 12 }, (_, i) => `mqtt://10.0.0.${i + 1}:1883`);
  const report = makeReport([
    ...subjects.map((subject) => result('ACC-001', 'FAIL', `${subject} accepted an anonymous CONNECT`, { subject })),
    result('ACC-001', 'FAIL', 'mqtt://10.9.9.9:1883 accepted an anonymous CONNECT after a retry', { subject: 'mqtt://10.9.9.9:1883' }),
  ]);
  const out = renderTerminal(report, { color: false });
  const headers = out.split('\n').filter((l) => l.includes('ACC-001 Anonymous access allowed'));
  assert.deepEqual(headers, [
    '  FAIL  critical ACC-001 Anonymous access allowed [12 endpoints]',
    '  FAIL  critical ACC-001 Anonymous access allowed [mqtt://10.9.9.9:1883]',
  ]);
  assert.match(out, /^ {8}<endpoint> accepted an anonymous CONNECT$/m);
  assert.match(out, /^ {8}mqtt:\/\/10\.9\.9\.9:1883 accepted an anonymous CONNECT after a retry$/m);
  // Natural order (10.0.0.2 before 10.0.0.10), the first few and a count.
  assert.match(out, /^ {8}on mqtt:\/\/10\.0\.0\.1:1883, mqtt:\/\/10\.0\.0\.2:1883, mqtt:\/\/10\.0\.0\.3:1883 … and 9 more$/m);
  assert.equal(out.split('fix: ').length - 1, 1);

  const verbose = renderTerminal(report, { color: false, verbose: true });
  for (const subject of subjects) assert.ok(verbose.includes(subject), `-v lists ${subject}`);
  assert.doesNotMatch(verbose, /more$/m);
});

test('terminal: many different messages of one check are summarised without -v', () => {
  const report = makeReport(
    Array.from({ length: 20 }, (_, i) => result('ACC-001', 'FAIL', `assigned client ID auto-${i.toString(16).padStart(4, '0')}`, { subject: `mqtt://10.0.1.${i}:1883` })),
  );
  const out = renderTerminal(report, { color: false });
  assert.equal(out.split('\n').filter((l) => l.includes('ACC-001 Anonymous')).length, 1);
  assert.match(out, /^ {8}… and 19 other messages of ACC-001 on 19 endpoints \(-v lists them\)$/m);
  const verbose = renderTerminal(report, { color: false, verbose: true });
  assert.equal(verbose.split('\n').filter((l) => l.includes('ACC-001 Anonymous')).length, 20);
});

test('terminal: fix texts and messages wrap at the width with a hanging indent, without losing a word', () => {
  const long = 'Require authentication, e.g. `allow_anonymous false` with a `password_file`, i.e. one account per device, etc. Then reload the broker (SIGHUP) and audit again; see https://mosquitto.org/man/mosquitto-conf-5.html#idm-very-long-anchor-name for the details.';
  const meta = metaOf('ACC-001');
  const r = { ...result('ACC-001', 'FAIL', 'x '.repeat(200).trim()), remediation: long, references: meta.references };
  for (const width of [60, 80, 100, 140]) {
    const out = renderTerminal(makeReport([r]), { color: false, width });
    const lines = out.split('\n');
    const start = lines.findIndex((l) => l.startsWith('        fix: '));
    assert.ok(start > 0);
    const fix = [lines[start]!.slice(13)];
    for (let i = start + 1; i < lines.length && lines[i]!.startsWith(' '.repeat(13)); i++) fix.push(lines[i]!.slice(13));
    assert.equal(fix.join(' '), long, `width ${width}`);
    // Everything wraps but the title line, the summary line and entry headers (one line each, for grep).
    const url = 'https://mosquitto.org/man/mosquitto-conf-5.html#idm-very-long-anchor-name';
    for (const line of lines) assert.ok(line.length <= width || line.includes(url) || /audit of|^1 checks?:|^ {2}FAIL /.test(line), `width ${width}: ${line}`);
    // A long message is wrapped and, without -v, cut after three lines with a pointer to -v.
    assert.equal(lines.filter((l) => /^ {8}x x/.test(l)).length, 3);
    assert.match(out, /x … \(-v shows all\)$/m);
  }
  const verbose = renderTerminal(makeReport([r]), { color: false, verbose: true, width: 60 });
  assert.equal(
    verbose
      .split('\n')
      .filter((l) => /^ {8}x x/.test(l))
      .join(' ')
      .replace(/ +/g, ' ')
      .trim(),
    'x '.repeat(200).trim().replace(/ +/g, ' '),
  );
});

test('terminal: verbose shows full remediation, references and compact evidence', () => {
  const out = renderTerminal(REPORT, { color: false, verbose: true });
  assert.match(out, /fix: Fix anonymous-access in the broker configuration\. Then restart the broker/);
  assert.match(out, /refs: https:\/\/mqtt-warden\.dev\/checks\/ACC-001/);
  assert.match(out, /evidence: allow_anonymous=true listener=1883/);
  assert.match(out, /evidence: scheme=mqtt topics=\["a\/#","b\/\+"\]/);
  // The broker's escape sequence is shown, not executed.
  assert.ok(!out.includes(ESC));
  assert.match(out, /mosquitto\\x1b\[2J/);
});

test('terminal: quiet shows the summary and the FAIL/ERROR headers only', () => {
  const out = renderTerminal(REPORT, { color: false, quiet: true });
  const lines = out.trimEnd().split('\n');
  assert.equal(lines[0], SUMMARY);
  assert.deepEqual(
    lines.slice(2).map((l) => l.split(' [')[0]!.trim().split(/ +/).slice(0, 3).join(' ')),
    ['FAIL critical ACC-001', 'FAIL high UPD-001', 'FAIL medium TLS-001', 'FAIL low CFG-001', 'ERROR TLS-003 Certificate'],
  );
  assert.doesNotMatch(out, /fix:|Keep software updated|Intrusive checks|evidence/);
  // -v wins over -q.
  assert.equal(renderTerminal(REPORT, { color: false, quiet: true, verbose: true }), renderTerminal(REPORT, { color: false, verbose: true }));
});

test('terminal: suppressed results are counted, and listed only with -v with their waiver or baseline', () => {
  const waiver: Suppression = { kind: 'waiver', reason: 'lab broker, no real data', expires: '2026-06-30', source: '.mqtt-warden-waivers.yaml:3' };
  const report = makeReport([
    result('ACC-001', 'FAIL', 'anonymous accepted', { subject: 'mqtt://10.0.0.1:1883' }),
    result('ACC-001', 'FAIL', 'anonymous accepted', { subject: 'mqtt://10.0.0.2:1883', suppression: waiver }),
    result('ACC-001', 'FAIL', 'anonymous accepted', { subject: 'mqtt://10.0.0.3:1883', suppression: waiver }),
    result('CFG-001', 'FAIL', 'banner readable', { severity: 'low', suppression: { kind: 'baseline', reason: 'baseline.json' } }),
  ]);
  assert.equal(report.summary.suppressed, 3);
  const out = renderTerminal(report, { color: false });
  assert.match(out, /^4 checks: 1 failed \(1 critical\), 0 errors, 0 skipped, 0 passed in 0\.84s$/m);
  assert.match(out, /^1 target, 3 suppressed, 0 not applicable$/m);
  assert.match(out, /^ {2}FAIL {2}critical ACC-001 Anonymous access allowed \[mqtt:\/\/10\.0\.0\.1:1883\]$/m);
  assert.doesNotMatch(out, /10\.0\.0\.2|waived|in baseline|CFG-001/);
  assert.match(out, /^ {2}2 suppressed \(-v lists them\)$/m);
  assert.match(out, /^ {2}1 suppressed \(-v lists them\)$/m);
  assert.doesNotMatch(renderTerminal(report, { color: false, quiet: true }), /CFG-001|10\.0\.0\.2/);

  const verbose = renderTerminal(report, { color: false, verbose: true });
  assert.match(verbose, /^ {2}FAIL {2}critical ACC-001 Anonymous access allowed \[2 endpoints\] \(waived: lab broker, no real data, until 2026-06-30\)$/m);
  assert.match(verbose, /^ {2}FAIL {2}low {6}CFG-001 \$SYS topics readable \[mqtt:\/\/10\.0\.0\.5:1883\] \(in baseline\)$/m);
  assert.equal(verbose.split('fix: Fix anonymous-access').length - 1, 1);
});

test('terminal: a long target list and many notes stay short without -v', () => {
  const report = makeReport([]);
  report.targets = Array.from({ length: 500 }, (_, i) => ({ uri: `mqtt://10.2.${i >> 8}.${i & 255}:1883`, explicit: true }));
  report.notes = Array.from({ length: 30 }, (_, i) => `note ${i}`);
  report.summary.notApplicable = 1234;
  const out = renderTerminal(report, { color: false });
  assert.match(out.split('\n')[0]!, /audit of mqtt:\/\/10\.2\.0\.0:1883, mqtt:\/\/10\.2\.0\.1:1883, mqtt:\/\/10\.2\.0\.2:1883, … and 497 more$/);
  assert.match(out, /^500 targets, 0 suppressed, 1,234 not applicable$/m);
  assert.match(out, /^ {2}- note 9$/m);
  assert.doesNotMatch(out, /note 10/);
  assert.match(out, /… and 20 more notes \(-v lists them\)/);
  assert.match(renderTerminal(report, { color: false, verbose: true }), /note 29/);
});

test('terminal: with colour the output contains ANSI escape codes', () => {
  const out = renderTerminal(REPORT, { color: true });
  assert.ok(out.includes(`${ESC}[31m`), 'red for critical/high');
  assert.ok(out.includes(`${ESC}[35mERROR`), 'magenta ERROR');
  assert.ok(renderTerminal(REPORT, { color: true, verbose: true }).includes(`${ESC}[32mPASS`), 'green PASS with -v');
  assert.ok(!out.includes(`${ESC}[2J`), "but not the broker's own sequence");
});

// ---------------------------------------------------------------- dispatch

test('renderReport dispatches every format', () => {
  assert.deepEqual([...REPORT_FORMATS], ['terminal', 'json', 'sarif', 'junit', 'html']);
  const opts = { color: false, verbose: true, catalogue: CATALOGUE };
  assert.equal(renderReport('terminal', REPORT, opts), renderTerminal(REPORT, { color: false, verbose: true }));
  assert.equal(renderReport('json', REPORT, opts), renderJson(REPORT));
  assert.equal(renderReport('sarif', REPORT, opts), renderSarif(REPORT, CATALOGUE));
  assert.equal(renderReport('junit', REPORT, opts), renderJunit(REPORT));
  assert.equal(renderReport('html', REPORT, opts), renderHtml(REPORT));
  for (const format of REPORT_FORMATS) {
    assert.ok(renderReport(format, REPORT, opts).endsWith('\n'), format);
  }
});

test('fixture covers every status and severity used by the reporters', () => {
  assert.deepEqual(new Set(REPORT.results.map((r) => r.status)), new Set(STATUSES));
  assert.ok(SEVERITIES.filter((s) => s !== 'info').every((s) => FAILS.some((f) => f.severity === s)));
});

test('file-located results show file:line:column in the terminal and in JUnit test names', () => {
  const out = renderTerminal(REPORT, { color: false });
  assert.match(out, /ACC-001 .*\[file:\/\/\/etc\/mosquitto\/mosquitto\.conf:12:1\]/);
  assert.match(out, /TLS-001 .*\[mqtt:\/\/10\.0\.0\.5:1883\]/);
  const xml = renderJunit(REPORT);
  assert.ok(xml.includes('name="ACC-001 Anonymous access allowed [file:///etc/mosquitto/mosquitto.conf:12:1]"'), xml);
});
