/**
 * Hostile input: devices, FIFOs, huge and binary files, deep nesting. Every case must end in a
 * clear error naming the path (exit 2 through the CLI) or a verdict, within its time bound:
 * never a hang, a signal, a V8 abort or a stack overflow.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli, type CliRun } from './helpers/cli.js';
import { parseHocon } from '../src/config/hocon.js';
import { parseMosquittoConfig, parseMosquittoPasswd } from '../src/config/mosquitto.js';
import { memoryIO } from '../src/config/io.js';
import { FileReadError, READ_LIMITS, readTextFile, readTextFileAsync } from '../src/io/read.js';
import { makeRoot, readSys } from '../src/collectors/system/sysroot.js';
import { detectFormat } from '../src/collectors/config.js';
import { parseLocatedYaml } from '../src/config/located-yaml.js';

let dir: string;
let fifo: string;
/**
 * What starting the CLI and linting a tiny valid config costs on this machine right now (tsx
 * compiles the sources; a loaded 2-core runner takes seconds): the bounds below are this plus
 * the time the refusal itself may take, so a hang (killed at the timeout) always fails.
 */
let startupMs = 0;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mqtt-warden-hostile-'));
  fifo = join(dir, 'pipe.conf');
  execFileSync('mkfifo', [fifo]);
  const ok = join(dir, 'ok.conf');
  writeFileSync(ok, 'listener 1883 127.0.0.1\nallow_anonymous false\n');
  const t0 = performance.now();
  const r = await runCli(['lint', ok], { timeoutMs: 60_000 });
  startupMs = performance.now() - t0;
  assert.ok(r.code === 0 || r.code === 1, r.stderr);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A CLI run that must end with exit 2 within `boundMs`, its message naming `path` and `what`. */
async function refused(args: string[], path: string, what: RegExp, extraMs = 5000): Promise<CliRun> {
  const boundMs = startupMs * 1.5 + extraMs;
  const t0 = performance.now();
  const r = await runCli(args, { timeoutMs: boundMs + 5000 });
  const ms = performance.now() - t0;
  assert.ok(ms < boundMs, `${args.join(' ')} took ${ms.toFixed(0)} ms (bound ${boundMs.toFixed(0)} ms: start-up ${startupMs.toFixed(0)} ms × 1.5 + ${extraMs} ms)`);
  assert.equal(r.code, 2, `${args.join(' ')}: exit ${r.code}\n${r.stderr}`);
  assert.ok(r.stderr.includes(path), `${args.join(' ')}: the message names ${path}: ${r.stderr}`);
  assert.match(r.stderr, what);
  assert.doesNotMatch(r.stderr, /internal error|at .*\.ts:\d+/);
  return r;
}

const FIFO = /is a FIFO \(named pipe\), not a regular file/;
const CHARDEV = /is a character device, not a regular file/;

