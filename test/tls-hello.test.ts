/**
 * The raw ClientHello prober (src/collectors/tls/hello.ts) and the cipher table: our hello is Node's hello
 * byte for byte (the suites, their order, the extensions) for every offer the enumeration makes; the answer
 * reader on byte-level fixtures; hostile peers classified within the timeout; the table against the local
 * `openssl`; and on real Mosquitto listeners and a Node TLS server, the raw enumeration finds exactly what
 * the full-handshake enumeration finds (test/helpers/tls-full-enumeration.ts, the code it replaced).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { CIPHER_ROWS, OPENSSL_VERSION } from '../src/collectors/tls/cipher-table.js';
import { ALL_CIPHERS, cipherGroups, enumerateVersion, EnumerationError, SUITES, TLS13_SUITES, usesEcc, versionSuites, type HelloProber } from '../src/collectors/tls/ciphers.js';
import { handshake, type HandshakeParams, type HandshakeTarget, type TlsVersion } from '../src/collectors/tls/handshake.js';
import { AnswerReader, buildClientHello, HRR_RANDOM, MAX_ANSWER_BYTES, probeHello, SCSV, type HelloResult } from '../src/collectors/tls/hello.js';
import { GROUPED_ORDER, opensslCiphers, parseOpensslCiphers, TABLE_CIPHERS } from '../scripts/gen-cipher-table.js';
import { CIPHER_GROUPS, enumerateVersionFullHandshakes } from './helpers/tls-full-enumeration.js';
import { serveServer, type HostileServer } from './helpers/hostile.js';
import { mosquittoSkipReason, startMosquitto, type MosquittoBroker } from './helpers/mosquitto.js';
import { makeTlsPki, type TlsPki } from './helpers/tls-pki.js';

// ---- byte helpers ----

const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const record = (type: number, payload: Buffer, version = 0x0303) => Buffer.concat([Buffer.from([type]), u16(version), u16(payload.length), payload]);
const handshakeMsg = (type: number, body: Buffer) => Buffer.concat([Buffer.from([type, (body.length >> 16) & 0xff, (body.length >> 8) & 0xff, body.length & 0xff]), body]);
const extension = (type: number, body: Buffer) => Buffer.concat([u16(type), u16(body.length), body]);

function serverHelloBody(o: { version?: number; random?: Buffer; sid?: Buffer; suite: number; compression?: number; exts?: Buffer[] }): Buffer {
  const exts = o.exts ? Buffer.concat(o.exts) : undefined;
  return Buffer.concat([
    u16(o.version ?? 0x0303),
    o.random ?? Buffer.alloc(32, 7),
    Buffer.from([(o.sid ?? Buffer.alloc(0)).length]),
    o.sid ?? Buffer.alloc(0),
    u16(o.suite),
    Buffer.from([o.compression ?? 0]),
    ...(exts ? [u16(exts.length), exts] : []),
  ]);
}
const serverHello = (o: Parameters<typeof serverHelloBody>[0]) => record(22, handshakeMsg(2, serverHelloBody(o)));
const alert = (level: number, desc: number) => record(21, Buffer.from([level, desc]));

interface ParsedHello {
  recordVersion: number;
  version: number;
  sessionIdLength: number;
  suites: number[];
  compression: number[];
  extensions: [number, string][];
}

/** A ClientHello record as the fields the comparison needs (throws when it is not one). */
function parseClientHello(rec: Buffer): ParsedHello {
  assert.equal(rec[0], 22, 'a handshake record');
  const hs = rec.subarray(5, 5 + rec.readUInt16BE(3));
  assert.equal(hs[0], 1, 'a ClientHello');
  const b = hs.subarray(4, 4 + hs.readUIntBE(1, 3));
  let p = 0;
  const version = b.readUInt16BE(p);
  p += 2 + 32;
  const sessionIdLength = b[p]!;
  p += 1 + sessionIdLength;
  const sl = b.readUInt16BE(p);
  p += 2;
  const suites: number[] = [];
  for (let i = 0; i < sl; i += 2) suites.push(b.readUInt16BE(p + i));
  p += sl;
  const cl = b[p]!;
  const compression = [...b.subarray(p + 1, p + 1 + cl)];
  p += 1 + cl;
  const extensions: [number, string][] = [];
  if (p < b.length) {
    const end = p + 2 + b.readUInt16BE(p);
    p += 2;
    while (p < end) {
      const l = b.readUInt16BE(p + 2);
      extensions.push([b.readUInt16BE(p), b.subarray(p + 4, p + 4 + l).toString('hex')]);
      p += 4 + l;
    }
    assert.equal(p, b.length, 'the extensions fill the hello');
  }
  return { recordVersion: rec.readUInt16BE(1), version, sessionIdLength, suites, compression, extensions };
}

