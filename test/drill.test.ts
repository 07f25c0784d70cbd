/**
 * Drills without namespaces: durations, the budget, the safety gate (refused before any packet), drill
 * files validated at file:line by zod and by the published JSON Schema, the CLI, and a run against an
 * in-process broker with expectations whose places are not given (not verified, never met), an EMQX
 * banned API (a small fake server) and a webhook.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';
import { durationMs, DrillFileSchema, DurationSchema } from '../src/drill/model.js';
import { RunBudget } from '../src/drill/budget.js';
import { DrillRefused, gateDemand, gateTarget, namesTarget, parseDrillTarget } from '../src/drill/safety.js';
import { BUILTIN_DIR, loadDrill, parseDrill } from '../src/drill/load.js';
import { runDrill } from '../src/drill/run.js';
import { INJECT_KINDS } from '../src/drill/inject/index.js';
import { CATALOGUE } from '../src/checks/index.js';
import { runChecks, selectChecks } from '../src/core/engine.js';
import { startAedes } from './helpers/aedes.js';
import { reportErrors, sarifErrors } from './helpers/schemas.js';
import { renderReport } from '../src/reporters/index.js';
import { runCli } from './helpers/cli.js';
import { freePort, waitForPort } from './helpers/ports.js';
import { needCommands } from './helpers/guard.js';

const ROOT = new URL('../', import.meta.url);

test('durations: ms, s, m and plain seconds; anything else is refused', () => {
  assert.equal(durationMs('250ms'), 250);
  assert.equal(durationMs('10s'), 10_000);
  assert.equal(durationMs('1.5s'), 1500);
  assert.equal(durationMs('2m'), 120_000);
  assert.equal(durationMs(3), 3000);
  for (const bad of ['10', '10 s', '1h', '-1s', 's', 0, -2]) assert.equal(DurationSchema.safeParse(bad).success, false, String(bad));
});

test('budget: caps on connections and failed logins, the rate limit spaces attempts, the deadline stops it', async () => {
  const ctl = new AbortController();
  const b = new RunBudget({ maxRate: 20, maxConnections: 5, maxFailedLogins: 3 }, ctl.signal);
  const t0 = performance.now();
  const got = [];
  for (let i = 0; i < 4; i++) got.push(await b.failedLogin());
  // 20/s: the three granted attempts take at least two intervals of 50 ms (a lower bound, never an upper one).
  assert.ok(performance.now() - t0 >= 95, 'attempts are spaced by the rate limit');
  assert.deepEqual(got, [true, true, true, false], 'the fourth failed login is over maxFailedLogins');
  assert.equal(b.refusedBy, 'failed-logins');
  assert.deepEqual(b.used, { connections: 3, failedLogins: 3 });
  assert.equal(await b.connection(), true);
  assert.equal(await b.connection(), true);
  assert.equal(await b.connection(), false, 'the sixth connection is over maxConnections');
  assert.equal(b.refusedBy, 'connections');
  const c = new RunBudget({ maxRate: 0.5, maxConnections: 10, maxFailedLogins: 10 }, ctl.signal);
  assert.equal(await c.connection(), true);
  const waiting = c.connection();
  ctl.abort();
  assert.equal(await waiting, false, 'the deadline ends a wait for the rate limit');
  assert.equal(c.used.connections, 1, 'a refused wait is not counted');
});

test('safety gate: loopback by default; anything else only with --authorized naming it exactly', () => {
  const loop = parseDrillTarget('mqtt://127.0.0.1:1883');
  assert.equal(loop.loopback, true);
  gateTarget(['loopback', 'lab'], loop);
  assert.throws(() => gateTarget(['lab'], loop), DrillRefused, 'a lab-only drill refuses a loopback port outside the lab');
  gateTarget(['lab'], parseDrillTarget('mqtt://127.0.0.1:21883'));
  const far = parseDrillTarget('mqtt://10.1.2.3:1883');
  assert.equal(far.loopback, false);
  assert.throws(() => gateTarget(['loopback', 'lab'], far), /not on loopback: a drill attacks it only with --authorized 10\.1\.2\.3:1883/);
  assert.throws(() => gateTarget(['10.1.2.3:1883'], far), /being listed in safety\.targets is not enough/);
  assert.throws(() => gateTarget(['loopback'], far, '10.1.2.4'), /does not name the target/);
  assert.throws(() => gateTarget(['loopback'], far, '10.1.2.3:1884'), /does not name the target/);
  assert.throws(() => gateTarget(['loopback'], far, '10.1.2.0/24'), /does not name the target/);
  gateTarget(['loopback'], far, '10.1.2.3:1883');
  gateTarget(['loopback'], far, '10.1.2.3');
  const v6 = parseDrillTarget('mqtt://[fd77::1]:1883');
  assert.ok(namesTarget('[fd77::1]:1883', v6) && namesTarget('fd77::1', v6) && !namesTarget('fd77::2', v6));
  assert.throws(() => parseDrillTarget('mqtt://u:p@127.0.0.1'), /no credentials in the URL/);
});

test('the gate refuses steps whose worst case is over the caps', () => {
  const { drill, params } = loadDrill('brute-force-burst');
  const kinds = drill.steps.map((s) => INJECT_KINDS.find((k) => k.kind === s.inject.kind)!);
  assert.deepEqual(gateDemand(drill, kinds, params), { connections: 20, failedLogins: 20 });
  assert.throws(() => gateDemand({ ...drill, safety: { ...drill.safety, maxFailedLogins: 10 } }, kinds, params), /20 failed logins \(safety\.maxFailedLogins 10\)/);
});

test('validate: every problem at file:line, inject parameters by the kind\'s schema', () => {
  const text = [
    'id: bad-drill', // 1
    'title: t', // 2
    'description: d', // 3
    'strategies: [access]', // 4
    'steps:', // 5
    '  - name: one', // 6
    '    inject:', // 7
    '      kind: failed-login-burst', // 8
    '      count: many', // 9
    '      colour: red', // 10
    '  - name: two', // 11
    '    inject: { kind: teleport }', // 12
    '    expect:', // 13
    '      - { kind: guard-ban, within: 10 years }', // 14
  ].join('\n');
  const bad = parseDrill(text, 'bad.yaml');
  assert.equal(bad.loaded, undefined);
  const at = bad.issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
  assert.ok(at.some((l) => /^bad\.yaml:14: steps\.1\.expect\.0\.within/.test(l)), at.join('\n'));
  // The schema's own errors come first; the inject parameters once the file is well-formed.
  const text2 = text.replace('within: 10 years', 'within: 10s');
  const at2 = parseDrill(text2, 'bad.yaml').issues.map((i) => `${i.file}:${i.line}: ${i.message}`);
  assert.ok(at2.some((l) => /^bad\.yaml:9: steps\.0\.inject\.count/.test(l)), at2.join('\n'));
  assert.ok(at2.some((l) => /^bad\.yaml:10: .*Unrecognized key: "colour"/.test(l)), at2.join('\n'));
  assert.ok(at2.some((l) => /^bad\.yaml:12: steps\.1\.inject\.kind: unknown inject kind "teleport"/.test(l)), at2.join('\n'));
  assert.deepEqual(parseDrill('id: [', 'x.yaml').issues.map((i) => i.file), ['x.yaml']);
});

test('every built-in drill validates with zod and against the published JSON Schema; the schema is current', () => {
  const schema = JSON.parse(readFileSync(new URL('schema/drill.schema.json', ROOT), 'utf8')) as object;
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  const validate = ajv.compile(schema);
  const files = readdirSync(BUILTIN_DIR).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 2);
  for (const f of files) {
    const text = readFileSync(path.join(BUILTIN_DIR, f), 'utf8');
    const data = parseYaml(text) as { id: string };
    assert.equal(data.id, f.replace(/\.yaml$/, ''), `${f}: id is the file name`);
    assert.deepEqual(parseDrill(text, f).issues, [], f);
    assert.ok(validate(data), `${f}: ${ajv.errorsText(validate.errors)}`);
  }
  // The published schema refuses what the loader refuses: an unknown inject parameter.
  const bad = parseYaml(readFileSync(path.join(BUILTIN_DIR, 'brute-force-burst.yaml'), 'utf8')) as { steps: { inject: Record<string, unknown> }[] };
  bad.steps[0]!.inject.colour = 'red';
  assert.equal(validate(bad), false);
  assert.equal(DrillFileSchema.safeParse({}).success, false);
});

/** A listener that counts the connections it accepts. */
async function countingListener(host: string): Promise<{ port: number; count: () => number; close: () => Promise<void> }> {
  let n = 0;
  const srv = net.createServer((s) => {
    n++;
    s.destroy();
  });
  await new Promise<void>((r) => srv.listen(0, host, () => r()));
  return { port: (srv.address() as net.AddressInfo).port, count: () => n, close: () => new Promise((r) => srv.close(() => r())) };
}

