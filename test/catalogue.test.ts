/**
 * The catalogue contract: unique stable IDs, a generated docs page per check that
 * matches the code, and good (PASS) and bad (FAIL) fixtures for every check.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { CATALOGUE } from '../src/checks/index.js';
import { STRATEGIES, FACT_KEYS, severityRank, type Verdict } from '../src/core/types.js';
import { verdictList } from '../src/core/check.js';
import { checkDocPage } from '../src/reporters/docs.js';
import { controlsOf } from '../src/compliance/index.js';
import { NETWORK_CTX, type Case, type CheckCases } from './checks/fixtures.js';

const root = new URL('../', import.meta.url);

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

test('check IDs and names are unique and well-formed', () => {
  const ids = new Set<string>();
  const names = new Set<string>();
  for (const { meta } of CATALOGUE) {
    assert.ok(!ids.has(meta.id), `duplicate check ID ${meta.id}`);
    assert.ok(!names.has(meta.name), `duplicate check name ${meta.name}`);
    ids.add(meta.id);
    names.add(meta.name);
    const strategy = STRATEGIES.find((s) => s.id === meta.strategy);
    assert.ok(strategy, `${meta.id}: unknown strategy ${meta.strategy}`);
    assert.match(meta.id, new RegExp(`^${strategy.code}-\\d{3}$`), `${meta.id}: ID must be ${strategy.code}-NNN`);
    assert.match(meta.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
    assert.ok(meta.needs.length > 0 && meta.needs.every((n) => (FACT_KEYS as readonly string[]).includes(n)), `${meta.id}: bad needs`);
    assert.ok(meta.remediation.length > 40, `${meta.id}: remediation too thin`);
    assert.ok(meta.references.length > 0 && meta.references.every((r) => /^https:\/\//.test(r)), `${meta.id}: references`);
  }
});

test('every check file is registered in the catalogue', () => {
  const files = readdirSync(new URL('src/checks/', root)).filter((f) => /^[a-z]{3}-\d{3}-.+\.ts$/.test(f));
  const ids = CATALOGUE.map((c) => c.meta.id.toLowerCase());
  for (const f of files) assert.ok(ids.includes(f.slice(0, 7)), `src/checks/${f} is not in src/checks/index.ts`);
  assert.equal(files.length, CATALOGUE.length);
});

test('every check has an up-to-date docs page (npm run docs)', () => {
  for (const { meta } of CATALOGUE) {
    const file = new URL(`docs/checks/${meta.id}.md`, root);
    assert.ok(existsSync(file), `missing docs/checks/${meta.id}.md`);
    assert.equal(readFileSync(file, 'utf8'), checkDocPage(meta, controlsOf(meta.id)), `docs/checks/${meta.id}.md is stale: run npm run docs`);
  }
});

for (const check of CATALOGUE) {
  const id = check.meta.id;
  test(`${id} good and bad fixtures`, async () => {
    const file = new URL(`test/checks/${id}.cases.ts`, root);
    assert.ok(existsSync(file), `missing test/checks/${id}.cases.ts`);
    const cases = ((await import(file.href)) as { default: CheckCases }).default;
    assert.ok(cases.good.length > 0, `${id}: no good fixture`);
    assert.ok(cases.bad.length > 0, `${id}: no bad fixture`);
    const run = (c: Case) => {
      const facts = deepFreeze(structuredClone(c.facts));
      const ctx = { ...NETWORK_CTX, ...c.ctx };
      const vs = verdictList(check.judge(facts as never, ctx));
      assert.ok(vs.length > 0, `${id} / ${c.name}: the judge returned no verdict`);
      assert.deepEqual(verdictList(check.judge(facts as never, ctx)), vs, `${id} / ${c.name}: judge is not deterministic`);
      const messages = vs.map((v) => v.message);
      if (c.message) assert.ok(messages.some((m) => m.includes(c.message!)), `${id} / ${c.name}: messages ${JSON.stringify(messages)} lack "${c.message}"`);
      return vs;
    };
    const statuses = (vs: readonly Verdict[]) => vs.map((v) => v.status);
    for (const c of cases.good) assert.ok(statuses(run(c)).every((s) => s === 'PASS'), `${id} / ${c.name} should PASS`);
    for (const c of cases.bad) {
      const fails = run(c).filter((v) => v.status === 'FAIL');
      assert.ok(fails.length > 0, `${id} / ${c.name} should FAIL`);
      if (c.severity) {
        const worst = fails.map((v) => (v.status === 'FAIL' && v.severity) || check.meta.severity).sort((a, b) => severityRank(b) - severityRank(a))[0];
        assert.equal(worst, c.severity, `${id} / ${c.name}: severity`);
      }
      if (c.line !== undefined) {
        assert.ok(fails.some((v) => v.location?.line === c.line), `${id} / ${c.name}: no FAIL at line ${c.line} (got ${JSON.stringify(fails.map((v) => v.location))})`);
      }
    }
    for (const c of cases.skip ?? []) assert.ok(statuses(run(c)).every((s) => s === 'SKIP'), `${id} / ${c.name} should SKIP`);
    for (const c of cases.error ?? []) assert.ok(statuses(run(c)).includes('ERROR'), `${id} / ${c.name} should be ERROR`);
  });
}
