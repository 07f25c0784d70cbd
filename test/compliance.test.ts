/**
 * Compliance mappings (issue 14, item 3): data/compliance.json maps every check of the catalogue to the
 * controls it gives evidence for, with identifiers that exist in the framework's list (whose source the data
 * names); `checks --framework` shows the coverage; the check pages list the controls.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { CATALOGUE } from '../src/checks/index.js';
import { complianceData, controlsOf, coverage, findFramework } from '../src/compliance/index.js';

const CLI = ['--import', import.meta.resolve('tsx'), new URL('../src/cli.ts', import.meta.url).pathname];

test('every check is mapped, to controls its framework lists; every listed control has a check', () => {
  const data = complianceData();
  assert.deepEqual(data.frameworks.map((f) => f.id), ['nist-800-53', 'iec-62443-3-3', 'etsi-en-303-645']);
  for (const f of data.frameworks) assert.match(f.source, /\S{10,}/, `${f.id} names its source`);
  const ids = new Set(CATALOGUE.map((c) => c.meta.id));
  const unmapped = [...ids].filter((id) => !controlsOf(id).length);
  assert.deepEqual(unmapped, [], 'checks without any control (add them to data/compliance.json)');
  for (const m of data.mappings) {
    for (const id of m.checks) assert.ok(ids.has(id), `${m.why}: ${id} is not in the catalogue`);
    for (const [fw, controls] of Object.entries(m.controls)) {
      const framework = data.frameworks.find((f) => f.id === fw);
      assert.ok(framework, `${m.why}: unknown framework ${fw}`);
      for (const c of controls) assert.ok(c in framework.controls, `${m.why}: ${fw} has no control ${c}`);
    }
  }
  for (const f of data.frameworks) {
    const cov = coverage(f, [...ids]);
    assert.deepEqual(cov.controls.filter((c) => !c.checks.length).map((c) => c.id), [], `${f.id}: listed controls that no check maps to`);
  }
  // NIST identifiers have the family-number form, IEC 62443-3-3 ones "SR n.m", ETSI EN 303 645 provisions "5.n".
  assert.ok(Object.keys(data.frameworks[0]!.controls).every((c) => /^[A-Z]{2}-\d{1,2}$/.test(c)));
  assert.ok(Object.keys(data.frameworks[1]!.controls).every((c) => /^SR \d\.\d{1,2}$/.test(c)));
  assert.ok(Object.keys(data.frameworks[2]!.controls).every((c) => /^5\.\d{1,2}$/.test(c)));
});

test('controlsOf and findFramework', () => {
  assert.deepEqual(controlsOf('ACC-008').map((c) => `${c.framework} ${c.id}`), ['nist-800-53 AC-7', 'iec-62443-3-3 SR 1.11']);
  assert.equal(findFramework('nist')?.id, 'nist-800-53');
  assert.equal(findFramework('IEC')?.id, 'iec-62443-3-3');
  assert.equal(findFramework('etsi-en-303-645')?.id, 'etsi-en-303-645');
  assert.equal(findFramework('pci'), undefined);
});

test('checks --framework shows the coverage; an unknown framework is a usage error', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', timeout: 60_000 });
  const j = run(['checks', '--framework', 'nist', '-f', 'json']);
  assert.equal(j.status, 0, j.stderr);
  const cov = JSON.parse(j.stdout) as { framework: { id: string }; controls: { id: string; checks: string[] }[] };
  assert.equal(cov.framework.id, 'nist-800-53');
  assert.deepEqual(cov.controls.find((c) => c.id === 'AC-7')?.checks, ['ACC-008', 'CFG-050', 'CFG-053']);
  const t = run(['checks', '--framework', 'etsi']);
  assert.match(t.stdout, /^ETSI EN 303 645 .*: checks give evidence for 5 controls/);
  assert.match(t.stdout, /^ {2}5\.1 +No universal default passwords\n +ACC-007, /m);
  const bad = run(['checks', '--framework', 'pci']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--framework pci: unknown \(nist-800-53, iec-62443-3-3, etsi-en-303-645\)/);
});
