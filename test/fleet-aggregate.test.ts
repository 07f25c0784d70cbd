/**
 * Fleet views: the findings of 1,000 endpoints grouped across targets in every format:
 * the JSON `aggregate` section (published schema), SARIF (one rule per check, one result
 * per target, the groups in the run's property bag), the terminal report (one entry per
 * group) and the HTML fleet table.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CATALOGUE } from '../src/checks/index.js';
import type { CheckResult } from '../src/core/types.js';
import { aggregateResults, SUBJECT_PLACEHOLDER } from '../src/reporters/aggregate.js';
import { renderReport } from '../src/reporters/index.js';
import { fixtureReport } from './helpers/report.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';

const catalogue = CATALOGUE.map((c) => c.meta);
const meta = (id: string) => catalogue.find((c) => c.id === id)!;

function result(id: string, subject: string, status: CheckResult['status'], message: string): CheckResult {
  const m = meta(id);
  return {
    checkId: id,
    name: m.name,
    title: m.title,
    strategy: m.strategy,
    severity: m.severity,
    status,
    subject,
    location: { uri: subject, kind: 'target' },
    message,
    evidence: {},
    remediation: m.remediation,
    references: m.references,
    intrusive: false,
    fingerprint: createHash('sha256').update(`${id} ${subject}`).digest('hex'),
  };
}

/** 1,000 endpoints: all anonymous (one message naming the endpoint), 900 with `#` readable, 100 of them with an ERROR. */
function fleet() {
  const results: CheckResult[] = [];
  const targets = [];
  for (let i = 0; i < 1000; i++) {
    const uri = `mqtt://10.${Math.floor(i / 250)}.0.${(i % 250) + 1}:1883`;
    targets.push({ uri, explicit: true });
    results.push(result('ACC-001', uri, 'FAIL', `${uri} accepted an anonymous CONNECT`));
    results.push(result('ACC-002', uri, i % 10 ? 'FAIL' : 'PASS', i % 10 ? 'anonymous reads arbitrary topics through #' : 'the # subscription was refused'));
    if (i % 10 === 5) results.push(result('TLS-001', uri, 'ERROR', 'handshake timed out'));
  }
  return fixtureReport(results, { targets });
}

test('the aggregate groups identical findings: the subject taken out of the message, counted per subject', () => {
  const agg = aggregateResults(fleet().results);
  assert.equal(agg.subjects, 1000);
  assert.equal(agg.subjectsWithFindings, 1000);
  assert.deepEqual(
    agg.groups.map((g) => [g.checkId, g.status, g.subjects, g.results]),
    [
      ['ACC-001', 'FAIL', 1000, 1000],
      ['ACC-002', 'FAIL', 900, 900],
      ['TLS-001', 'ERROR', 100, 100],
    ],
  );
  assert.equal(agg.groups[0]!.message, `${SUBJECT_PLACEHOLDER} accepted an anonymous CONNECT`);
  // Natural order: 10.0.0.2 before 10.0.0.10.
  assert.deepEqual(agg.groups[0]!.examples.slice(0, 3), ['mqtt://10.0.0.1:1883', 'mqtt://10.0.0.2:1883', 'mqtt://10.0.0.3:1883']);
  assert.equal(agg.groups[0]!.examples.length, 10);
});

test('JSON: the aggregate section validates against the published schema', () => {
  const json = JSON.parse(renderReport('json', fleet(), { color: false, catalogue })) as { aggregate: { groups: { checkId: string; subjects: number }[] } };
  assert.equal(reportErrors(json), '');
  assert.deepEqual(json.aggregate.groups.map((g) => `${g.checkId}:${g.subjects}`), ['ACC-001:1000', 'ACC-002:900', 'TLS-001:100']);
});

test('SARIF: one rule per check, one result per target and failure, the groups in the run properties', () => {
  const log = JSON.parse(renderReport('sarif', fleet(), { color: false, catalogue })) as {
    runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]; properties?: { aggregate: { groups: { checkId: string; subjects: number }[] } } }[];
  };
  assert.equal(sarifErrors(log), '');
  const run = log.runs[0]!;
  const ids = run.tool.driver.rules.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length, 'one rule per check');
  assert.equal(run.results.length, 1900);
  const acc001 = run.results.filter((r) => r.ruleId === 'ACC-001');
  assert.equal(new Set(acc001.map((r) => r.locations[0]!.physicalLocation.artifactLocation.uri)).size, 1000, 'one ACC-001 result per target');
  assert.deepEqual(run.properties?.aggregate.groups.map((g) => `${g.checkId}:${g.subjects}`), ['ACC-001:1000', 'ACC-002:900', 'TLS-001:100']);
  // One target: no fleet view.
  const single = fixtureReport(fleet().results.slice(0, 2), { targets: [{ uri: 'mqtt://10.0.0.1:1883', explicit: true }] });
  assert.equal((JSON.parse(renderReport('sarif', single, { color: false, catalogue })) as { runs: { properties?: unknown }[] }).runs[0]!.properties, undefined);
});

test('terminal: one entry per group, naming the number of endpoints; HTML: the fleet table', () => {
  const report = fleet();
  const text = renderReport('terminal', report, { color: false, catalogue, width: 120 });
  assert.match(text, /FAIL +high +ACC-001 .*\[1,000 endpoints\]/);
  assert.match(text, /FAIL +\S+ +ACC-002 .*\[900 endpoints\]/);
  assert.match(text, /ERROR +TLS-001 .*\[100 endpoints\]/);
  assert.ok(text.split('\n').length < 80, `${text.split('\n').length} lines`);
  const html = renderReport('html', report, { color: false, catalogue });
  const rows = [...html.matchAll(/<td class="num" data-group-subjects>([\d,]+)<\/td>/g)].map((m) => m[1]);
  assert.deepEqual(rows, ['1,000', '900', '100']);
  assert.match(html, /‹target› accepted an anonymous CONNECT/);
});
