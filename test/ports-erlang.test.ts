/**
 * The Erlang exposure probes: epmd NAMES and the distribution handshake, against
 * fake listeners that speak the protocol's first messages (and hostile ones
 * that do not), and against a real Erlang node when `erl` is installed.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import { collectErlangExposure, DEFAULT_EMQX_COOKIE, distDigest, probeDistribution, probeEpmd } from '../src/collectors/erlang.js';
import { freePort, waitForPort } from './helpers/ports.js';

function listen(handler: (c: net.Socket) => void): Promise<{ port: number; close: () => void; got: Buffer[] }> {
  const got: Buffer[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((c) => {
    sockets.add(c);
    c.on('data', (d) => got.push(d));
    c.on('error', () => undefined);
    handler(c);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        got,
        close: () => {
          for (const s of sockets) s.destroy();
          server.close();
        },
      }),
    ),
  );
}

function frame(tag: string, body: Buffer): Buffer {
  const b = Buffer.alloc(3 + body.length);
  b.writeUInt16BE(body.length + 1);
  b.write(tag, 2, 'latin1');
  body.copy(b, 3);
  return b;
}

/** Collects 2-byte-length frames from a socket. */
function frames(c: net.Socket, onFrame: (f: Buffer) => void): void {
  let buf = Buffer.alloc(0);
  c.on('data', (d) => {
    buf = Buffer.concat([buf, d]);
    while (buf.length >= 2 && buf.length >= 2 + buf.readUInt16BE(0)) {
      const len = buf.readUInt16BE(0);
      onFrame(buf.subarray(2, 2 + len));
      buf = buf.subarray(2 + len);
    }
  });
}

/**
 * A fake Erlang node: answers send_name with status "ok" and an 'N' challenge,
 * checks the challenge reply's digest against its cookie and acknowledges it
 * with its own digest, as dist_util does. Records what the probe sent.
 */
function fakeNode(opts: { cookie: string; name: string; status?: string; legacy?: boolean }) {
  const log: string[] = [];
  return listen((c) => {
    const challenge = randomBytes(4).readUInt32BE(0);
    frames(c, (f) => {
      const tag = String.fromCharCode(f[0]!);
      log.push(tag);
      if (tag === 'n' && opts.legacy) {
        // OTP 22 and older: old send_name in, old challenge out ('n', version 5, flags 32, challenge, name).
        log.push(`name:${f.subarray(7).toString()}`);
        c.write(frame('s', Buffer.from('ok')));
        const body = Buffer.alloc(10);
        body.writeUInt16BE(5, 0);
        body.writeUInt32BE(0x7df7fbd, 2);
        body.writeUInt32BE(challenge, 6);
        c.write(frame('n', Buffer.concat([body, Buffer.from(opts.name)])));
      } else if (tag === 'N' && opts.legacy) {
        c.destroy(); // does not know the new send_name
      } else if (tag === 'N') {
        const peer = tag === 'N' ? f.subarray(15, 15 + f.readUInt16BE(13)).toString() : f.subarray(7).toString();
        log.push(`name:${peer}`);
        c.write(frame('s', Buffer.from(opts.status ?? 'ok')));
        if ((opts.status ?? 'ok') !== 'ok') return void c.end();
        const body = Buffer.alloc(18);
        body.writeBigUInt64BE(0x0d07df7fbdn, 0);
        body.writeUInt32BE(challenge, 8);
        body.writeUInt32BE(7, 12);
        body.writeUInt16BE(opts.name.length, 16);
        c.write(frame('N', Buffer.concat([body, Buffer.from(opts.name)])));
      } else if (tag === 'n') {
        c.destroy(); // OTP 25.0–25.2: the old send_name is dropped without a word
      } else if (tag === 'r') {
        const theirs = f.readUInt32BE(1);
        const digest = f.subarray(5, 21);
        if (!digest.equals(createHash('md5').update(opts.cookie + String(challenge)).digest())) return void c.destroy();
        c.write(frame('a', createHash('md5').update(opts.cookie + String(theirs)).digest()));
      } else {
        log.push(`unexpected:${tag}`);
      }
    });
  }).then((l) => ({ ...l, log }));
}

test('the digest is MD5(cookie ++ challenge as an unsigned decimal string)', () => {
  assert.equal(distDigest('emqxsecretcookie', 0xffffffff).toString('hex'), createHash('md5').update('emqxsecretcookie4294967295').digest('hex'));
  assert.equal(distDigest('c', 42).toString('hex'), createHash('md5').update('c42').digest('hex'));
});

