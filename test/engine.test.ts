/**
 * The shared engine: fact providers (only what is wanted, in dependency order,
 * failures as ERROR facts), check selection by meta, not-applicable counting and
 * the one exit rule.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectFacts, type Provider } from '../src/core/providers.js';
import { runChecks, selectChecks } from '../src/core/engine.js';
import { defineCheck } from '../src/core/check.js';
import { exitCodeFor } from '../src/core/report.js';
import { CATALOGUE } from '../src/checks/index.js';
import { collectSystemFacts, SYSTEM_PROVIDERS } from '../src/collectors/system/index.js';
import type { CheckResult, FactKey, Severity, Status } from '../src/core/types.js';

type Subject = { calls: string[] };

function provider(name: string, provides: FactKey[], reads: FactKey[] = [], fail = false): Provider<Subject> {
  return {
    name,
    scope: 'system',
    provides,
    reads,
    async collect({ subject, facts }) {
      for (const r of reads) assert.ok(r in facts, `${name} runs after ${r} is collected`);
      subject.calls.push(name);
      if (fail) throw new Error('broken on purpose');
      return Object.fromEntries(provides.map((k) => [k, { state: 'ok', value: { from: name }, ms: 0 }]));
    },
  };
}

describe('fact providers', () => {
  const registry = [
    provider('a', ['sys.ssh']),
    provider('b', ['sys.accounts'], ['sys.ssh']),
    provider('c', ['sys.updates', 'sys.reboot']),
    provider('broken', ['sys.mac'], [], true),
  ];

  it('runs only the providers of the wanted facts, and what they read, in order', async () => {
    const subject: Subject = { calls: [] };
    const facts = await collectFacts(registry, subject, new Set<FactKey>(['sys.accounts']));
    assert.deepEqual(subject.calls, ['a', 'b']);
    assert.deepEqual(Object.keys(facts).sort(), ['sys.accounts', 'sys.ssh']);
  });

  it('a provider that throws gives ERROR facts naming it, and the others still run', async () => {
    const subject: Subject = { calls: [] };
    const facts = await collectFacts(registry, subject, new Set<FactKey>(['sys.mac', 'sys.updates']));
    assert.equal(facts['sys.mac']?.state, 'error');
    assert.match(facts['sys.mac']?.state === 'error' ? facts['sys.mac'].error : '', /broken: broken on purpose/);
    assert.equal(facts['sys.updates']?.state, 'ok');
    assert.equal(facts['sys.reboot'], undefined, 'an unwanted fact of the same provider is not kept');
  });

  it('facts already known are not collected again', async () => {
    const subject: Subject = { calls: [] };
    await collectFacts(registry, subject, new Set<FactKey>(['sys.accounts']), { base: { 'sys.ssh': { state: 'ok', value: {} as never, ms: 0 } } });
    assert.deepEqual(subject.calls, ['b']);
  });

  it('a cycle between providers is an error, not a hang', async () => {
    const cyclic = [provider('x', ['sys.ssh'], ['sys.accounts']), provider('y', ['sys.accounts'], ['sys.ssh'])];
    await assert.rejects(collectFacts(cyclic, { calls: [] }, new Set<FactKey>(['sys.ssh'])), /cycle: x, y/);
  });

  it('every system fact has exactly one provider', () => {
    const seen = new Map<string, string>();
    for (const p of SYSTEM_PROVIDERS) for (const k of p.provides) {
      assert.ok(!seen.has(k), `${k} is provided by ${seen.get(k)} and ${p.name}`);
      seen.set(k, p.name);
    }
    for (const c of CATALOGUE.filter((x) => x.meta.scope === 'system')) for (const k of c.meta.needs) assert.ok(seen.has(k), `${c.meta.id} needs ${k}, which no system provider produces`);
  });

  it('the port-plan check collects sockets, firewall and the policy only: no package manager, no key files, no broker configs', async () => {
    const root = mkdtempSync(join(tmpdir(), 'mw-engine-'));
    try {
      const ports = selectChecks(CATALOGUE, { requires: 'ports.check' });
      const wanted = new Set<FactKey>(ports.flatMap((c) => [...c.meta.needs, ...(c.meta.uses ?? [])]));
      const { facts } = await collectSystemFacts({ root, timeoutMs: 2000 }, wanted);
      assert.deepEqual(Object.keys(facts).sort(), ['policy', 'ports.check']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('check selection by meta', () => {
  it('passwd audit judges the credential-store checks', () => {
    const ids = selectChecks(CATALOGUE, { scopes: ['system'], requires: 'config.passwords', within: ['config.passwords', 'policy'] }).map((c) => c.meta.id);
    assert.deepEqual(ids.sort(), ['ACC-036', 'ACC-038', 'ACC-039']);
  });
  it('ports --check judges the port-plan checks', () => {
    assert.deepEqual(selectChecks(CATALOGUE, { requires: 'ports.check' }).map((c) => c.meta.id).sort(), ['SVC-052', 'SVC-053', 'SVC-054', 'SVC-055', 'SVC-090']);
  });
  it('disabled checks are left out', () => {
    const ids = selectChecks(CATALOGUE, { requires: 'ports.check', disabled: ['SVC-053'] }).map((c) => c.meta.id);
    assert.ok(!ids.includes('SVC-053') && ids.length === 4);
  });
});

describe('runChecks', () => {
  const judged = defineCheck({
    meta: { ...CATALOGUE.find((c) => c.meta.id === 'ACC-036')!.meta, id: 'TST-001', needs: ['config.emqx'] },
    judge: () => ({ status: 'PASS', message: 'judged' }),
  });
  it('checks whose product is absent are counted as not applicable, not listed', async () => {
    {
      const report = await runChecks({
        command: 'lint',
        checks: [judged],
        system: { root: '/', timeoutMs: 1000, inputs: { files: [], load: {} } },
        options: { intrusive: false, host: false, network: false, failOn: 'medium', identity: 'test' },
      });
      assert.equal(report.results.length, 0);
      assert.equal(report.summary.notApplicable, 1);
      assert.match(report.notes.join('\n'), /1 check\(s\) not applicable: no EMQX configuration/);
    }
  });
});

describe('the exit rule', () => {
  const r = (status: Status, severity: Severity = 'high', suppressed = false): CheckResult =>
    ({ status, severity, ...(suppressed && { suppression: { kind: 'waiver', reason: 'accepted' } }) }) as CheckResult;
  const cases: [string, CheckResult[], Severity | 'none', number][] = [
    ['clean', [r('PASS'), r('SKIP')], 'medium', 0],
    ['a finding at the threshold', [r('FAIL', 'medium')], 'medium', 1],
    ['a finding below the threshold', [r('FAIL', 'low')], 'medium', 0],
    ['an ERROR without findings: incomplete, never clean', [r('PASS'), r('ERROR')], 'medium', 2],
    ['findings win over errors', [r('FAIL', 'high'), r('ERROR')], 'medium', 1],
    ['--fail-on none still reports errors', [r('FAIL', 'critical'), r('ERROR')], 'none', 2],
    ['--fail-on none without errors', [r('FAIL', 'critical')], 'none', 0],
    ['a waived finding does not count', [r('FAIL', 'critical', true)], 'low', 0],
  ];
  for (const [name, results, failOn, code] of cases) it(name, () => assert.equal(exitCodeFor({ results }, failOn), code));
});