describe('through the CLI: exit 2 naming the path, never a hang', { concurrency: 2 }, () => {
  test('lint /dev/zero and lint of a FIFO end within 5 s', async () => {
    await refused(['lint', '/dev/zero'], '/dev/zero', CHARDEV, 5000);
    await refused(['lint', fifo], fifo, FIFO, 5000);
  });
  test('lint /dev/urandom; lint of a directory holding only a FIFO', async () => {
    await refused(['lint', '/dev/urandom'], '/dev/urandom', CHARDEV);
    const d = join(dir, 'only-fifo');
    mkdirSync(d);
    execFileSync('mkfifo', [join(d, 'mosquitto.conf')]);
    await refused(['lint', d], 'nothing to lint', /no Mosquitto or EMQX config found/);
  });
  test('a 50 MB HOCON config is refused with its size and the limit', async () => {
    const big = join(dir, 'big.hocon');
    const line = 'listeners.tcp.default.max_connections = 1024000 # padding padding padding\n';
    writeFileSync(big, line.repeat(Math.ceil((50 * 1024 * 1024) / line.length)));
    await refused(['lint', big], big, /is 52\.\d MB, over the 16 MiB limit for a config file/);
  });
  test('passwd audit /dev/zero and a FIFO', async () => {
    await refused(['passwd', 'audit', '/dev/zero'], '/dev/zero', CHARDEV);
    await refused(['passwd', 'audit', fifo], fifo, FIFO);
  });
  test('audit --targets /dev/zero and a FIFO', async () => {
    await refused(['audit', '--targets', '/dev/zero'], '/dev/zero', /cannot read targets file \/dev\/zero: is a character device/);
    await refused(['audit', '--targets', fifo], fifo, /cannot read targets file .*: is a FIFO/);
  });
  test('password_file /dev/zero and include_dir holding a FIFO inside a linted config', async () => {
    const conf = join(dir, 'pw.conf');
    writeFileSync(conf, 'listener 1883\nallow_anonymous false\npassword_file /dev/zero\n');
    await refused(['lint', conf], '/dev/zero', CHARDEV);
    await refused(['passwd', 'audit', conf], '/dev/zero', CHARDEV);
    const inc = join(dir, 'inc');
    mkdirSync(inc);
    execFileSync('mkfifo', [join(inc, 'evil.conf')]);
    const top = join(dir, 'inc.conf');
    writeFileSync(top, `listener 1883\ninclude_dir ${inc}\n`);
    await refused(['lint', top], join(inc, 'evil.conf'), FIFO);
  });
  test('advisories update --from /dev/zero and a FIFO', async () => {
    const home = join(dir, 'home');
    mkdirSync(home, { recursive: true });
    const env = { HOME: home, XDG_DATA_HOME: join(home, 'data') };
    for (const [p, what] of [
      ['/dev/zero', CHARDEV],
      [fifo, FIFO],
    ] as const) {
      const t0 = performance.now();
      const r = await runCli(['advisories', 'update', '--from', p], { env, timeoutMs: startupMs * 1.5 + 10_000 });
      assert.ok(performance.now() - t0 < startupMs * 1.5 + 5000);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, new RegExp(`advisory file ${p.replace(/[/.]/g, '\\$&')}: ${what.source}`));
    }
  });
  test('--policy, --cluster, --crl, --ca given a FIFO or a device', async () => {
    await refused(['lint', '--policy', fifo, '/dev/null'], fifo, FIFO);
    await refused(['ports', '--cluster', '/dev/zero'], '/dev/zero', CHARDEV);
    await refused(['audit', 'mqtt://127.0.0.1:1', '--crl', fifo], fifo, FIFO);
    await refused(['audit', 'mqtts://127.0.0.1:1', '--ca', '/dev/zero'], '/dev/zero', CHARDEV);
  });
  test('a FIFO in conf.d under audit --host-only --root R: a problem naming the file, no hang', async () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'etc/mosquitto/conf.d'), { recursive: true });
    writeFileSync(join(root, 'etc/mosquitto/mosquitto.conf'), 'listener 1883\nallow_anonymous false\ninclude_dir /etc/mosquitto/conf.d\n');
    execFileSync('mkfifo', [join(root, 'etc/mosquitto/conf.d/evil.conf')]);
    execFileSync('mkfifo', [join(root, 'etc/mosquitto/passwd')]);
    const t0 = performance.now();
    const r = await runCli(['audit', '--host-only', '--root', root, '--format', 'json'], { timeoutMs: startupMs * 2 + 40_000 });
    const ms = performance.now() - t0;
    assert.ok(ms < startupMs * 2 + 30_000, `took ${ms.toFixed(0)} ms`);
    assert.notEqual(r.code, null, 'killed: it hung');
    assert.ok(r.code === 0 || r.code === 1, `exit ${r.code}: ${r.stderr}`);
    assert.match(r.stdout, /cannot read \/etc\/mosquitto\/conf\.d\/evil\.conf: is a FIFO \(named pipe\), not a regular file/);
  });
});