const external = Object.values(os.networkInterfaces()).flat().find((a) => a && a.family === 'IPv4' && !a.internal)?.address;

test('drill run: a non-loopback target without --authorized is refused (exit 2) before any packet', { skip: external ? false : 'no non-loopback IPv4 address', timeout: 60_000 }, async () => {
  const l = await countingListener(external!);
  try {
    const r = await runCli(['drill', 'run', 'brute-force-burst', '--target', `mqtt://${external}:${l.port}`]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /drill refused: .* is not on loopback: a drill attacks it only with --authorized/);
    const wrong = await runCli(['drill', 'run', 'brute-force-burst', '--target', `mqtt://${external}:${l.port}`, '--authorized', `${external}:${l.port + 1}`]);
    assert.equal(wrong.code, 2);
    assert.match(wrong.stderr, /does not name the target/);
    assert.equal(l.count(), 0, 'the listener saw no connection');
  } finally {
    await l.close();
  }
});

test('drill validate and show: errors at file:line with exit 2; list', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  try {
    const f = path.join(dir, 'd.yaml');
    writeFileSync(f, 'id: x\ntitle: t\ndescription: d\nstrategies: [access]\nsteps:\n  - name: s\n    inject: { kind: failed-login-burst, count: 0 }\n');
    const r = await runCli(['drill', 'validate', f, path.join(BUILTIN_DIR, 'subscription-sweep.yaml')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:7:\\d+: steps\\.0\\.inject\\.count`));
    assert.match(r.stdout, /subscription-sweep\.yaml: ok/);
    const list = await runCli(['drill', 'list', '-f', 'json']);
    assert.equal(list.code, 0);
    assert.ok((JSON.parse(list.stdout) as { id: string }[]).some((d) => d.id === 'brute-force-burst'));
    const missing = await runCli(['drill', 'show', 'no-such-drill']);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no built-in drill "no-such-drill"/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a run against an in-process broker: unplaced expectations are not verified (SKIP, never PASS); EMQX banned API and webhook are observed', { timeout: 60_000 }, async () => {
  const broker = await startAedes({ users: { alice: 'secret' } });
  // A fake EMQX API: lists 127.0.0.1 as banned once the burst has begun, for the right API key only.
  let bannedAfter = Infinity;
  const emqx = http.createServer((req, res) => {
    if (req.headers.authorization !== `Basic ${Buffer.from('k:s').toString('base64')}`) return void res.writeHead(401).end();
    if (!req.url?.startsWith('/api/v5/banned')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: Date.now() >= bannedAfter ? [{ as: 'peerhost', who: '127.0.0.1' }] : [], meta: { count: 0 } }));
  });
  await new Promise<void>((r) => emqx.listen(0, '127.0.0.1', () => r()));
  const emqxUrl = `http://127.0.0.1:${(emqx.address() as net.AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  try {
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, [
      'id: local', 'title: local', 'description: local', 'strategies: [awareness]',
      'safety: { maxRate: 50, maxDuration: 30s }',
      'steps:',
      '  - name: burst',
      '    inject: { kind: failed-login-burst, count: 4, rate: 50 }',
      '    expect:',
      '      - { kind: guard-ban, within: 1s }',
      '      - { kind: broker-log, pattern: "x", within: 1s }',
      '      - { kind: emqx-banned, within: 3s }',
      '      - { kind: webhook, within: 3s }',
      '      - { kind: resisted, within: 1s }',
      '',
    ].join('\n'));
    const loaded = loadDrill(file);
    // The webhook alert is sent by "the defence" (here: the test) once the burst has begun.
    const port = await new Promise<number>((r) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => r(p));
      });
    });
    setTimeout(() => {
      bannedAfter = Date.now();
      void fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: JSON.stringify({ alert: 'ban', ip: '127.0.0.1' }) }).catch(() => undefined);
    }, 500);
    const report = await runChecks({
      command: 'drill',
      checks: selectChecks(CATALOGUE, { scopes: ['drill'] }),
      drill: { loaded, target: parseDrillTarget(broker.url), sources: ['127.0.0.1'], places: { emqx: { url: emqxUrl, key: 'k', secret: 's' } }, webhookPort: port, timeoutMs: 2000, pollMs: 50 },
      options: { intrusive: true, host: false, network: true, failOn: 'medium', identity: 'anonymous' },
    });
    const by = (kind: string) => report.results.find((r) => r.checkId === 'CFG-090' && r.evidence.expectation === kind)!;
    assert.equal(by('guard-ban').status, 'SKIP');
    assert.match(by('guard-ban').message, /not verified: no --guard-state, --nft-table or --redis given/);
    assert.equal(by('broker-log').status, 'SKIP');
    assert.match(by('broker-log').message, /no --broker-log FILE given/);
    assert.equal(by('emqx-banned').status, 'PASS', by('emqx-banned').message);
    assert.equal(by('webhook').status, 'PASS', by('webhook').message);
    // Aedes has no login restriction: the burst is answered to the end.
    assert.equal(by('resisted').status, 'FAIL');
    assert.match(by('resisted').message, /all 4 failed logins were answered/);
    assert.equal(typeof by('emqx-banned').evidence.timeToDetectMs, 'number', 'time-to-detect is in the evidence');
    assert.equal(report.results.find((r) => r.checkId === 'CFG-093')!.status, 'PASS');
    assert.equal(report.command, 'drill');
    // The drill is the target's fragment: another drill against the same broker is another subject (fingerprints, history scope).
    assert.deepEqual(report.targets, [{ uri: `${broker.url}#local`, explicit: true }]);
    assert.ok(report.results.every((r) => r.subject === `${broker.url}#local`));
    // Every format carries the drill's verdicts and timings.
    const catalogue = CATALOGUE.map((c) => c.meta);
    const json = JSON.parse(renderReport('json', report, { color: false, verbose: false, quiet: false, catalogue })) as unknown;
    assert.equal(reportErrors(json), '');
    assert.equal(sarifErrors(JSON.parse(renderReport('sarif', report, { color: false, verbose: false, quiet: false, catalogue }))), '');
    assert.match(renderReport('junit', report, { color: false, verbose: false, quiet: false, catalogue }), /CFG-090[\s\S]*not verified: no --guard-state/);
    assert.match(renderReport('html', report, { color: false, verbose: false, quiet: false, catalogue }), /timeToDetectMs/);
  } finally {
    await broker.stop();
    await new Promise((r) => emqx.close(r));
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runDrill refuses a gated run itself (nothing is sent even when called directly)', async () => {
  const l = await countingListener('127.0.0.1');
  try {
    const loaded = loadDrill('subscription-sweep');
    const target = { ...parseDrillTarget(`mqtt://127.0.0.1:${l.port}`) };
    await assert.rejects(runDrill({ loaded: { ...loaded, drill: { ...loaded.drill, safety: { ...loaded.drill.safety, targets: ['lab'] } } }, target, sources: [], places: {} }), DrillRefused);
    await assert.rejects(runDrill({ loaded, target, sources: ['not-an-ip'], places: {} }), /--source not-an-ip: not an IP address/);
    assert.equal(l.count(), 0);
  } finally {
    await l.close();
  }
});

