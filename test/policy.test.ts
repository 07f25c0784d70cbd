/**
 * The security policy as code and as a document (issue 14, item 3): the rule table (src/policy/rules.ts)
 * cannot drift from the schema, from the checks that read the policy, or from the commands that apply it;
 * `policy init` writes a valid commented file; `policy validate` names file:line:column; `policy render`
 * states every rule with its value and links it to the checks that enforce it.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CATALOGUE } from '../src/checks/index.js';
import { DEFAULT_POLICY, parsePolicy, PolicySchema, type Policy } from '../src/config/policy.js';
import { POLICY_METADATA, POLICY_RULES, policyValue } from '../src/policy/rules.js';
import { policyInitYaml, renderPolicy } from '../src/policy/document.js';
import { builtinIds, loadDrill } from '../src/drill/load.js';
import { STRATEGIES } from '../src/core/types.js';
import type { CheckCases } from './checks/fixtures.js';
import { ENDPOINT_PROVIDERS } from '../src/collectors/endpoint.js';
import type { AuditOptions } from '../src/core/engine.js';

const ROOT = new URL('..', import.meta.url);
const CLI = ['--import', import.meta.resolve('tsx'), new URL('../src/cli.ts', import.meta.url).pathname];
const dir = mkdtempSync(join(tmpdir(), 'mw-policy-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', cwd: dir, input, timeout: 120_000, env: { ...process.env, NO_COLOR: '1' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Dotted paths of the schema's values (objects are walked, optional/default/prefault/pipe wrappers unwrapped). */
function leaves(schema: z.ZodType, prefix = ''): string[] {
  let s = schema as z.ZodType & { def: { innerType?: z.ZodType; in?: z.ZodType; type?: string } };
  for (let i = 0; i < 10 && !(s instanceof z.ZodObject); i++) {
    const inner = s.def.innerType ?? (s.def.type === 'pipe' ? s.def.in : undefined);
    if (!inner) break;
    s = inner as typeof s;
  }
  if (!(s instanceof z.ZodObject)) return [prefix];
  return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** A policy that records the dotted path of every value read from it. */
function recording(p: Policy, seen: Set<string>): Policy {
  const wrap = (o: object, path: string): object =>
    new Proxy(o, {
      get(target, key, recv) {
        const v = Reflect.get(target, key, recv) as unknown;
        if (typeof key !== 'string') return v;
        const at = path ? `${path}.${key}` : key;
        if (v && typeof v === 'object' && !Array.isArray(v)) return wrap(v, at);
        seen.add(at);
        return v;
      },
    });
  return wrap(p, '') as Policy;
}

describe('the rule table matches the schema and the checks', () => {
  test('every value of the schema is a rule or organisation metadata, and every rule is a value', () => {
    const values = leaves(PolicySchema).sort();
    const documented = [...POLICY_RULES.map((r) => r.key), ...POLICY_METADATA].sort();
    assert.deepEqual(values, documented);
    for (const r of POLICY_RULES) {
      assert.ok(r.checks.length > 0, `${r.key}: a rule names at least one enforcing check`);
      for (const id of r.checks) assert.ok(CATALOGUE.some((c) => c.meta.id === id), `${r.key}: ${id} is in the catalogue`);
    }
  });

  test('the checks that read the policy read exactly the values their rules say (judges run with a recording policy)', async () => {
    const readers = CATALOGUE.filter((c) => c.meta.needs.includes('policy') || c.meta.uses?.includes('policy'));
    assert.ok(readers.length >= 8, `checks reading the policy: ${readers.map((c) => c.meta.id).join(', ')}`);
    for (const check of readers) {
      const id = check.meta.id;
      const cases = ((await import(new URL(`test/checks/${id}.cases.ts`, ROOT).href)) as { default: CheckCases }).default;
      const seen = new Set<string>();
      for (const c of [...cases.good, ...cases.bad, ...(cases.skip ?? [])]) {
        const base = (c.facts.policy as Policy | undefined) ?? DEFAULT_POLICY;
        const facts = { ...c.facts, policy: recording(structuredClone(base), seen) };
        check.judge(facts as never, { subject: 's', host: 'h', loopback: false, ...c.ctx });
      }
      const claimed = POLICY_RULES.filter((r) => r.via === 'judge' && r.checks.includes(id)).map((r) => r.key).sort();
      assert.deepEqual([...seen].sort(), claimed, `${id}: the values its judge reads vs the rules that name it`);
    }
    // Conversely: a rule enforced through the judge names only checks that read the policy.
    for (const r of POLICY_RULES.filter((x) => x.via === 'judge')) {
      for (const id of r.checks) assert.ok(readers.some((c) => c.meta.id === id), `${r.key}: ${id} does not read the policy`);
    }
  });
});

describe('values that reach the checks through a collector or an option change the outcome', () => {
  test('tls.expiryWarningDays is the default of audit --expiry-warn-days (TLS-054 on a fixture root)', () => {
    const policy = join(dir, 'long-warning.yaml');
    writeFileSync(policy, 'tls:\n  expiryWarningDays: [3650]\n');
    const run = (extra: string[]) => {
      const r = cli(['audit', '--host-only', '--root', new URL('fixtures/hosts/hardened', import.meta.url).pathname, '-f', 'json', '--fail-on', 'none', ...extra]);
      assert.equal(r.code, 0, r.err);
      const report = JSON.parse(r.out) as { results: { checkId: string; status: string; message: string; evidence?: { warnDays?: number[] } }[] };
      return report.results.filter((x) => x.checkId === 'TLS-054');
    };
    assert.ok(run([]).every((x) => x.status === 'PASS'), 'control: the fixture certificates are valid for about 9 years');
    const warned = run(['--policy', policy]);
    assert.ok(warned.length && warned.every((x) => x.status === 'FAIL' && /expires in \d+ days/.test(x.message) && x.evidence?.warnDays?.join() === '3650'), JSON.stringify(warned));
    // The command line wins over the policy.
    assert.ok(run(['--policy', policy, '--expiry-warn-days', '30']).every((x) => x.status === 'PASS'));
  });

  test('passwords.minLength reaches ACC-039 through the config collector', () => {
    const csv = join(dir, 'bootstrap.csv');
    writeFileSync(csv, 'user_id,password,is_superuser\nsensor,Vq8-xK2#mP9!zL4@wR7,false\n');
    const policy = join(dir, 'long-passwords.yaml');
    writeFileSync(policy, 'passwords:\n  minLength: 20\n');
    const messages = (extra: string[]) => {
      const r = cli(['lint', csv, '--config-type', 'emqx-bootstrap', '-f', 'json', '--fail-on', 'none', ...extra]);
      const report = JSON.parse(r.out) as { results: { checkId: string; message: string }[] };
      return report.results.filter((x) => x.checkId === 'ACC-039').map((x) => x.message).join('\n');
    };
    assert.doesNotMatch(messages([]), /weak password/, 'control: 19 random characters pass the default policy');
    assert.match(messages(['--policy', policy]), /user "sensor": weak password/);
  });

  test('passwords.hashIterations is what passwd hash writes', () => {
    const policy = join(dir, 'iterations.yaml');
    writeFileSync(policy, 'passwords:\n  hashIterations: 2500\n');
    const file = join(dir, 'passwd');
    const r = cli(['passwd', 'hash', 'sensor1', '--file', file, '--policy', policy], 'Vq8-xK2#mP9!zL4@wR7\n');
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(file, 'utf8'), /^sensor1:\$7\$2500\$/m);
  });
});