describe('the reader', () => {
  test('refuses devices, FIFOs and directories before opening them, and files over the limit', async () => {
    const t0 = performance.now();
    for (const [p, re] of [
      ['/dev/zero', CHARDEV],
      ['/dev/urandom', CHARDEV],
      [fifo, FIFO],
      [dir, /is a directory, not a regular file/],
    ] as const) {
      assert.throws(() => readTextFile(p, 'config'), (e: unknown) => e instanceof FileReadError && e.path === p && re.test(e.message) && e.message.startsWith(`cannot read config file ${p}: `));
      await assert.rejects(readTextFileAsync(p, 'config'), (e: unknown) => e instanceof FileReadError && re.test(e.message));
    }
    const big = join(dir, 'big.txt');
    writeFileSync(big, Buffer.alloc(2 * 1024 * 1024 + 1, 0x61));
    assert.throws(() => readTextFile(big, 'config', { maxBytes: 2 * 1024 * 1024 }), /cannot read config file .*big\.txt: is 2\.1 MB, over the 2 MiB limit for a config file/);
    assert.equal(readTextFile(big, 'config').length, 2 * 1024 * 1024 + 1);
    assert.equal(readTextFile(big, 'config', { maxBytes: 10, truncate: true }), 'a'.repeat(10));
    assert.throws(() => readTextFile(join(dir, 'none'), 'targets'), (e: unknown) => e instanceof FileReadError && e.code === 'ENOENT' && /cannot read targets file .*none: ENOENT/.test(e.message));
    assert.ok(performance.now() - t0 < 3000);
  });
  test('readSys of a FIFO in an offline root is an error naming the real path, not a blocked read', async () => {
    const t0 = performance.now();
    const r = await readSys(makeRoot(dir, 1000), '/pipe.conf');
    assert.deepEqual(r, { ok: false, missing: false, error: `${fifo}: is a FIFO (named pipe), not a regular file` });
    assert.ok(performance.now() - t0 < 1000);
  });
  test('every kind has a documented limit', () => {
    for (const [kind, { label, maxBytes }] of Object.entries(READ_LIMITS)) {
      assert.ok(label.length > 0 && maxBytes >= 1024 * 1024 && maxBytes <= 64 * 1024 * 1024, kind);
    }
    assert.equal(READ_LIMITS.config.maxBytes, 16 * 1024 * 1024);
  });
});

/** Run a parse and assert it ends within `ms`, returning its result. */
function bounded<T>(ms: number, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  const took = performance.now() - t0;
  assert.ok(took < ms, `took ${took.toFixed(0)} ms (bound ${ms} ms)`);
  return r;
}

function randomText(bytes: number, seed: number): string {
  // Deterministic garbage: an LCG over all byte values, decoded as UTF-8 (invalid sequences included).
  const b = Buffer.alloc(bytes);
  let x = seed >>> 0;
  for (let i = 0; i < bytes; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    b[i] = x >>> 24;
  }
  return b.toString('utf8');
}