test('distribution handshake: the node name from the challenge, no digest sent without a cookie', async () => {
  const node = await fakeNode({ cookie: DEFAULT_EMQX_COOKIE, name: 'emqx1@10.0.0.11' });
  try {
    const r = await probeDistribution('127.0.0.1', node.port, { timeoutMs: 2000, probeName: 'probe@mqtt-warden.invalid' });
    assert.equal(r.state, 'erlang');
    if (r.state !== 'erlang') return;
    assert.equal(r.node, 'emqx1@10.0.0.11');
    assert.equal(r.status, 'ok');
    assert.equal(r.version, 6);
    assert.equal(r.cookie.tested, false);
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(node.log, ['N', 'name:probe@mqtt-warden.invalid'], 'nothing after send_name');
  } finally {
    node.close();
  }
});

test('intrusive: the default cookie accepted (proved by the ack digest) or rejected; nothing is sent after the handshake', async () => {
  const weak = await fakeNode({ cookie: DEFAULT_EMQX_COOKIE, name: 'emqx@h' });
  const strong = await fakeNode({ cookie: 'Yzc0NGExM2Rj', name: 'emqx2@h' });
  try {
    const a = await probeDistribution('127.0.0.1', weak.port, { timeoutMs: 2000, cookie: DEFAULT_EMQX_COOKIE });
    assert.ok(a.state === 'erlang' && a.cookie.tested && a.cookie.accepted, JSON.stringify(a));
    const b = await probeDistribution('127.0.0.1', strong.port, { timeoutMs: 2000, cookie: DEFAULT_EMQX_COOKIE });
    assert.ok(b.state === 'erlang' && b.cookie.tested && !b.cookie.accepted, JSON.stringify(b));
    await new Promise((res) => setTimeout(res, 50));
    assert.deepEqual(weak.log.filter((t) => !t.startsWith('name:')), ['N', 'r'], 'send_name and challenge reply only');
  } finally {
    weak.close();
    strong.close();
  }
});

test('status refusals, the old send_name fallback, epmd NAMES', async () => {
  const refusing = await fakeNode({ cookie: 'x', name: 'a@h', status: 'not_allowed' });
  const epmd = await listen((c) =>
    c.once('data', (d) => {
      assert.deepEqual([...d], [0, 1, 0x6e]);
      c.end(Buffer.concat([Buffer.from([0, 0, 0x11, 0x11]), Buffer.from('name emqx at port 4370\nname emqx2 at port 4372\n')]));
    }),
  );
  const legacy = await fakeNode({ cookie: DEFAULT_EMQX_COOKIE, name: 'emqx@old', legacy: true });
  try {
    const old = await probeDistribution('127.0.0.1', legacy.port, { timeoutMs: 2000, cookie: DEFAULT_EMQX_COOKIE });
    assert.ok(old.state === 'erlang' && old.version === 5 && old.node === 'emqx@old' && old.cookie.tested && old.cookie.accepted, JSON.stringify(old));
    assert.deepEqual(legacy.log.filter((t) => !t.startsWith('name:')), ['N', 'n', 'r'], 'new name, then the old one, then the reply (no complement to an old challenge)');
    const r = await probeDistribution('127.0.0.1', refusing.port, { timeoutMs: 2000 });
    assert.ok(r.state === 'erlang' && r.status === 'not_allowed' && r.node === undefined && !r.cookie.tested);
    assert.deepEqual(await probeEpmd('127.0.0.1', epmd.port, { timeoutMs: 2000 }), {
      state: 'epmd',
      nodes: [
        { name: 'emqx', port: 4370 },
        { name: 'emqx2', port: 4372 },
      ],
    });
  } finally {
    refusing.close();
    epmd.close();
    legacy.close();
  }
});

