/**
 * The host audit of this machine with a real Mosquitto listening: its listeners,
 * process, key material and OpenSSL/Mosquitto versions must be reported as the
 * system's own tools report them (openssl version, dpkg-query, mosquitto -h).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FactMap } from '../src/core/facts.js';
import type { Verdict } from '../src/core/types.js';
import { verdictList } from '../src/core/check.js';
import { CATALOGUE } from '../src/checks/index.js';
import { collectSystemFacts } from '../src/collectors/system/index.js';
import type { ListeningSocket } from '../src/collectors/system/sockets.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';

const skip = mosquittoSkipReason();

function tool(cmd: string, args: string[]): string | undefined {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const out = (e as { stdout?: string; stderr?: string }).stdout ?? '';
    return out || (e as { stderr?: string }).stderr || undefined;
  }
}

describe('host audit of this machine with a live Mosquitto', { skip }, () => {
  let broker: MosquittoBroker;
  let facts: FactMap;
  /** The verdicts of a check on the collected facts (the engine's gate is tested elsewhere). */
  const judge = (id: string): readonly Verdict[] => {
    const check = CATALOGUE.find((c) => c.meta.id === id)!;
    const picked = Object.fromEntries(check.meta.needs.map((k) => {
      const f = facts[k];
      assert.equal(f?.state, 'ok', `${id} needs ${k}: ${JSON.stringify(f)}`);
      return [k, f!.state === 'ok' ? f!.value : undefined];
    }));
    return verdictList(check.judge(picked as never, { subject: 'this host', host: 'this host', loopback: false }));
  };
  before(async () => {
    broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }, { kind: 'mqtts' }], allowAnonymous: true });
    facts = (await collectSystemFacts({ root: '/', timeoutMs: 3000, configs: [broker.confPath] })).facts;
  });
  after(() => broker?.stop());

  test('the real listeners are reported, mapped to the broker process', () => {
    const l = facts['sys.listeners'];
    if (l?.state !== 'ok') return assert.fail(JSON.stringify(l));
    for (const p of broker.ports) {
      const s: ListeningSocket | undefined = l.value.sockets.find((x: ListeningSocket) => x.proto === 'tcp' && x.port === p.port);
      assert.ok(s, `listener ${p.port} missing`);
      assert.equal(s.address, '127.0.0.1');
      assert.ok(s.processes.some((x) => x.pid === broker.pid && x.name === 'mosquitto'), JSON.stringify(s));
    }
    const b = facts['sys.brokers'];
    if (b?.state !== 'ok') return assert.fail(JSON.stringify(b));
    const declared = b.value.declared.filter((d) => d.location?.file === broker.confPath).map((d) => d.port).sort();
    assert.deepEqual(declared, broker.ports.map((p) => p.port).sort());
    const proc = b.value.processes?.find((p) => p.pid === broker.pid);
    assert.ok(proc, 'the broker process is found in /proc');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${broker.pid}/status`, 'utf8'))![1]);
    assert.equal(proc.uid, uid);
    assert.ok(proc.libs.some((x) => /libcrypto/.test(x.path)), JSON.stringify(proc.libs));
    // SVC-004: configured for loopback and listening on loopback.
    const svc004 = judge('SVC-004').filter((r) => r.location?.file === broker.confPath);
    assert.equal(svc004.length, 2);
    assert.ok(svc004.every((r) => r.status === 'PASS' && /loopback only/.test(r.message)), JSON.stringify(svc004));
    const svc006 = judge('SVC-006').find((r) => r.message.includes(`pid ${broker.pid}`));
    assert.ok(svc006, 'SVC-006 judges the live process');
    assert.equal(svc006.status, uid === 0 ? 'FAIL' : 'PASS');
  });

  test('the OpenSSL versions are those of openssl version, dpkg and the mapped libcrypto', () => {
    const s = facts['sys.software'];
    if (s?.state !== 'ok') return assert.fail(JSON.stringify(s));
    const out = tool('openssl', ['version'])!;
    const bin = /^OpenSSL (\S+)/.exec(out)![1]!;
    const lib = /Library: OpenSSL (\S+)/.exec(out)?.[1] ?? bin;
    const c = s.value.components;
    assert.ok(c.some((x) => x.product === 'openssl' && x.source === 'binary' && x.version === bin), JSON.stringify(c));
    const mapped = c.find((x) => x.source === 'process' && x.where.includes(`pid ${broker.pid}`));
    assert.ok(mapped, `the libcrypto of pid ${broker.pid}: ${JSON.stringify(c)}`);
    assert.equal(mapped.version, lib, 'Mosquitto loads the same libcrypto as the openssl binary');
    assert.ok(c.some((x) => x.source === 'node' && x.version === process.versions.openssl.replace(/\+.*/, '')));
    const dpkg = tool('dpkg-query', ['-W', '-f', '${Package} ${Version}\\n', 'libssl3', 'libssl1.1']);
    for (const line of (dpkg ?? '').split('\n').filter((l) => /^\S+ \S+$/.test(l))) {
      const [name, version] = line.split(' ');
      assert.ok(c.some((x) => x.source === 'package' && x.where === `dpkg package ${name}` && x.version === version), `${line} missing from ${JSON.stringify(c)}`);
    }
    assert.ok(judge('TLS-050').every((v) => v.status === 'PASS' || v.status === 'FAIL'));
  });

  test('the Mosquitto version is that of mosquitto -h and dpkg', () => {
    const s = facts['sys.software'];
    if (s?.state !== 'ok') return assert.fail('no software fact');
    const v = /mosquitto version (\S+)/.exec(tool('mosquitto', ['-h']) ?? '')?.[1];
    assert.ok(v);
    assert.ok(s.value.components.some((x) => x.product === 'mosquitto' && x.source === 'binary' && x.version === v));
    const pkg = tool('dpkg-query', ['-W', '-f', '${Version}', 'mosquitto']);
    if (pkg && /^\d/.test(pkg)) {
      const m = s.value.components.find((x) => x.product === 'mosquitto' && x.source === 'package');
      assert.equal(m?.version, pkg);
      assert.equal(m?.distro?.package, 'mosquitto');
    }
  });

  test('pending updates are those of apt-get -s dist-upgrade', { skip: tool('apt-get', ['--version']) ? false : 'apt-get not installed' }, (t) => {
    const u = facts['sys.updates'];
    if (u?.state === 'skipped') {
      t.skip(u.reason);
      return;
    }
    if (u?.state !== 'ok') return assert.fail(JSON.stringify(u));
    const out = tool('apt-get', ['-s', '-o', 'Debug::NoLocking=true', '-o', 'Dir::Log=/dev/null', '-o', 'Dir::Log::Planner=/dev/null', 'dist-upgrade']) ?? '';
    const inst = out.split('\n').filter((l) => l.startsWith('Inst '));
    assert.equal(u.value.pending.length, inst.length);
    assert.equal(u.value.pending.filter((p) => p.security).length, inst.filter((l) => /security/i.test(l)).length);
  });

  test('the key material of the config is inspected: modes, owners, certificate dates', () => {
    const k = facts['sys.keys'];
    if (k?.state !== 'ok') return assert.fail('no keys fact');
    const pki = broker.pki!;
    const key = k.value.files.find((f) => f.path === pki.serverKey);
    assert.ok(key, JSON.stringify(k.value.files.map((f) => f.path)));
    const st = statSync(pki.serverKey);
    assert.equal(key.mode, st.mode & 0o7777);
    assert.equal(key.uid, st.uid);
    assert.equal(key.role, 'key');
    assert.equal(key.key?.encrypted, false);
    assert.ok(key.refs.some((r) => r.file === broker.confPath && r.line! > 0));
    const crt = k.value.files.find((f) => f.path === pki.serverCert)!;
    assert.equal(crt.certs?.[0]?.notAfter, new Date(new X509Certificate(readFileSync(pki.serverCert)).validTo).toISOString());
    const expiry = judge('TLS-054').find((r) => r.location?.file === pki.serverCert);
    assert.equal(expiry?.status, 'FAIL', 'the test PKI lives for days, well within the 30-day warning');
    assert.match(expiry!.message, /expires in \d+ days/);
  });
});

describe('a broker that still maps a deleted (upgraded) OpenSSL', { skip: skip || (process.getuid?.() !== 0 ? 'needs root for /proc/PID/map_files' : false) }, () => {
  test('UPD-007 fires and the running version is read from the deleted mapping', async (t) => {
    const libs = (tool('ldd', [process.env.MOSQUITTO_BIN ?? '/usr/sbin/mosquitto']) ?? '')
      .split('\n')
      .map((l) => /\s(lib(?:ssl|crypto)\.so\S*) => (\S+)/.exec(l))
      .filter((m): m is RegExpExecArray => Boolean(m));
    if (libs.length < 2) {
      t.skip('mosquitto does not link libssl/libcrypto dynamically');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), `mw-oldssl-${process.pid}-`));
    const saved = process.env.LD_LIBRARY_PATH;
    let broker: MosquittoBroker | undefined;
    try {
      for (const m of libs) copyFileSync(m[2]!, join(dir, m[1]!));
      process.env.LD_LIBRARY_PATH = dir; // inherited by the broker only for this start
      broker = await startMosquitto({ listeners: [{ kind: 'mqtt' }], allowAnonymous: true });
      if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
      else process.env.LD_LIBRARY_PATH = saved;
      for (const m of libs) rmSync(join(dir, m[1]!)); // "upgraded on disk"
      const facts = (await collectSystemFacts({ root: '/', timeoutMs: 3000 })).facts;
      const b = facts['sys.brokers'];
      if (b?.state !== 'ok') return assert.fail(JSON.stringify(b));
      const check = CATALOGUE.find((c) => c.meta.id === 'UPD-007')!;
      const verdicts = verdictList(check.judge({ 'sys.brokers': b.value } as never, { subject: 'h', host: 'h', loopback: false }));
      const mine = verdicts.filter((v) => v.message.includes(`pid ${broker!.pid}`));
      assert.ok(mine.length >= 1 && mine.every((v) => v.status === 'FAIL' && /\(deleted\)/.test(v.message)), JSON.stringify(verdicts));
      const s = facts['sys.software'];
      if (s?.state !== 'ok') return assert.fail(JSON.stringify(s));
      const mapped = s.value.components.find((c) => c.source === 'process' && c.where.includes(`pid ${broker!.pid}`));
      const lib = /Library: OpenSSL (\S+)|^OpenSSL (\S+)/.exec(tool('openssl', ['version']) ?? '');
      assert.ok(mapped?.deleted, JSON.stringify(s.value.components));
      assert.equal(mapped.version, lib?.[1] ?? lib?.[2]);
    } finally {
      if (process.env.LD_LIBRARY_PATH === dir) {
        if (saved === undefined) delete process.env.LD_LIBRARY_PATH;
        else process.env.LD_LIBRARY_PATH = saved;
      }
      await broker?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
