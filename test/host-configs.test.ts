/**
 * The broker configs of a host audit are read and parsed once per run, and both
 * the config facts (config.*) and the broker discovery (sys.brokers and the host
 * checks built on it) come from that one parse: every config file is read once,
 * and a --config file is the same product on both sides (detectFormat).
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ConfigIO } from '../src/config/io.js';
import { hostConfigIO } from '../src/collectors/config.js';
import { SYSTEM_PROVIDERS, type SystemAuditOptions } from '../src/collectors/system/index.js';
import { makeRoot } from '../src/collectors/system/sysroot.js';
import { collectFacts } from '../src/core/providers.js';
import type { FactMap, FactTypes } from '../src/core/facts.js';
import type { FactKey } from '../src/core/types.js';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function tempDir(name: string): string {
  const d = mkdtempSync(join(tmpdir(), `mw-once-${name}-${process.pid}-`));
  dirs.push(d);
  return d;
}

function put(root: string, p: string, text: string | Buffer) {
  mkdirSync(dirname(join(root, p)), { recursive: true });
  writeFileSync(join(root, p), text);
}

/** Every read of a broker config, by path. */
function counting(io: ConfigIO) {
  const reads = new Map<string, number>();
  const lists = new Map<string, number>();
  const bump = (m: Map<string, number>, p: string) => m.set(p, (m.get(p) ?? 0) + 1);
  const wrapped: ConfigIO = {
    ...io,
    readFile: (p) => {
      bump(reads, p);
      return io.readFile(p);
    },
    listDir: (p) => {
      bump(lists, p);
      return io.listDir(p);
    },
  };
  return { io: wrapped, reads, lists };
}

/** Both consumers of the configs: the config checks' facts and the host checks' facts. */
const WANTED: FactKey[] = ['config.mosquitto', 'config.emqx', 'config.passwords', 'policy', 'sys.brokers', 'sys.keys', 'sys.logging'];

async function collect(root: string, configs: string[] = []): Promise<{ facts: FactMap; notes: string[]; reads: Map<string, number>; lists: Map<string, number> }> {
  const options: SystemAuditOptions = { root, timeoutMs: 3000, ...(configs.length && { configs }) };
  const c = counting(hostConfigIO(root, configs));
  const notes: string[] = [];
  const facts = await collectFacts(SYSTEM_PROVIDERS, { options, r: makeRoot(root, 3000), configIO: c.io }, new Set(WANTED), { notes });
  return { facts, notes, reads: c.reads, lists: c.lists };
}

function ok<K extends FactKey>(facts: FactMap, key: K): FactTypes[K] {
  const f = facts[key];
  if (f?.state !== 'ok') assert.fail(`${key}: ${JSON.stringify(f)}`);
  return f.value as FactTypes[K];
}

const readOnce = (reads: Map<string, number>, paths: string[]) => {
  for (const p of paths) assert.equal(reads.get(p), 1, `${p} read ${reads.get(p) ?? 0} times (${JSON.stringify([...reads])})`);
};