test('hostile and foreign answers end in an error, quickly and bounded; closed ports are closed', async () => {
  const cases: [string, (c: net.Socket) => void, RegExp][] = [
    ['silent', () => undefined, /no complete answer within/],
    ['closes', (c) => c.destroy(), /did not answer the distribution handshake/],
    ['MQTT broker', (c) => c.once('data', () => c.end(Buffer.from([0x20, 0x02, 0x00, 0x00]))), /not an Erlang distribution port|announced length|closed/],
    ['TLS alert', (c) => c.once('data', () => c.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x46]))), /answers with TLS/],
    ['huge length', (c) => c.once('data', () => c.write(Buffer.from([0xff, 0xff, 0x73]))), /exceeds/],
    ['endless stream', (c) => c.once('data', () => c.write(Buffer.alloc(200_000, 0x41))), /exceeds|longer than/],
    ['bad status', (c) => c.once('data', () => c.write(frame('s', Buffer.from('pwned')))), /unknown handshake status/],
    ['binary status', (c) => c.once('data', () => c.write(frame('s', Buffer.from([0xff, 0x00])))), /not printable/],
    [
      'bad challenge',
      (c) => c.once('data', () => c.write(Buffer.concat([frame('s', Buffer.from('ok')), frame('N', Buffer.alloc(30))]))),
      /name length does not match|no node name/,
    ],
  ];
  await Promise.all(
    cases.map(async ([name, handler, want]) => {
      const l = await listen(handler);
      try {
        const t0 = performance.now();
        const r = await probeDistribution('127.0.0.1', l.port, { timeoutMs: 400 });
        assert.equal(r.state, 'error', `${name}: ${JSON.stringify(r)}`);
        if (r.state === 'error') assert.match(r.detail, want, name);
        assert.ok(performance.now() - t0 < 2000, `${name} took too long`);
      } finally {
        l.close();
      }
    }),
  );
  const epmdLies = await listen((c) => c.once('data', () => c.end(Buffer.concat([Buffer.alloc(4), Buffer.from('HTTP/1.1 400 Bad Request\r\n')]))));
  const epmdFlood = await listen((c) => c.once('data', () => c.write(Buffer.alloc(100_000, 0x6e))));
  try {
    const lie = await probeEpmd('127.0.0.1', epmdLies.port, { timeoutMs: 500 });
    assert.ok(lie.state === 'error' && /not an epmd NAMES answer/.test(lie.detail), JSON.stringify(lie));
    const flood = await probeEpmd('127.0.0.1', epmdFlood.port, { timeoutMs: 500 });
    assert.ok(flood.state === 'error' && /longer than/.test(flood.detail), JSON.stringify(flood));
  } finally {
    epmdLies.close();
    epmdFlood.close();
  }
  const closed = await freePort();
  assert.deepEqual(await probeDistribution('127.0.0.1', closed, { timeoutMs: 500 }), { state: 'closed' });
  assert.deepEqual(await probeEpmd('127.0.0.1', closed, { timeoutMs: 500 }), { state: 'closed' });
});