describe('the values of login attempts, networks, logging and updates', () => {
  test('durations take seconds or units; networks are canonical CIDRs; mistakes are named at file:line:column', () => {
    const ok = parsePolicy('loginAttempts:\n  window: 10m\n  banFor: "1h"\nnetworks:\n  clients: ["10.20.0.0/16", "::ffff:192.168.1.0/120"]\n', 'p.yaml');
    assert.deepEqual(ok.issues, []);
    assert.deepEqual(ok.policy!.loginAttempts, { maxFailures: 5, window: 600, banFor: 3600 });
    assert.deepEqual(ok.policy!.networks, { clients: ['10.20.0.0/16', '192.168.1.0/24'] });
    const bad = parsePolicy('loginAttempts:\n  window: soon\nnetworks:\n  management: ["10.0.0.5/24", "example.com"]\n', 'p.yaml');
    assert.deepEqual(
      bad.issues.map((i) => `${i.line}:${i.column} ${i.message}`),
      ['2:11 loginAttempts.window: a number of seconds, or a duration such as "30s", "10m", "1h", "1d"', '4:16 networks.management.0: network: 10.0.0.5/24 has host bits set (did you mean 10.0.0.0/24?)', '4:31 networks.management.1: network: "example.com" is not an IP address or CIDR network'],
    );
  });

  test('the endpoint checks get the policy of audit --policy (ACC-008 reads loginAttempts.maxFailures), the default without it', async () => {
    const provider = ENDPOINT_PROVIDERS.find((p) => p.provides.includes('policy'))!;
    const policy = PolicySchema.parse({ loginAttempts: { maxFailures: 2 } });
    const ctx = (opts: Partial<AuditOptions>) => ({ subject: { opts } as never, facts: {}, wanted: new Set<never>(), memo: <T>(_k: string, fn: () => Promise<T>) => fn(), note: () => undefined });
    const with_ = await provider.collect(ctx({ policy }));
    assert.equal(with_.policy?.state === 'ok' && with_.policy.value.loginAttempts.maxFailures, 2);
    const without = await provider.collect(ctx({}));
    assert.equal(without.policy?.state === 'ok' && without.policy.value, DEFAULT_POLICY);
  });

  test('render states the new rules with their values', () => {
    const p = PolicySchema.parse({ loginAttempts: { maxFailures: 3, banFor: '1h' }, networks: { management: ['10.0.0.0/24'] }, logging: { minRetentionDays: 180 }, updates: { maxListsAgeDays: 1 } });
    const md = renderPolicy(p, CATALOGUE.map((c) => c.meta), 'markdown', 'policy.yaml');
    assert.match(md, /after at most 3 failed logins/);
    assert.match(md, /stays stopped for at least 1 hour/);
    assert.match(md, /opened only to 10\.0\.0\.0\/24\./);
    assert.match(md, /the policy lists no client networks yet/);
    assert.match(md, /kept for at least 180 days/);
    assert.match(md, /at least every 1 day and installs/);
  });
});