describe('parsers on hostile text: a located issue or a result, bounded in time, never a crash', () => {
  test('YAML (policy, project, drill files): an error quotes at most 200 characters of the offending token', () => {
    const { yaml, issues } = parseLocatedYaml(`- a\nb: ${'x'.repeat(50_000)}\n`, 'big.yaml');
    assert.equal(yaml, undefined);
    assert.ok(issues.length > 0);
    for (const i of issues) assert.ok(i.message.length < 260, `${i.message.length} characters: ${i.message.slice(0, 80)}`);
    assert.ok(issues.some((i) => /… \(\d+ more characters\)$/.test(i.message)), issues.map((i) => i.message.slice(-40)).join(' | '));
  });
  const hoconCases: [string, string][] = [
    ['100k nested objects', 'a{'.repeat(100_000)],
    ['100k nested objects, closed', `${'a{'.repeat(100_000)}${'}'.repeat(100_000)}`],
    ['100k nested arrays', `a = ${'['.repeat(100_000)}`],
    ['100k nested arrays, closed', `a = ${'['.repeat(100_000)}${']'.repeat(100_000)}`],
    ['deep dotted key', `${Array.from({ length: 50_000 }, (_, i) => `k${i}`).join('.')} = 1`],
    ['a 4 MB line', `a = ${'x'.repeat(4 * 1024 * 1024)}`],
    ['a 4 MB quoted string', `a = "${'x'.repeat(4 * 1024 * 1024)}"`],
    ['NUL bytes', `a = 1\n\0\0\0b = 2\n${'\0'.repeat(100_000)}`],
    ['invalid UTF-8', Buffer.from([0x61, 0x20, 0x3d, 0x20, 0xff, 0xfe, 0xc3, 0x28, 0x0a, 0xe2, 0x82]).toString('utf8').repeat(100_000)],
    ['binary garbage', randomText(2 * 1024 * 1024, 7)],
    ['unterminated triple quote', `a = """${'x\n'.repeat(200_000)}`],
    ['substitution chain', Array.from({ length: 20_000 }, (_, i) => `k${i + 1} = \${k${i}} [${i}]`).join('\n') + '\nk0 = []'],
    ['billion laughs', 'a = [x,x,x,x,x,x,x,x,x,x]\n' + Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)} = [\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}},\${${String.fromCharCode(97 + i)}}]`).join('\n')],
  ];
  for (const [name, text] of hoconCases) {
    test(`HOCON: ${name}`, () => {
      const r = bounded(5000, () => parseHocon(text, 'hostile.conf', { io: memoryIO({}) }));
      assert.ok(r.root.t === 'obj');
    });
  }
  test('HOCON: deep nesting is a located issue', () => {
    const r = parseHocon('a{'.repeat(100_000), 'deep.conf', { io: memoryIO({}) });
    assert.match(r.issues[0]!.message, /nesting deeper than 128/);
    assert.equal(r.issues[0]!.file, 'deep.conf');
  });
  test('HOCON and mosquitto.conf over 16 MiB: one issue naming the limit, not parsed', () => {
    const text = 'a = 1\n'.repeat(Math.ceil((16 * 1024 * 1024 + 1) / 6));
    const h = bounded(3000, () => parseHocon(text, 'huge.conf', { io: memoryIO({}) }));
    assert.deepEqual(
      h.issues.map((i) => i.message),
      ['huge.conf is over the 16 MiB limit for a config file: not parsed'],
    );
    const m = bounded(3000, () => parseMosquittoConfig(text, 'huge.conf', memoryIO({})));
    assert.deepEqual(
      m.issues.map((i) => i.message),
      ['huge.conf is over the 16 MiB limit for a config file: not parsed'],
    );
  });
  const mosqCases: [string, string][] = [
    ['binary garbage', randomText(2 * 1024 * 1024, 11)],
    ['NUL bytes', `listener 1883\n${'\0'.repeat(1_000_000)}\nallow_anonymous true\n`],
    ['a 4 MB line', `password_file ${'x'.repeat(4 * 1024 * 1024)}\n`],
    ['300k unknown directives', Array.from({ length: 300_000 }, (_, i) => `word${i} value${i}`).join('\n')],
    ['50k listeners', Array.from({ length: 50_000 }, (_, i) => `listener ${1024 + (i % 60_000)}\nallow_anonymous false`).join('\n')],
  ];
  for (const [name, text] of mosqCases) {
    test(`mosquitto.conf: ${name}`, () => {
      const r = bounded(5000, () => parseMosquittoConfig(text, 'hostile.conf', memoryIO({})));
      assert.ok(r.issues.length <= 1001, `${r.issues.length} issues`);
      assert.ok(Array.isArray(r.listeners));
    });
  }
  test('mosquitto.conf: garbage ends the problem list with a clear last line', () => {
    const r = parseMosquittoConfig(Array.from({ length: 5000 }, (_, i) => `junk${i}`).join('\n'), 'junk.conf', memoryIO({}));
    assert.equal(r.issues.length, 1001);
    assert.match(r.issues.at(-1)!.message, /^more than 1000 problems: the rest of the file was not checked/);
  });
  test('password files and format detection on garbage', () => {
    const g = randomText(1024 * 1024, 3);
    bounded(3000, () => parseMosquittoPasswd(g, 'pw'));
    bounded(3000, () => detectFormat('x.conf', g));
  });
});