function hasErl(): boolean {
  try {
    execFileSync('erl', ['-version'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

test('a real Erlang node: epmd lists it, the handshake names it, only the right cookie is accepted', { skip: hasErl() ? false : 'erl is not installed (Debian: erlang-base)', timeout: 60_000 }, async () => {
  const [epmdPort, weakPort, strongPort] = [await freePort(), await freePort(), await freePort()];
  const env = { ...process.env, ERL_EPMD_PORT: String(epmdPort), HOME: process.env.HOME ?? '/tmp' };
  const tag = randomBytes(3).toString('hex');
  // A foreground epmd of our own on a free port: nothing outlives the test.
  const epmd = spawn('epmd', ['-port', String(epmdPort)], { env, stdio: 'ignore' });
  const node = (name: string, cookie: string, port: number) =>
    spawn('erl', ['-noshell', '-start_epmd', 'false', '-name', `${name}@127.0.0.1`, '-setcookie', cookie, '-kernel', 'inet_dist_listen_min', String(port), 'inet_dist_listen_max', String(port), '-eval', 'timer:sleep(60000), halt().'], { env, stdio: 'ignore' });
  const children = [epmd];
  try {
    await waitForPort('127.0.0.1', epmdPort, 10_000);
    children.push(node(`emqx${tag}7`, DEFAULT_EMQX_COOKIE, weakPort), node(`emqx${tag}8`, 'Yzc0NGExM2Rj', strongPort));
    await Promise.all([waitForPort('127.0.0.1', weakPort, 20_000), waitForPort('127.0.0.1', strongPort, 20_000)]);
    // A node opens its distribution port before it registers with epmd: wait for both names.
    let names = await probeEpmd('127.0.0.1', epmdPort, { timeoutMs: 3000 });
    for (let i = 0; i < 100 && !(names.state === 'epmd' && names.nodes.length >= 2); i++) {
      await new Promise((r) => setTimeout(r, 100));
      names = await probeEpmd('127.0.0.1', epmdPort, { timeoutMs: 3000 });
    }
    assert.ok(names.state === 'epmd', JSON.stringify(names));
    assert.deepEqual(names.nodes.map((n) => `${n.name}:${n.port}`).sort(), [`emqx${tag}7:${weakPort}`, `emqx${tag}8:${strongPort}`]);
    const plain = await probeDistribution('127.0.0.1', weakPort, { timeoutMs: 3000 });
    assert.ok(plain.state === 'erlang' && plain.node === `emqx${tag}7@127.0.0.1` && plain.status === 'ok', JSON.stringify(plain));
    const weak = await probeDistribution('127.0.0.1', weakPort, { timeoutMs: 3000, cookie: DEFAULT_EMQX_COOKIE });
    assert.ok(weak.state === 'erlang' && weak.cookie.tested && weak.cookie.accepted, JSON.stringify(weak));
    const strong = await probeDistribution('127.0.0.1', strongPort, { timeoutMs: 3000, cookie: DEFAULT_EMQX_COOKIE });
    assert.ok(strong.state === 'erlang' && strong.cookie.tested && !strong.cookie.accepted, JSON.stringify(strong));
  } finally {
    for (const c of children) c.kill('SIGKILL');
  }
});

test('audit: the exposure checks judge the probes of a host (SVC-050 names the node, ACC-070 only with --intrusive)', async () => {
  const { runAudit } = await import('../src/core/engine.js');
  const { CATALOGUE } = await import('../src/checks/index.js');
  const weak = await fakeNode({ cookie: DEFAULT_EMQX_COOKIE, name: 'emqx9@10.0.0.9' });
  const closed = await freePort();
  const base = {
    endpoints: [],
    scanPorts: [closed],
    defaultHost: '127.0.0.1',
    network: true,
    host: false,
    distPorts: [weak.port],
    limits: { maxAttempts: 6, maxSeconds: 2, rate: 5, loginAttempts: 6 },
    wordlist: [],
    timeoutMs: 1000,
    targetTimeoutMs: 5000,
    windowMs: 0,
    concurrency: 2,
    showPayloads: false,
    showSecrets: false,
    failOn: 'medium' as const,
    tls: {},
  };
  const pick = (ids: string[]) => CATALOGUE.filter((c) => ids.includes(c.meta.id));
  try {
    const plain = await runAudit({ ...base, intrusive: false }, pick(['SVC-050', 'SVC-051', 'ACC-070']));
    const by = (r: typeof plain, id: string) => r.results.find((x) => x.checkId === id)!;
    assert.equal(by(plain, 'SVC-050').status, 'FAIL');
    assert.equal(by(plain, 'SVC-050').severity, 'low', 'loopback vantage');
    assert.match(by(plain, 'SVC-050').message, new RegExp(`emqx9@10\\.0\\.0\\.9 on ${weak.port}`));
    assert.equal(by(plain, 'ACC-070').status, 'SKIP');
    assert.ok(!weak.log.includes('r'), 'no challenge reply without --intrusive');
    const intrusive = await runAudit({ ...base, intrusive: true }, pick(['ACC-070']));
    assert.equal(by(intrusive, 'ACC-070').status, 'FAIL');
    assert.equal(by(intrusive, 'ACC-070').severity, 'critical');
    const skipped = await runAudit({ ...base, scanPorts: [], intrusive: false }, pick(['SVC-050']));
    assert.equal(by(skipped, 'SVC-050').status, 'SKIP');
  } finally {
    weak.close();
  }
});

test('intrusive: both packaged cookies are tried, one handshake each, and the one accepted is named', async () => {
  const six = await fakeNode({ cookie: 'emqx50elixir', name: 'emqx6@h' });
  const strong = await fakeNode({ cookie: 'Yzc0NGExM2Rj', name: 'emqx2@h' });
  try {
    const e = await collectErlangExposure('127.0.0.1', { timeoutMs: 2000, intrusive: true, planPorts: [six.port, strong.port] });
    const at = (port: number) => e.dist.find((d) => d.port === port)!.result;
    const a = at(six.port);
    assert.ok(a.state === 'erlang' && a.cookie.tested && a.cookie.accepted && a.cookie.cookie === 'emqx50elixir', JSON.stringify(a));
    const b = at(strong.port);
    assert.ok(b.state === 'erlang' && b.cookie.tested && !b.cookie.accepted && b.cookie.cookie === 'emqxsecretcookie, emqx50elixir', JSON.stringify(b));
    await new Promise((res) => setTimeout(res, 50));
    assert.equal(strong.log.filter((t) => t === 'r').length, 2, 'two challenge replies: one per packaged cookie, no more');
  } finally {
    six.close();
    strong.close();
  }
});