describe('policy init, validate and render', () => {
  test('init writes a commented file that validates and holds every default', () => {
    const text = policyInitYaml();
    const r = parsePolicy(text, 'policy.yaml');
    assert.deepEqual(r.issues, []);
    const { organisation: _o, ...rest } = r.policy!;
    const { organisation: _d, ...defaults } = DEFAULT_POLICY;
    assert.deepEqual(rest, defaults);
    for (const rule of POLICY_RULES) assert.ok(text.includes(`# Enforced by ${rule.checks.join(', ')}`), `${rule.key} is commented with its checks`);

    const out = join(dir, 'init.yaml');
    assert.equal(cli(['policy', 'init', '-o', out]).code, 0);
    assert.equal(readFileSync(out, 'utf8').split('\n').slice(0, 12).join('\n'), text.split('\n').slice(0, 12).join('\n'));
    const again = cli(['policy', 'init', '-o', out]);
    assert.equal(again.code, 2, 'an existing file is not overwritten without --force');
    assert.match(again.err, /exists: not overwritten/);
    assert.equal(cli(['policy', 'init', '-o', out, '--force']).code, 0);
    assert.equal(cli(['policy', 'validate', out]).code, 0);
  });

  test('validate names every problem at file:line:column and exits 2', () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'tls:\n  minVersion: tlsv1.0\npasswords:\n  minLength: 2\n  mystery: 1\n');
    const r = cli(['policy', 'validate', bad]);
    assert.equal(r.code, 2);
    assert.match(r.out, /bad\.yaml:2:15: .*tlsv1\.2/);
    assert.match(r.out, /bad\.yaml:4:14: /);
    assert.match(r.out, /bad\.yaml:5:\d+: .*mystery/);
    const j = cli(['policy', 'validate', bad, '-f', 'json']);
    assert.equal(j.code, 2);
    assert.equal((JSON.parse(j.out) as { valid: boolean; issues: unknown[] }).issues.length, 3);
  });

  test('render: every section, every rule with its value and at least one link to an enforcing check that resolves', () => {
    const p = PolicySchema.parse({ organisation: { name: 'ACME <script>alert(1)</script>', owner: 'CISO' }, tls: { minVersion: 'tlsv1.3' }, listeners: { allowed: ['127.0.0.1:1883', '*:8883'] } });
    const md = renderPolicy(p, CATALOGUE.map((c) => c.meta), 'markdown', 'policy.yaml');
    for (const s of STRATEGIES.filter((x) => POLICY_RULES.some((r) => r.strategy === x.id))) assert.match(md, new RegExp(`^## ${s.number}\\. ${s.title.replace(/[/]/g, '\\/')}$`, 'm'));
    for (const rule of POLICY_RULES) {
      const at = md.indexOf(`### ${rule.title}\n`);
      assert.ok(at >= 0, `${rule.key}: has a section`);
      const section = md.slice(at, md.indexOf('\n### ', at + 1));
      const links = [...section.matchAll(/\[([A-Z]{3}-\d{3})\]\(#(check-[a-z]{3}-\d{3})\)/g)];
      assert.ok(links.length >= 1, `${rule.key}: links an enforcing check`);
      for (const [, id, anchor] of links) assert.ok(md.includes(`<a id="${anchor}"></a>\n### ${id}: `), `${id}: the link resolves in the appendix`);
    }
    assert.match(md, /no TLS version older than TLS 1\.3/);
    assert.match(md, /listen only on 127\.0\.0\.1:1883, \\\*:8883/);
    assert.match(md, /ACME \\<script\\>alert\(1\)\\<\/script\\>/, 'markup in the organisation name is escaped');

    const html = renderPolicy(p, CATALOGUE.map((c) => c.meta), 'html', 'policy.yaml');
    assert.ok(!html.includes('<script>alert(1)'), 'no markup injected into the HTML');
    assert.match(html, /ACME &lt;script&gt;alert\(1\)&lt;\/script&gt;/);
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, 'self-contained: no external resource');
    for (const [, anchor] of html.matchAll(/href="#([^"]+)"/g)) assert.ok(html.includes(`id="${anchor}"`), `#${anchor} resolves`);

    const r = cli(['policy', 'render', '-f', 'html']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^<!doctype html>/);
    assert.match(r.out, /the built-in default policy/);
  });

  test('render: the drills that rehearse each rule, from the built-in drills; the required ones with the cadence and owner', () => {
    const p = PolicySchema.parse({ drills: { required: ['brute-force-burst', 'tls-downgrade'], cadenceDays: 30, owner: 'Blue team' } });
    const drills = builtinIds().map((id) => loadDrill(id).drill);
    const md = renderPolicy(p, CATALOGUE.map((c) => c.meta), 'markdown', 'policy.yaml', drills);
    const section = (title: string) => {
      const at = md.indexOf(`### ${title}\n`);
      return md.slice(at, md.indexOf('\n### ', at + 1));
    };
    // A rule is rehearsed by exactly the drills that exercise one of its checks.
    for (const rule of POLICY_RULES.filter((r) => !r.key.startsWith('drills.'))) {
      const expected = drills.filter((d) => d.checks.some((c) => rule.checks.includes(c))).map((d) => d.id).sort();
      const shown = [...section(rule.title).matchAll(/\[([a-z0-9-]+)\]\(#drill-([a-z0-9-]+)\)/g)].map((m) => m[1]!).sort();
      assert.deepEqual(shown, expected, `${rule.key}: rehearsed by`);
    }
    assert.match(section('Required drills'), /The drills brute-force-burst, tls-downgrade are rehearsed .*, run by Blue team/);
    assert.match(section('Required drills'), /Rehearsed by: \[brute-force-burst\]\(#drill-brute-force-burst\), \[tls-downgrade\]\(#drill-tls-downgrade\)\./);
    assert.match(section('Drill cadence'), /held at least once in the last 30 days/);
    assert.match(md, /## Appendix: the drills that rehearse this policy\n\nRun with `mqtt-warden drill run ID --target URL --history` by Blue team; every required drill must hold at least every 30 days\./);
    for (const [, id] of md.matchAll(/\]\(#drill-([a-z0-9-]+)\)/g)) assert.ok(md.includes(`<a id="drill-${id}"></a>\n### ${id}: `), `drill ${id}: the link resolves`);
    assert.match(md, /### tls-downgrade: .* \(required\)/);
    const html = renderPolicy(p, CATALOGUE.map((c) => c.meta), 'html', 'policy.yaml', drills);
    for (const [, anchor] of html.matchAll(/href="#([^"]+)"/g)) assert.ok(html.includes(`id="${anchor}"`), `#${anchor} resolves`);
    assert.match(html, /Rehearsed by: <a href="#drill-brute-force-burst">/);
  });

  test('policyValue reads dotted paths', () => {
    assert.deepEqual(policyValue(DEFAULT_POLICY, 'tls.expiryWarningDays'), [30, 60]);
    assert.equal(policyValue(DEFAULT_POLICY, 'listeners.allowed'), undefined);
  });
});