test('Mosquitto with include_dir: each config file read once, both the config facts and sys.brokers built from it', async () => {
  const root = tempDir('mosq');
  put(root, '/etc/mosquitto/mosquitto.conf', 'include_dir /etc/mosquitto/conf.d\nuser broker\n');
  put(root, '/etc/mosquitto/conf.d/10-tls.conf', 'listener 8883\ncertfile /etc/mosquitto/certs/server.crt\nkeyfile /etc/mosquitto/certs/server.key\npassword_file /etc/mosquitto/passwd\n');
  put(root, '/etc/mosquitto/conf.d/20-local.conf', 'listener 1883 127.0.0.1\nlog_dest file /var/log/mosquitto/mosquitto.log\n');
  put(root, '/etc/mosquitto/passwd', 'u:$6$c2FsdHNhbHRzYWx0$aGFzaA==\n');
  const { facts, reads, lists } = await collect(root);

  readOnce(reads, ['/etc/mosquitto/mosquitto.conf', '/etc/mosquitto/conf.d/10-tls.conf', '/etc/mosquitto/conf.d/20-local.conf', '/etc/mosquitto/passwd']);
  assert.equal(lists.get('/etc/mosquitto/conf.d'), 1, 'include_dir listed once');

  const m = ok(facts, 'config.mosquitto');
  assert.deepEqual(m.configs.map((c) => c.files), [['/etc/mosquitto/mosquitto.conf', '/etc/mosquitto/conf.d/10-tls.conf', '/etc/mosquitto/conf.d/20-local.conf']]);
  assert.equal(ok(facts, 'config.passwords').mosquitto[0]!.path, '/etc/mosquitto/passwd');
  const b = ok(facts, 'sys.brokers');
  assert.deepEqual(b.configs.map((c) => [c.product, c.file]), [['mosquitto', join(root, 'etc/mosquitto/mosquitto.conf')]]);
  assert.deepEqual(b.declared.map((l) => `${l.port}/${l.bind ?? '*'}/${l.kind} ${l.location?.file}:${l.location?.line}`), [
    '8883/*/mqtts /etc/mosquitto/conf.d/10-tls.conf:1',
    '1883/127.0.0.1/mqtt /etc/mosquitto/conf.d/20-local.conf:1',
  ]);
  assert.deepEqual(b.runAs.map((x) => x.user), ['broker']);
  // The key files come from the same parse (host paths, located in the included file).
  const keys = ok(facts, 'sys.keys');
  assert.deepEqual(keys.files.map((f) => `${f.role} ${f.path} ${f.refs[0]!.file}:${f.refs[0]!.line}`).sort(), [
    'cert /etc/mosquitto/certs/server.crt /etc/mosquitto/conf.d/10-tls.conf:2',
    'key /etc/mosquitto/certs/server.key /etc/mosquitto/conf.d/10-tls.conf:3',
  ]);
});

test('EMQX layered under /opt/emqx: base.hocon, cluster.hocon, emqx.conf and acl.conf read once; ${EMQX_ETC_DIR} resolved on both sides', async () => {
  const root = tempDir('emqx');
  put(root, '/opt/emqx/etc/base.hocon', 'dashboard.listeners.http.bind = "127.0.0.1:18083"\n');
  put(
    root,
    '/opt/emqx/etc/emqx.conf',
    [
      'node { name = "emqx@10.0.0.1", cookie = "a-long-random-cookie-value-1234" }',
      'listeners.ssl.default { bind = "0.0.0.0:8883", ssl_options { keyfile = "${EMQX_ETC_DIR}/certs/k.pem", certfile = "${EMQX_ETC_DIR}/certs/c.pem" } }',
      'authorization.sources = [{ type = file, path = "${EMQX_ETC_DIR}/acl.conf" }]',
      '',
    ].join('\n'),
  );
  put(root, '/opt/emqx/data/configs/cluster.hocon', 'authorization { no_match = deny }\n');
  put(root, '/opt/emqx/etc/acl.conf', '{deny, all}.\n');
  const { facts, reads } = await collect(root);

  readOnce(reads, ['/opt/emqx/etc/base.hocon', '/opt/emqx/data/configs/cluster.hocon', '/opt/emqx/etc/emqx.conf', '/opt/emqx/etc/acl.conf']);
  const e = ok(facts, 'config.emqx');
  assert.deepEqual(e.configs.map((c) => c.files), [['/opt/emqx/etc/base.hocon', '/opt/emqx/data/configs/cluster.hocon', '/opt/emqx/etc/emqx.conf']]);
  assert.deepEqual(e.aclFiles.map((f) => [f.path, f.parsed?.rules.length]), [['/opt/emqx/etc/acl.conf', 1]]);
  const b = ok(facts, 'sys.brokers');
  assert.deepEqual(b.configs.map((c) => [c.product, c.file]), [['emqx', join(root, 'opt/emqx/etc/emqx.conf')]]);
  const ports = b.declared.map((l) => `${l.port}/${l.kind}`);
  assert.ok(ports.includes('8883/mqtts') && ports.includes('18083/dashboard') && ports.includes('4370/erlang-dist'), ports.join());
  // Written and built-in (${EMQX_ETC_DIR}/certs/cacert.pem, …) paths alike.
  const keyPaths = ok(facts, 'sys.keys').files.map((f) => f.path);
  assert.ok(keyPaths.includes('/opt/emqx/etc/certs/k.pem') && keyPaths.includes('/opt/emqx/etc/certs/c.pem'), keyPaths.join());
  assert.ok(keyPaths.every((p) => p.startsWith('/opt/emqx/etc/certs/')), keyPaths.join());
  assert.equal(facts['config.mosquitto']?.state, 'skipped');
});