test('maxDuration aborts a run: the step stops, the rollback still runs, CFG-093 fails', { timeout: 60_000 }, async () => {
  const broker = await startAedes({ users: { alice: 'secret' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  try {
    const file = path.join(dir, 'slow.yaml');
    writeFileSync(file, [
      'id: slow', 'title: slow', 'description: slow', 'strategies: [awareness]',
      'safety: { maxRate: 5, maxDuration: 1500ms, maxFailedLogins: 100, maxConnections: 200 }',
      'steps:',
      '  - name: long-burst',
      '    inject: { kind: failed-login-burst, count: 100, rate: 2 }',
      '    expect: [{ kind: resisted, within: 1s }]',
      'rollback: [{ kind: unban }]',
      '',
    ].join('\n'));
    const t0 = performance.now();
    const j = await runDrill({ loaded: loadDrill(file), target: parseDrillTarget(broker.url), sources: [], places: {}, timeoutMs: 1000 });
    assert.ok(performance.now() - t0 < 20_000);
    assert.match(j.aborted ?? '', /maxDuration 1500ms reached/);
    assert.ok(['abort', 'deadline'].includes(j.steps[0]!.outcome.stoppedBy ?? ''), j.steps[0]!.outcome.stoppedBy);
    assert.ok(j.steps[0]!.outcome.failedLogins < 100);
    assert.deepEqual(j.rollback.map((r) => r.kind), ['unban'], 'the rollback ran after the abort');
    const check = CATALOGUE.find((c) => c.meta.id === 'CFG-093')!;
    const v = check.judge({ 'drill.journal': j } as never, { subject: broker.url, host: '127.0.0.1', loopback: true });
    assert.equal((Array.isArray(v) ? v[0] : v).status, 'FAIL');
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guard-ban in guard\'s SQLite state: a ban made during the step is met (and rolled back); a ban older than the step is not the drill\'s', { timeout: 60_000 }, async () => {
  const { StateStore } = await import('../src/guard/state.js');
  const broker = await startAedes({ users: { alice: 'secret' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  try {
    const db = path.join(dir, 'guard.db');
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, [
      'id: state', 'title: state', 'description: state', 'strategies: [awareness]',
      'safety: { maxRate: 50 }',
      'steps:',
      '  - name: burst',
      '    inject: { kind: failed-login-burst, count: 6, rate: 10 }',
      '    expect: [{ kind: guard-ban, in: state, within: 2s }, { kind: guard-ban, in: nft, within: 2s }]',
      'rollback: [{ kind: unban }]',
      '',
    ].join('\n'));
    const run = () => runDrill({ loaded: loadDrill(file), target: parseDrillTarget(broker.url), sources: ['127.0.0.1'], places: { guardState: db }, timeoutMs: 2000, pollMs: 50 });
    // An old ban (before the drill) does not count.
    const st = new StateStore(db);
    st.recordBan({ ip: '127.0.0.1', reason: 'old', created: Date.now() - 600_000, expires: Date.now() + 600_000, origin: 'local', offence: 1 });
    const old = await run();
    const [stateOld, nftOld] = old.steps[0]!.expectations;
    assert.equal(stateOld!.status, 'failed');
    assert.match(stateOld!.message, /^guard-ban: 127\.0\.0\.1 not detected within 2 s \(looked in guard state .*guard\.db\)$/);
    assert.equal(nftOld!.status, 'not-verified', 'in: nft without --nft-table is not verified');
    assert.match(old.rollback[0]!.detail, /0 ban\(s\) removed/, 'the rollback leaves bans the drill did not cause');
    // An old ban of the network holding the address (subnet rule) does not count either.
    st.recordBan({ ip: '127.0.0.0/24', reason: 'subnet', created: Date.now() - 600_000, expires: Date.now() + 600_000, origin: 'local', offence: 1, members: ['127.0.0.2'] });
    assert.equal((await run()).steps[0]!.expectations[0]!.status, 'failed');
    // A new ban of a network holding it does; the rollback (unban of the address) leaves the network ban.
    const netTimer = setTimeout(() => st.recordBan({ ip: '127.0.0.0/24', reason: 'subnet', created: Date.now(), expires: Date.now() + 600_000, origin: 'local', offence: 2 }), 300);
    const byNet = await run();
    clearTimeout(netTimer);
    assert.equal(byNet.steps[0]!.expectations[0]!.status, 'met', byNet.steps[0]!.expectations[0]!.message);
    assert.match(byNet.rollback[0]!.detail, /1 ban\(s\) removed from .* \(networks: 127\.0\.0\.0\/24\)/, 'the rollback lifts the network ban the drill caused');
    assert.equal(st.ban('127.0.0.0/24'), undefined);
    // "guard" bans the address 300 ms into the step.
    const timer = setTimeout(() => st.recordBan({ ip: '127.0.0.1', reason: 'auth', created: Date.now(), expires: Date.now() + 600_000, origin: 'local', offence: 2 }), 300);
    const j = await run();
    clearTimeout(timer);
    const met = j.steps[0]!.expectations[0]!;
    assert.equal(met.status, 'met', met.message);
    assert.ok((met.afterMs ?? 0) >= 200 && j.steps[0]!.timeToDetectMs === met.afterMs);
    assert.match(j.rollback[0]!.detail, /1 ban\(s\) removed/);
    assert.equal(st.activeBans().some((b) => b.ip === '127.0.0.1'), false, 'the drill\'s ban is gone');
    st.close();
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guard-ban in the nft set: read with nft -j list set of the address\'s family; a missing table is "not yet", with the error in the failure', { timeout: 60_000 }, async () => {
  const broker = await startAedes({ users: { alice: 'secret' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  try {
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, ['id: nft', 'title: nft', 'description: nft', 'strategies: [awareness]', 'safety: { maxRate: 50 }', 'steps:', '  - name: burst', '    inject: { kind: failed-login-burst, count: 4, rate: 10 }', '    expect: [{ kind: guard-ban, in: nft, within: 1s }]', ''].join('\n'));
    const asked: string[][] = [];
    let banned: false | 'address' | 'network' | 'other network' = false;
    const nft = async (args: string[]) => {
      asked.push(args);
      if (!banned) throw new Error('Error: No such file or directory; did you mean table \u2018x\u2019?');
      const prefix = (addr: string) => [{ elem: { val: { prefix: { addr, len: 24 } }, timeout: 60, expires: 59 } }];
      const elem = banned === 'address' ? (args[5] === 'ipv4_addr' ? [{ elem: { val: '127.0.0.1', timeout: 60, expires: 59 } }] : [])
        : args[5] === 'ipv4_net' ? prefix(banned === 'network' ? '127.0.0.0' : '127.0.1.0') : [];
      return { stdout: JSON.stringify({ nftables: [{ metainfo: {} }, { set: { family: 'inet', name: args[5], table: args[4], elem } }] }), stderr: '' };
    };
    const run = () => runDrill({ loaded: loadDrill(file), target: parseDrillTarget(broker.url), sources: ['127.0.0.1'], places: { nftTable: 'mqtt_warden_guard', nftRunner: nft }, timeoutMs: 2000, pollMs: 50 });
    const missing = (await run()).steps[0]!.expectations[0]!;
    assert.equal(missing.status, 'failed');
    assert.match(missing.message, /^guard-ban: 127\.0\.0\.1 not detected within 1 s \(looked in nft sets inet mqtt_warden_guard ipv4_addr, ipv4_net\); last error: .*No such file/);
    assert.deepEqual(asked[0], ['-j', 'list', 'set', 'inet', 'mqtt_warden_guard', 'ipv4_addr']);
    banned = 'address';
    const met = (await run()).steps[0]!.expectations[0]!;
    assert.equal(met.status, 'met', met.message);
    // A ban of the network holding the source (guard's subnet rule) is a ban of the source; another network is not.
    banned = 'network';
    const net = (await run()).steps[0]!.expectations[0]!;
    assert.equal(net.status, 'met', net.message);
    banned = 'other network';
    assert.equal((await run()).steps[0]!.expectations[0]!.status, 'failed');
  } finally {
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guard-ban in Redis (a real redis-server): the key <prefix>:ban:<ip> set during the step is met; the rollback deletes it', { skip: needCommands('redis-server'), timeout: 60_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { Redis } = await import('ioredis');
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const broker = await startAedes({ users: { alice: 'secret' } });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-drill-'));
  const url = `redis://127.0.0.1:${port}`;
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await waitForPort('127.0.0.1', port, 5000);
    await client.connect();
    const file = path.join(dir, 'd.yaml');
    writeFileSync(file, ['id: redis', 'title: redis', 'description: redis', 'strategies: [awareness]', 'safety: { maxRate: 50 }', 'steps:', '  - name: burst', '    inject: { kind: failed-login-burst, count: 6, rate: 10 }', '    expect: [{ kind: guard-ban, in: redis, within: 2s }]', 'rollback: [{ kind: unban }]', ''].join('\n'));
    const key = 'mqtt-warden:guard:ban:127.0.0.1';
    const timer = setTimeout(() => void client.set(key, JSON.stringify({ ip: '127.0.0.1', reason: 'auth', expires: Date.now() + 60_000, node: 'n1' }), 'PX', 60_000), 300);
    const j = await runDrill({ loaded: loadDrill(file), target: parseDrillTarget(broker.url), sources: ['127.0.0.1'], places: { redis: { url, prefix: 'mqtt-warden:guard' } }, timeoutMs: 2000, pollMs: 50 });
    clearTimeout(timer);
    const e = j.steps[0]!.expectations[0]!;
    assert.equal(e.status, 'met', e.message);
    assert.match(e.message, /in Redis redis:\/\/127\.0\.0\.1:\d+ keys mqtt-warden:guard:ban:<ip>/);
    assert.match(j.rollback[0]!.detail, /1 Redis key\(s\) deleted/);
    assert.equal(await client.exists(key), 0);
  } finally {
    client.disconnect();
    server.kill('SIGTERM');
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