/** Resolves every name to 127.0.0.1 (so a host name, and with it SNI, can be used against loopback servers). */
const loopbackLookup = ((_h: string, o: { all?: boolean }, cb: (e: null, a: string | { address: string; family: number }[], f?: number) => void) =>
  o.all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)) as unknown as net.LookupFunction;

/** The first record a client sends to a loopback listener, or null when the client sent nothing before giving up. */
async function capture(send: (port: number) => Promise<unknown>): Promise<Buffer | null> {
  let got: (b: Buffer) => void = () => undefined;
  const hello = new Promise<Buffer>((r) => (got = r));
  const server = net.createServer((s) => {
    let buf = Buffer.alloc(0);
    s.on('error', () => undefined);
    s.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 5 && buf.length >= 5 + buf.readUInt16BE(3)) {
        got(buf.subarray(0, 5 + buf.readUInt16BE(3)));
        s.destroy();
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const port = (server.address() as net.AddressInfo).port;
    // The client sends its hello, or gives up without sending one (its OpenSSL has no suite for the offer).
    return await Promise.race([hello, send(port).then(() => null)]);
  } finally {
    server.close();
  }
}

/** What Node's tls sends for a full-handshake offer (null when its OpenSSL sends nothing: no suite for the version). */
function nodeHello(params: HandshakeParams, host: string): Promise<Buffer | null> {
  return capture((port) => handshake({ host, port, timeoutMs: 5000, lookup: loopbackLookup }, params));
}

const NAMES = ['SNI host name', 'IP address'] as const;

describe('the ClientHello is the one Node sends for the same offer', () => {
  for (const version of ['TLSv1', 'TLSv1.1', 'TLSv1.2'] as TlsVersion[]) {
    test(`${version}: everything, and each elimination group`, async () => {
      const v = version as tls.SecureVersion;
      const offers: [string, readonly (typeof SUITES)[number][]][] = [[ALL_CIPHERS, versionSuites(version)], ...CIPHER_GROUPS.map((g, i): [string, (typeof SUITES)[number][]] => [`${g}:@SECLEVEL=0`, cipherGroups(version)[i]!])];
      for (const [ciphers, suites] of offers) {
        for (const [i, host] of ['mqtt.example', '127.0.0.1'].entries()) {
          const theirs = await nodeHello({ minVersion: v, maxVersion: v, ciphers, ca: [] }, host);
          if (theirs === null) {
            assert.equal(suites.length, 0, `${version} ${ciphers}: Node offers nothing, we offer ${suites.map((s) => s.name).join(':')}`);
            continue;
          }
          const ours = buildClientHello({ version, suites: suites.map((s) => s.code), ecc: usesEcc(suites) }, { servername: host });
          assert.deepEqual(parseClientHello(ours), parseClientHello(theirs), `${version} ${ciphers} (${NAMES[i]})`);
        }
      }
    });
  }

  test('TLSv1.3: the same hello but for an empty key_share', async () => {
    for (const host of ['mqtt.example', '127.0.0.1']) {
      const theirs = parseClientHello((await nodeHello({ minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: TLS13_SUITES.join(':'), ca: [] }, host))!);
      const suites = versionSuites('TLSv1.3');
      assert.deepEqual(
        suites.map((s) => s.name),
        TLS13_SUITES,
      );
      const ours = parseClientHello(buildClientHello({ version: 'TLSv1.3', suites: suites.map((s) => s.code) }, { servername: host }));
      const keyShare = (h: ParsedHello) => h.extensions.find(([t]) => t === 51)?.[1];
      assert.equal(keyShare(ours), '0000', 'an empty client_shares list');
      assert.match(keyShare(theirs) ?? '', /^0024001d0020/, 'Node sends one x25519 share');
      const strip = (h: ParsedHello) => ({ ...h, extensions: h.extensions.filter(([t]) => t !== 51) });
      assert.deepEqual(strip(ours), strip(theirs));
      assert.equal(ours.sessionIdLength, 32);
    }
  });
});

describe('ClientHello fields', () => {
  test('legacy versions, SCSV last, SNI only for names, supported_versions only for TLS 1.3, nothing but suites in SSLv3', () => {
    const h12 = parseClientHello(buildClientHello({ version: 'TLSv1.2', suites: [0xc02f, 0x009c], ecc: true }, { servername: 'broker.example' }));
    assert.equal(h12.recordVersion, 0x0301);
    assert.equal(h12.version, 0x0303);
    assert.deepEqual(h12.suites, [0xc02f, 0x009c, SCSV]);
    assert.deepEqual(h12.compression, [0]);
    assert.equal(h12.sessionIdLength, 0);
    assert.deepEqual(h12.extensions[0], [0, Buffer.concat([u16(17), Buffer.from([0]), u16(14), Buffer.from('broker.example')]).toString('hex')]);
    assert.ok(!h12.extensions.some(([t]) => t === 43 || t === 51));
    const h10 = parseClientHello(buildClientHello({ version: 'TLSv1', suites: [0x002f] }, { servername: '::1' }));
    assert.equal(h10.version, 0x0301);
    assert.deepEqual(
      h10.extensions.map(([t]) => t),
      [35, 22, 23],
      'no SNI for an IP address, no EC extensions without EC suites, no signature_algorithms before TLS 1.2',
    );
    const h13 = parseClientHello(buildClientHello({ version: 'TLSv1.3', suites: [0x1301] }));
    assert.equal(h13.version, 0x0303, 'TLS 1.3 says 1.2 in legacy_version');
    assert.deepEqual(h13.extensions.find(([t]) => t === 43), [43, '020304']);
    assert.deepEqual(h13.extensions.find(([t]) => t === 45), [45, '0101']);
    const h3 = parseClientHello(buildClientHello({ version: 'SSLv3', suites: [0x000a] }));
    assert.equal(h3.recordVersion, 0x0300);
    assert.equal(h3.version, 0x0300);
    assert.deepEqual(h3.extensions, []);
  });
});

describe('the answer reader', () => {
  const read = (version: TlsVersion, ...chunks: Buffer[]) => {
    const r = new AnswerReader(version);
    for (const [i, c] of chunks.entries()) {
      const v = r.push(c);
      if (v) {
        assert.equal(i, chunks.length - 1, 'the verdict comes with the last chunk');
        return v;
      }
    }
    return undefined;
  };

  test('a ServerHello: version and suite; whole, fragmented across records, and byte by byte', () => {
    const sh = serverHello({ suite: 0xc02f, sid: Buffer.alloc(32, 1), exts: [extension(0xff01, Buffer.from([0]))] });
    assert.deepEqual(read('TLSv1.2', sh), { kind: 'accepted', version: 'TLSv1.2', suite: 0xc02f, helloRetry: false });
    // The same message split over three handshake records, followed by the rest of the flight.
    const msg = handshakeMsg(2, serverHelloBody({ suite: 0x009c }));
    const split = Buffer.concat([record(22, msg.subarray(0, 3)), record(22, msg.subarray(3, 40)), record(22, Buffer.concat([msg.subarray(40), handshakeMsg(11, Buffer.alloc(10))]))]);
    assert.deepEqual(read('TLSv1.2', split), { kind: 'accepted', version: 'TLSv1.2', suite: 0x009c, helloRetry: false });
    // Byte by byte: the verdict comes with the last byte of the record that completes the message.
    const bytes = [...split].map((b) => Buffer.from([b]));
    assert.deepEqual(read('TLSv1.2', ...bytes), { kind: 'accepted', version: 'TLSv1.2', suite: 0x009c, helloRetry: false });
    assert.equal(read('TLSv1.2', ...bytes.slice(0, -1)), undefined, 'one byte short: still waiting');
    // A warning before the ServerHello (unrecognized_name from an SNI callback) is not a refusal.
    assert.deepEqual(read('TLSv1', Buffer.concat([alert(1, 112), serverHello({ version: 0x0301, suite: 0x002f })])), { kind: 'accepted', version: 'TLSv1', suite: 0x002f, helloRetry: false });
  });

  test('TLS 1.3: a HelloRetryRequest or ServerHello with supported_versions; without it the server chose TLS 1.2', () => {
    const sv = extension(43, u16(0x0304));
    assert.deepEqual(read('TLSv1.3', serverHello({ random: HRR_RANDOM, sid: Buffer.alloc(32), suite: 0x1302, exts: [sv, extension(51, u16(0x001d))] })), {
      kind: 'accepted',
      version: 'TLSv1.3',
      suite: 0x1302,
      helloRetry: true,
    });
    assert.deepEqual(read('TLSv1.3', serverHello({ suite: 0x1301, exts: [sv] })), { kind: 'accepted', version: 'TLSv1.3', suite: 0x1301, helloRetry: false });
    const v = read('TLSv1.3', serverHello({ suite: 0xc02f }));
    assert.equal(v?.kind, 'refused');
    assert.match((v as { reason: string }).reason, /answered with TLSv1\.2 instead of TLSv1\.3/);
    assert.equal(read('TLSv1.2', serverHello({ random: HRR_RANDOM, suite: 0xc02f }))?.kind, 'error', 'a HelloRetryRequest answers only TLS 1.3');
  });

  test('alerts are refusals named with their number; another version is a refusal, an unknown one an error', () => {
    assert.deepEqual(read('TLSv1.2', alert(2, 40)), { kind: 'refused', reason: 'the server answered with alert handshake_failure(40)', alert: 'handshake_failure' });
    assert.deepEqual(read('TLSv1', alert(2, 70)), { kind: 'refused', reason: 'the server answered with alert protocol_version(70)', alert: 'protocol_version' });
    assert.deepEqual(read('TLSv1.2', alert(2, 201)), { kind: 'refused', reason: 'the server answered with alert unknown(201)', alert: 'alert 201' });
    assert.equal(read('TLSv1.2', alert(1, 0))?.kind, 'refused', 'close_notify');
    assert.match((read('TLSv1.2', serverHello({ version: 0x0301, suite: 0x002f })) as { reason: string }).reason, /answered with TLSv1 instead of TLSv1\.2/);
    assert.match((read('SSLv3', serverHello({ version: 0x0303, suite: 0x002f })) as { reason: string }).reason, /answered with TLSv1\.2 instead of SSLv3 \(higher than offered/);
    assert.equal(read('TLSv1.1', serverHello({ version: 0x0305, suite: 0x002f }))?.kind, 'error');
  });

  test('broken answers are errors naming what came', () => {
    const err = (re: RegExp, v: ReturnType<AnswerReader['push']>) => {
      assert.equal(v?.kind, 'error', JSON.stringify(v));
      assert.match((v as { reason: string }).reason, re);
    };
    err(/not a TLS record: the server sent 485454502f312e31/, read('TLSv1.2', Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')));
    err(/record of 65535 bytes/, read('TLSv1.2', Buffer.from([22, 3, 3, 0xff, 0xff])));
    err(/alert record of 3 bytes/, read('TLSv1.2', record(21, Buffer.from([2, 40, 0]))));
    err(/handshake message type 11 where the ServerHello/, read('TLSv1.2', record(22, handshakeMsg(11, Buffer.alloc(20)))));
    err(/ChangeCipherSpec record before/, read('TLSv1.2', record(20, Buffer.from([1]))));
    err(/session id of 40 bytes/, read('TLSv1.2', serverHello({ suite: 0x002f, sid: Buffer.alloc(40) })));
    err(/shorter than its fixed fields/, read('TLSv1.2', record(22, handshakeMsg(2, Buffer.alloc(20)))));
    err(/compression method 1/, read('TLSv1.2', serverHello({ suite: 0x002f, compression: 1 })));
    err(/a ServerHello of 16777215 bytes/, read('TLSv1.2', record(22, Buffer.from([2, 0xff, 0xff, 0xff]))));
    // Warnings without end: skipped one by one, until the byte cap.
    const r = new AnswerReader('TLSv1.2');
    let v: ReturnType<AnswerReader['push']>;
    for (let i = 0; i < 20_000 && !v; i++) v = r.push(alert(1, 112));
    err(new RegExp(`more than ${MAX_ANSWER_BYTES} bytes without a complete ServerHello`), v);
  });
});

describe('hostile peers: every probe is classified within its timeout', () => {
  const servers: Record<string, HostileServer> = {};
  const drips: NodeJS.Timeout[] = [];
  before(async () => {
    const onHello = (answer: (s: net.Socket) => void) =>
      serveServer(
        net.createServer((s) => {
          s.once('data', () => answer(s));
        }),
      );
    servers.garbage = await onHello((s) => s.write('HTTP/1.1 400 Bad Request\r\n\r\n'));
    // Warning alerts without end, as fast as the socket takes them.
    servers.flood = await onHello((s) => {
      const more = () => {
        if (s.destroyed || !s.writable) return;
        if (s.write(Buffer.concat(Array.from({ length: 512 }, () => alert(1, 112))))) setImmediate(more);
        else s.once('drain', more);
      };
      more();
    });
    // A record announced at the largest size TLS allows, of which 100 bytes ever come.
    servers.endless = await onHello((s) => s.write(Buffer.concat([Buffer.from([22, 3, 3, 0x48, 0x00]), Buffer.alloc(100)])));
    servers.drip = await onHello((s) => {
      const bytes = serverHello({ suite: 0xc02f });
      let i = 0;
      const t = setInterval(() => (i < bytes.length && !s.destroyed ? s.write(bytes.subarray(i, ++i)) : clearInterval(t)), 100);
      drips.push(t);
    });
    servers.huge = await onHello((s) => s.write(Buffer.from([22, 3, 3, 0xff, 0xff])));
    servers.close = await onHello((s) => s.end());
    servers.cut = await onHello((s) => s.end(serverHello({ suite: 0xc02f }).subarray(0, 30)));
    servers.reset = await onHello((s) => s.resetAndDestroy());
    servers.stall = await onHello(() => undefined);
    servers.alert = await onHello((s) => s.write(alert(2, 40)));
  });
  after(async () => {
    drips.forEach(clearInterval);
    await Promise.all(Object.values(servers).map((s) => s.stop()));
  });

  const TIMEOUT = 1000;
  const probe = async (name: string, signal?: AbortSignal): Promise<HelloResult> => {
    const t0 = performance.now();
    const r = await probeHello({ host: '127.0.0.1', port: servers[name]!.port, timeoutMs: TIMEOUT, ...(signal ? { signal } : {}) }, { version: 'TLSv1.2', suites: [0xc02f] });
    assert.ok(performance.now() - t0 < TIMEOUT + 2000, `${name}: ${Math.round(performance.now() - t0)} ms`);
    return r;
  };
  const expect = (r: HelloResult, kind: HelloResult['kind'], re: RegExp) => {
    assert.equal(r.kind, kind, JSON.stringify(r));
    assert.match((r as { reason: string }).reason, re);
  };

  test('garbage, a huge record length, a flood of warnings: errors', async () => {
    expect(await probe('garbage'), 'error', /not a TLS record/);
    expect(await probe('huge'), 'error', /record of 65535 bytes/);
    expect(await probe('flood'), 'error', /more than 65536 bytes without a complete ServerHello/);
  });

  test('a record that never ends, a slow drip and a stall: the timeout; the abort signal cuts earlier', async () => {
    expect(await probe('endless'), 'error', new RegExp(`no ServerHello within ${TIMEOUT} ms`));
    expect(await probe('drip'), 'error', new RegExp(`no ServerHello within ${TIMEOUT} ms`));
    expect(await probe('stall'), 'error', new RegExp(`no ServerHello within ${TIMEOUT} ms`));
    const t0 = performance.now();
    const r = await probe('stall', AbortSignal.timeout(100));
    expect(r, 'error', /aborted/);
    assert.ok(performance.now() - t0 < TIMEOUT, 'the signal, not the timeout');
  });

  test('close, reset, alert: refusals (the first two without an alert); a close inside a record: an error', async () => {
    const closed = await probe('close');
    expect(closed, 'refused', /closed the connection/);
    assert.equal((closed as { alert?: string }).alert, undefined);
    const reset = await probe('reset');
    assert.equal(reset.kind, 'refused', JSON.stringify(reset));
    assert.equal((reset as { alert?: string }).alert, undefined);
    expect(await probe('cut'), 'error', /closed the connection in the middle of its answer \(30 bytes/);
    const a = await probe('alert');
    expect(a, 'refused', /handshake_failure\(40\)/);
    assert.equal((a as { alert?: string }).alert, 'handshake_failure');
  });

  test('a refused port is an error naming the address', async () => {
    const s = net.createServer();
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    const port = (s.address() as net.AddressInfo).port;
    await new Promise((r) => s.close(r));
    const r = await probeHello({ host: '127.0.0.1', port, timeoutMs: TIMEOUT }, { version: 'TLSv1.2', suites: [0xc02f] });
    expect(r, 'error', new RegExp(`127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
  });

  test('the enumeration turns an error into an EnumerationError, and a suite not offered too', async () => {
    const target: HandshakeTarget = { host: '127.0.0.1', port: servers.garbage!.port, timeoutMs: TIMEOUT };
    await assert.rejects(
      enumerateVersion('TLSv1.2', (o) => probeHello(target, o)),
      (e: Error) => e instanceof EnumerationError && /TLSv1\.2 cipher enumeration: not a TLS record/.test(e.message),
    );
    const liar: HelloProber = async (o) => ({ kind: 'accepted', version: o.version, suite: o.suites.includes(0x1301) ? 0x1302 : 0x1301, helloRetry: true, ms: 0 });
    await assert.rejects(enumerateVersion('TLSv1.3', async (o) => (o.suites.length === 5 ? liar(o) : liar({ ...o, suites: [0x1301] }))), /chose TLS_AES_\d+_GCM_SHA\d+, which was not offered/);
  });
});

describe('the cipher table', () => {
  const local = (() => {
    try {
      return execFileSync('openssl', ['version'], { encoding: 'utf8' }).trim();
    } catch {
      return undefined;
    }
  })();
  const series = (v: string) => /OpenSSL (\d+\.\d+)\./.exec(v)?.[1];
  const skip = !local ? 'no openssl binary on this machine' : series(local) !== series(OPENSSL_VERSION) ? `the local ${local} is another series than the table's ${OPENSSL_VERSION}` : false;

  test('it is what the local openssl lists (scripts/gen-cipher-table.ts)', { skip }, () => {
    const rows = parseOpensslCiphers(opensslCiphers(TABLE_CIPHERS));
    const grouped = parseOpensslCiphers(opensslCiphers(GROUPED_ORDER)).map((r) => r.code);
    assert.deepEqual(
      CIPHER_ROWS.map((r) => [...r]),
      rows.map((r) => [r.code, r.name, r.standardName, r.minVersion, r.kx, r.au, grouped.indexOf(r.code)]),
    );
  });

  test('it holds every suite of the default list, the five TLS 1.3 suites, and unique codes and names', () => {
    assert.equal(new Set(SUITES.map((s) => s.code)).size, SUITES.length);
    assert.equal(new Set(SUITES.map((s) => s.name)).size, SUITES.length);
    assert.deepEqual(
      SUITES.filter((s) => s.minVersion === 'TLSv1.3').map((s) => s.name),
      TLS13_SUITES,
    );
    for (const name of tls.getCiphers()) {
      // Node lists the suites of its default context in lower case; every one the enumeration could be told is in the table.
      if (/^(tls_|.*psk|srp)/i.test(name)) continue;
      assert.ok(
        SUITES.some((s) => s.name.toLowerCase() === name),
        `${name} is missing from the table`,
      );
    }
  });
});

const skipBroker = mosquittoSkipReason();

describe('the raw enumeration finds what the full handshakes found', { skip: skipBroker }, () => {
  let dir: string;
  let pki: TlsPki;
  let broker: MosquittoBroker;
  let legacy: tls.Server;
  const endpoints: { name: string; port: number }[] = [];
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-hello-${process.pid}-`));
    pki = await makeTlsPki(path.join(dir, 'pki'));
    broker = await startMosquitto({
      allowAnonymous: true,
      listeners: [
        // Mosquitto 2.0's tls_version is the lowest version allowed; OpenSSL 3 at @SECLEVEL=0 still does TLS 1.1.
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.weak.chain, keyfile: pki.leaves.weak.key }, extra: 'tls_version tlsv1.1\nciphers ALL:@SECLEVEL=0' },
        { kind: 'mqtts', tlsFiles: { certfile: pki.leaves.good.chain, keyfile: pki.leaves.good.key }, extra: 'tls_version tlsv1.2\nciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305' },
      ],
    });
    endpoints.push({ name: 'weak Mosquitto (TLS 1.1+, ALL:@SECLEVEL=0, RSA 1024)', port: broker.ports[0]!.port }, { name: 'hardened Mosquitto (TLS 1.2+, three AEAD suites)', port: broker.ports[1]!.port });
    // TLS 1.0 to 1.2 in the client's order, which Mosquitto cannot be configured for: the order of our offers decides here.
    legacy = tls.createServer({ cert: readFileSync(pki.leaves.weak.chain), key: readFileSync(pki.leaves.weak.key), minVersion: 'TLSv1', maxVersion: 'TLSv1.2', ciphers: 'ALL:COMPLEMENTOFALL:@SECLEVEL=0', honorCipherOrder: false });
    legacy.on('tlsClientError', () => undefined);
    await new Promise<void>((r) => legacy.listen(0, '127.0.0.1', r));
    endpoints.push({ name: 'Node TLS 1.0-1.2, client order, ALL:COMPLEMENTOFALL', port: (legacy.address() as net.AddressInfo).port });
  });
  after(async () => {
    await Promise.all([broker?.stop(), new Promise((r) => legacy?.close(r))]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('same accepted suites (names, standard names, classification), same order, same server order; TLS 1.3 answered by HelloRetryRequests', async () => {
    const seen: Record<string, number> = {};
    for (const ep of endpoints) {
      const target: HandshakeTarget = { host: '127.0.0.1', port: ep.port, timeoutMs: 10_000 };
      for (const version of ['TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'] as TlsVersion[]) {
        const answers: HelloResult[] = [];
        const raw = await enumerateVersion(version, async (o) => {
          const r = await probeHello(target, o);
          answers.push(r);
          return r;
        });
        const full = await enumerateVersionFullHandshakes(version, (p) => handshake(target, p));
        const what = `${ep.name} ${version}`;
        assert.deepEqual(raw.accepted, full.accepted, what);
        assert.equal(raw.serverOrder, full.serverOrder, what);
        assert.equal(raw.incomplete, undefined);
        assert.ok(raw.handshakes <= full.handshakes, `${what}: ${raw.handshakes} probes, ${full.handshakes} handshakes`);
        seen[`${ep.port} ${version}`] = raw.accepted.length;
        if (version === 'TLSv1.3' && raw.accepted.length) {
          assert.ok(answers.filter((a) => a.kind === 'accepted').every((a) => a.kind === 'accepted' && a.helloRetry), `${what}: every choice came in a HelloRetryRequest`);
        }
        if (ep === endpoints[2] && raw.accepted.length >= 2) assert.equal(raw.serverOrder, false, `${what}: the client's order`);
      }
    }
    // The comparison is not vacuous: the weak listener takes dozens of suites, the hardened one its three, TLS 1.0 only on Node.
    const [weak, hard, node] = endpoints.map((e) => e.port);
    assert.ok(seen[`${weak} TLSv1.2`]! > 40 && seen[`${weak} TLSv1.1`]! > 10 && seen[`${weak} TLSv1.3`] === 3 && seen[`${weak} TLSv1`] === 0, JSON.stringify(seen));
    assert.ok(seen[`${hard} TLSv1.2`] === 3 && seen[`${hard} TLSv1.3`] === 3 && seen[`${hard} TLSv1.1`] === 0, JSON.stringify(seen));
    assert.ok(seen[`${node} TLSv1`]! > 10 && seen[`${node} TLSv1.2`]! > 30 && seen[`${node} TLSv1.3`] === 0, JSON.stringify(seen));
  });
});

describe('SSLv3, which OpenSSL 3 cannot send, asked with our own hello', () => {
  let dir: string;
  let backend: HostileServer;
  let front: HostileServer;
  let pki: TlsPki;
  const SSLV3_PREFERENCE = [0x002f, 0x0001]; // AES128-SHA, NULL-MD5
  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), `mqtt-warden-tls-sslv3-${process.pid}-`));
    pki = await makeTlsPki(path.join(dir, 'pki'));
    // A real TLS 1.2 server answering MQTT CONNECT with a CONNACK, behind a front that answers SSLv3 hellos itself.
    const server = tls.createServer({ cert: readFileSync(pki.leaves.good.chain), key: readFileSync(pki.leaves.good.key), minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' }, (s) => {
      s.on('error', () => undefined);
      s.once('data', () => s.end(Buffer.from([0x20, 0x03, 0x00, 0x00, 0x00])));
    });
    server.on('tlsClientError', () => undefined);
    backend = await serveServer(server);
    const backendPort = backend.port;
    front = await serveServer(
      net.createServer((s) => {
        let buf = Buffer.alloc(0);
        const onData = (d: Buffer) => {
          buf = Buffer.concat([buf, d]);
          if (buf.length < 5 || buf.length < 5 + buf.readUInt16BE(3)) return;
          s.off('data', onData);
          const hello = parseClientHello(buf);
          if (hello.version === 0x0300) {
            // An SSLv3 server of old: its own preference among what it was offered.
            const pick = SSLV3_PREFERENCE.find((c) => hello.suites.includes(c));
            s.end(pick === undefined ? record(21, Buffer.from([2, 40]), 0x0300) : record(22, handshakeMsg(2, serverHelloBody({ version: 0x0300, suite: pick })), 0x0300));
            return;
          }
          const up = net.connect(backendPort, '127.0.0.1', () => up.write(buf));
          up.on('error', () => s.destroy());
          s.on('error', () => up.destroy());
          s.pipe(up).pipe(s);
        };
        s.on('data', onData);
      }),
    );
  });
  after(async () => {
    await Promise.all([front?.stop(), backend?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  test('an SSLv3 ServerHello fails TLS-001, and the SSLv3 suites are enumerated with the others', async () => {
    const { audit, result } = await import('./helpers/audit.js');
    const url = `mqtts://127.0.0.1:${front.port}`;
    const report = await audit([url], { tls: { ca: pki.pem.root }, windowMs: 0, timeoutMs: 10_000, targetTimeoutMs: 60_000 });
    const r001 = result(report, 'TLS-001', url);
    assert.equal(r001.status, 'FAIL', r001.message);
    assert.match(r001.message, /accepts SSLv3 \(AES128-SHA\)/);
    const r004 = result(report, 'TLS-004', url);
    assert.equal(r004.status, 'FAIL', r004.message);
    assert.match(r004.message, /NULL-MD5/);
    const order = result(report, 'TLS-006', url).evidence as { preference: Record<string, string[]> };
    assert.deepEqual(order.preference.SSLv3, ['AES128-SHA', 'NULL-MD5'], JSON.stringify(order));
    // The TLS 1.2 side is the real server behind the front.
    assert.equal(result(report, 'TLS-007', url).status, 'PASS');
  });
});
