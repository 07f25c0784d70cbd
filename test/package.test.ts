/**
 * The published package: `npm pack` of the built dist, installed into a fresh
 * project, runs its `mqtt-warden` bin and imports the library API by name, with
 * its type declarations. Dependencies come from npm's local cache (they were just
 * installed for the tests); install scripts are skipped (the native SQLite module
 * is only loaded by the guard daemon, not by anything imported here).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = new URL('..', import.meta.url).pathname;
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
const FIXTURE_CONF = join(ROOT, 'test/fixtures/real-configs/mosquitto/docker_2.0_mosquitto-no-auth.conf');
const FIXTURE_LOG = join(ROOT, 'test/fixtures/logs/mosquitto-2.0.11-notice.log');

describe('package: npm pack, install, bin and API', { timeout: 240_000 }, () => {
  let dir: string;
  let project: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-pack-'));
    // `npm test` builds dist before the tests; a lone run of this file builds it.
    if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'dist/index.d.ts'))) {
      await run(process.execPath, [TSC, '-p', join(ROOT, 'tsconfig.build.json')], { cwd: ROOT, timeout: 180_000 });
    }
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: ROOT, timeout: 120_000, maxBuffer: 64 << 20 });
    const [packed] = JSON.parse(stdout) as { filename: string; files: { path: string }[] }[];
    assert.ok(packed, 'npm pack made a tarball');
    const paths = packed.files.map((f) => f.path);
    for (const f of ['dist/cli.js', 'dist/index.js', 'dist/index.d.ts', 'schema/report.schema.json', 'schema/drill.schema.json', 'drills/brute-force-burst.yaml', 'data/advisories.json']) assert.ok(paths.includes(f), `the tarball holds ${f}`);
    assert.ok(!paths.some((p) => p.startsWith('test/') || p.startsWith('src/')), 'no tests or sources in the tarball');
    project = join(dir, 'consumer');
    await run('mkdir', ['-p', project]);
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    await run('npm', ['install', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', join(dir, packed.filename)], { cwd: project, timeout: 180_000, maxBuffer: 64 << 20 });
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the bin runs: --version and a command with -f json -o', async () => {
    const bin = join(project, 'node_modules/.bin/mqtt-warden');
    const { stdout } = await run(bin, ['--version'], { cwd: project, timeout: 30_000 });
    const version = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(stdout.trim(), version);
    const out = join(dir, 'checks.json');
    await run(bin, ['checks', '-f', 'json', '-o', out], { cwd: project, timeout: 30_000 });
    const checks = JSON.parse(readFileSync(out, 'utf8')) as { id: string }[];
    assert.ok(checks.some((c) => c.id === 'ACC-001'), 'the catalogue lists ACC-001');
    // The built-in drills are found beside dist/ in the installed package.
    const drills = JSON.parse((await run(bin, ['drill', 'list', '-f', 'json'], { cwd: project, timeout: 30_000 })).stdout) as { id: string }[];
    assert.ok(drills.some((d) => d.id === 'brute-force-burst'), 'drill list finds the built-in drills');
  });

  it('the API imports by name and works: lint, planPorts, renderFirewall, replayLog, runAudit', async () => {
    const script = `
      import { lint, planPorts, renderFirewall, replayLog, runAudit, auditOptions, CATALOGUE, exitCodeFor } from 'mqtt-warden';
      import schema from 'mqtt-warden/schema/report.schema.json' with { type: 'json' };
      const out = {};
      const l = await lint([${JSON.stringify(FIXTURE_CONF)}], { failOn: 'medium' });
      out.lintFails = l.results.filter((r) => r.status === 'FAIL').map((r) => r.checkId);
      out.lintExit = exitCodeFor(l, 'medium');
      const plan = planPorts({ nodes: [{ name: 'emqx1@10.0.0.11', kind: 'emqx', addresses: ['10.0.0.11'] }], clients: ['10.1.0.0/16'], admins: [], peers: [], ssh: 22, warnings: [] });
      out.nft = renderFirewall(plan, 'nftables');
      const r = replayLog(${JSON.stringify(FIXTURE_LOG)});
      out.failures = r.failures;
      const a = await runAudit(auditOptions(['mqtt://127.0.0.1:1'], { timeoutMs: 500, targetTimeoutMs: 2000 }));
      out.auditStatuses = [...new Set(a.results.map((x) => x.status))];
      out.catalogue = CATALOGUE.length;
      out.schemaId = schema.$id;
      console.log(JSON.stringify(out));
    `;
    writeFileSync(join(project, 'use.mjs'), script);
    const { stdout } = await run(process.execPath, ['use.mjs'], { cwd: project, timeout: 60_000 });
    const out = JSON.parse(stdout) as { lintFails: string[]; lintExit: number; nft: string; failures: number; auditStatuses: string[]; catalogue: number; schemaId: string };
    assert.ok(out.lintFails.includes('ACC-030'), 'lint finds the anonymous listener');
    assert.equal(out.lintExit, 1);
    assert.match(out.nft, /tcp dport 1883 ip saddr @clients_v4 accept/);
    assert.ok(out.failures > 0, 'the replay counts the refused logins of the fixture log');
    assert.ok(out.auditStatuses.includes('ERROR') && !out.auditStatuses.includes('PASS') && !out.auditStatuses.includes('FAIL'), `nothing listens on port 1: ERROR (and SKIP for the intrusive checks), never PASS: ${out.auditStatuses.join(', ')}`);
    assert.ok(out.catalogue > 100);
    assert.equal(out.schemaId, 'urn:mqtt-warden:schema:report:v1');
  });

  it('the type declarations serve a strict TypeScript consumer', async () => {
    writeFileSync(
      join(project, 'use.ts'),
      `import { runAudit, auditOptions, type Report, type CheckResult } from 'mqtt-warden';\n` +
        `const r: Promise<Report> = runAudit(auditOptions(['mqtt://127.0.0.1:1883']));\n` +
        `r.then((x) => x.results.filter((c: CheckResult) => c.status === 'FAIL').length);\n`,
    );
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', noEmit: true, skipLibCheck: true, types: [] }, files: ['use.ts'] }));
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 });
    // A wrong use is refused: the declarations really constrain the consumer.
    writeFileSync(join(project, 'use.ts'), `import { runAudit } from 'mqtt-warden';\nrunAudit('mqtt://127.0.0.1:1883');\n`);
    await assert.rejects(run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project, timeout: 120_000 }), (e: Error & { stdout?: string }) => {
      assert.match(e.stdout ?? '', /TS2345|not assignable/, 'tsc names the wrong argument type');
      return true;
    });
  });
});