test('--config node.conf with EMQX content: EMQX for the config facts and for sys.brokers, read once, where it is', async () => {
  const root = tempDir('given-root');
  const elsewhere = tempDir('given-files');
  const nodeConf = join(elsewhere, 'node.conf');
  writeFileSync(nodeConf, 'node.name = "emqx@10.0.0.2"\nlisteners.ssl.default { bind = 8884, ssl_options { keyfile = "${EMQX_ETC_DIR}/certs/k.pem" } }\n');
  const { facts, reads } = await collect(root, [nodeConf]);

  readOnce(reads, [nodeConf]);
  const e = ok(facts, 'config.emqx');
  assert.deepEqual(e.configs.map((c) => c.files), [[nodeConf]]);
  assert.equal(e.configs[0]!.nodeName, 'emqx@10.0.0.2');
  assert.equal(facts['config.mosquitto']?.state, 'skipped', 'not read as a Mosquitto config');
  const b = ok(facts, 'sys.brokers');
  assert.deepEqual(b.configs.map((c) => [c.product, c.file, c.problems]), [['emqx', nodeConf, []]]);
  assert.ok(b.declared.some((l) => l.product === 'emqx' && l.port === 8884 && l.kind === 'mqtts' && l.location?.file === nodeConf), JSON.stringify(b.declared));
  assert.ok(!b.runAs.some((x) => x.product === 'mosquitto'), JSON.stringify(b.runAs));
  // ${EMQX_ETC_DIR} is the directory of the given file.
  const keyPaths = ok(facts, 'sys.keys').files.map((f) => f.path);
  assert.ok(keyPaths.includes(join(elsewhere, 'certs/k.pem')), keyPaths.join());
  assert.ok(keyPaths.every((p) => p.startsWith(join(elsewhere, 'certs/'))), keyPaths.join());
});

test('unreadable and binary configs: a problem naming the file on both sides, never an exception', async () => {
  const root = tempDir('bad');
  put(root, '/etc/mosquitto/mosquitto.conf', Buffer.concat([Buffer.from('listener 1884\n'), Buffer.from([0, 1, 2, 0xff, 0xfe, 10])]));
  const missing = join(tempDir('bad-given'), 'broker.conf');
  const { facts, notes } = await collect(root, [missing]);

  const b = ok(facts, 'sys.brokers');
  const problems = Object.fromEntries(b.configs.map((c) => [c.file, c.problems.join('\n')]));
  assert.match(problems[join(root, 'etc/mosquitto/mosquitto.conf')]!, /^\/etc\/mosquitto\/mosquitto\.conf:2: /m);
  assert.match(problems[missing]!, new RegExp(`cannot read ${missing}: ENOENT`));
  assert.ok(notes.some((n) => n.includes(`Broker config ${missing}: cannot read ${missing}: ENOENT`)), notes.join('\n'));
  assert.deepEqual(b.declared.map((l) => l.port), [1884]);
  // The config facts: the binary file is parsed with its issue, the missing one named.
  const m = ok(facts, 'config.mosquitto');
  assert.deepEqual(m.configs.map((c) => c.file), ['/etc/mosquitto/mosquitto.conf']);
  assert.ok(m.configs[0]!.issues.some((i) => i.line === 2), JSON.stringify(m.configs[0]!.issues));

  // Only the missing file: the config fact is an ERROR naming it.
  const only = await collect(tempDir('bad-empty'), [missing]);
  const f = only.facts['config.mosquitto'];
  assert.equal(f?.state, 'error');
  assert.match(f?.state === 'error' ? f.error : '', new RegExp(`cannot read ${missing}: ENOENT`));
});
