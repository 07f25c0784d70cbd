/** Guard parsers, correlation, line splitting, detector and allowlist: fixtures and units (no network). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GuardConfigSchema, parseConfig, type GuardConfig } from '../src/guard/config.js';
import { defaultGuardConfig } from '../src/guard/defaults.js';
import { Detector, type BanDecision } from '../src/guard/detector.js';
import type { EventKind } from '../src/guard/events.js';
import { AllowList, defaultAllow, normaliseIp } from '../src/guard/ip.js';
import { LineSplitter } from '../src/guard/lines.js';
import { MosquittoParser } from '../src/guard/parsers/mosquitto.js';
import { detectorConfig } from '../src/guard/pipeline.js';
import { replayFile } from '../src/guard/replay.js';

const FIX = new URL('./fixtures/logs/', import.meta.url).pathname;

function cfg(extra = ''): GuardConfig {
  const c = parseConfig(`ban:\n  allowDefaults: false\n${extra}`, 'test.yaml');
  return c;
}

function perIp(r: ReturnType<typeof replayFile>): Record<string, number> {
  return Object.fromEntries(r.perIp.filter((p) => p.failures).map((p) => [p.ip, p.failures]));
}

test('Mosquitto 2.0.11 with debug logging (real): CONNACK + disconnect lines count once, IPv6 without brackets', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.0.11-debug.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 7);
  assert.equal(r.unattributedFailures, 0);
  assert.deepEqual(perIp(r), { '127.0.0.2': 4, '::1': 2, '127.0.0.5': 1 });
  assert.equal(r.protocolErrors, 1);
  assert.equal(r.perIp.find((p) => p.ip === '127.0.0.4')?.protocolErrors, 1);
  assert.equal(r.connections, 10);
  assert.equal(r.lines.skipped, 0);
});

test('Mosquitto 2.0.11 without debug (real): a failure while another address has a connection open is counted but not attributed', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.0.11-notice.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 7, 'every refused login is counted once');
  assert.deepEqual(perIp(r), { '127.0.0.2': 3, '::1': 2 });
  assert.equal(r.unattributedFailures, 2, 'the interleaved failure and the one after the unexplained close are not blamed on anyone');
  assert.ok(!perIp(r)['127.0.0.3'], 'the idle connection is never blamed');
});

test('Mosquitto 2.0.13+ (hand-written): client ids, CONNACK with a client id, IPv4-mapped addresses', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.0.15-handwritten.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 5);
  assert.deepEqual(perIp(r), { '192.0.2.10': 3, '2001:db8::7': 1, '192.0.2.30': 1 });
});

test('Mosquitto 2.1.1+ (hand-written): address in brackets, the LAST bracket wins over one forged in a client id', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.1.1-handwritten.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 5);
  assert.deepEqual(perIp(r), { '198.51.100.5': 2, '198.51.100.6': 1, '2001:db8::5': 1, '198.51.100.7': 1 });
  assert.ok(!perIp(r)['203.0.113.99'], 'forged address in a client id must not be blamed');
  assert.equal(r.perIp.find((p) => p.ip === '198.51.100.8')?.protocolErrors, 1);
});

test('Mosquitto 2.1.2 (hand-written from its format strings): bad username or password, protocol errors counted once, PROXY protocol lines without a connection line', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.1.2-handwritten.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 5, '"not authorised" and "bad username or password" are both refused logins');
  assert.equal(r.unattributedFailures, 0);
  assert.deepEqual(perIp(r), { '198.51.100.20': 2, '203.0.113.40': 2, '2001:db8::20': 1 });
  const proto = Object.fromEntries(r.perIp.filter((p) => p.protocolErrors).map((p) => [p.ip, p.protocolErrors]));
  // TLS on a plain listener, "Protocol error from … CONNECT with", "Bad client … multiple CONNECT": each
  // followed by its "[ip:port] disconnected: protocol error." line, one event each; the foreign web origin is one too.
  assert.deepEqual(proto, { '198.51.100.22': 1, '198.51.100.23': 1, '198.51.100.24': 1, '198.51.100.25': 1 });
  assert.equal(r.protocolErrors, 4, '"Protocol error from <client id>: Will …" names no address and is not counted');
  assert.equal(r.connections, 8);
});

test('Mosquitto 2.1.0 (hand-written from its format strings): address-less "bad username or password" correlated like "not authorised"', () => {
  const r = replayFile(path.join(FIX, 'mosquitto-2.1.0-handwritten.log'), 'mosquitto', cfg());
  assert.equal(r.failures, 3);
  assert.deepEqual(perIp(r), { '192.0.2.50': 2 });
  assert.equal(r.unattributedFailures, 1, 'two addresses open: the failure is counted, nobody is blamed');
  assert.equal(r.perIp.find((p) => p.ip === '192.0.2.53')?.protocolErrors, 1);
  assert.equal(r.connections, 6);
});

test('Mosquitto 2.1: a protocol error named with its address is attributed even with another connection open, and the address-less disconnect line after it is the same event', () => {
  const events: [EventKind, string | undefined][] = [];
  const p = new MosquittoParser({ event: (k, ip) => void events.push([k, ip]) });
  const lines = [
    '1764000004: New connection from 192.0.2.54:40009 on port 1883.',
    '1764000004: New connection from 192.0.2.52:40004 on port 1883.',
    '1764000004: Protocol error from 192.0.2.52:40004: CONNECT with missing protocol version.',
    '1764000004: Client <unknown> disconnected due to protocol error.',
    '1764000009: New client connected from 192.0.2.54:40009 as late (p4, c1, k30).',
    '1764000009: New connection from 192.0.2.53:40005 on port 1883.',
    '1764000009: Client <unknown> disconnected due to protocol error.',
  ];
  for (const l of lines) p.line(l, 0, l.length, 0);
  assert.deepEqual(events.filter(([k]) => k === 'protocol-error'), [['protocol-error', '192.0.2.52'], ['protocol-error', '192.0.2.53']]);
});

test('EMQX 5 (hand-written): text and JSON authentication_failure records, IPv6 peernames in brackets', () => {
  const r = replayFile(path.join(FIX, 'emqx-5-handwritten.log'), 'emqx', cfg());
  assert.equal(r.failures, 4);
  assert.deepEqual(perIp(r), { '203.0.113.7': 2, '2001:db8::9': 1, '203.0.113.10': 1 });
});

test('generic pattern: named group ip, pre-filter substring', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-'));
  try {
    const f = path.join(dir, 'app.log');
    writeFileSync(f, 'login failed for bob from 192.0.2.1\nlogin ok for amy from 192.0.2.2\nlogin failed for x from [2001:db8::1]:99\n');
    const c = cfg(`generic:\n  - pattern: 'login failed for (?<user>\\S+) from (?<ip>\\S+)'\n    contains: 'login failed'\n`);
    const r = replayFile(f, 'generic', c);
    assert.equal(r.failures, 2);
    assert.deepEqual(perIp(r), { '192.0.2.1': 1, '2001:db8::1': 1 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('maxretry within findtime gives a ban; guard test reports it with the threshold count', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-'));
  try {
    const f = path.join(dir, 'm.log');
    const lines: string[] = [];
    for (let i = 0; i < 6; i++) lines.push(`${1700000000 + i}: New connection from 192.0.2.66:${4000 + i} on port 1883.`, `${1700000000 + i}: Client <unknown> disconnected, not authorised.`);
    // slow attacker: 4 failures spread over more than findtime never trigger
    for (let i = 0; i < 4; i++) lines.push(`${1700000000 + i * 700}: New connection from 192.0.2.77:${5000 + i} on port 1883.`, `${1700000000 + i * 700}: Client <unknown> disconnected, not authorised.`);
    writeFileSync(f, `${lines.join('\n')}\n`);
    const r = replayFile(f, 'mosquitto', cfg());
    assert.equal(r.bans.length, 1);
    assert.equal(r.bans[0]!.ip, '192.0.2.66');
    assert.equal(r.bans[0]!.count, 5);
    assert.equal(r.bans[0]!.seconds, 600);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function detector(c: GuardConfig, allow = new AllowList()) {
  const bans: BanDecision[] = [];
  const d = new Detector(detectorConfig(c), allow, { onBan: (b) => bans.push(b) });
  return { d, bans };
}

test('repeat offenders get longer bans (bantime × factor^n, capped); allowlisted addresses are never banned', () => {
  const c = cfg('  bantime: 60\n  factor: 3\n  maxbantime: 300\n');
  const allow = new AllowList();
  allow.add('10.0.0.0/8');
  allow.add('::ffff:172.16.0.0/108');
  const { d, bans } = detector(c, allow);
  let t = 1_000_000;
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 5; i++) d.event('auth-failure', '192.0.2.9', (t += 1000));
    t += 400_000; // the ban (≤ 300 s) is over
  }
  assert.deepEqual(bans.map((b) => b.seconds), [60, 180, 300, 300]);
  assert.deepEqual(bans.map((b) => b.offence), [1, 2, 3, 4]);
  for (let i = 0; i < 1000; i++) d.event('auth-failure', '10.1.2.3', (t += 10));
  for (let i = 0; i < 1000; i++) d.event('auth-failure', '172.16.5.5', (t += 10));
  assert.equal(bans.length, 4, 'allowlisted addresses (also a mapped-IPv6 CIDR) are never banned');
  assert.equal(d.failures.allowed, 2000);
});

test('flood and scanner detections', () => {
  const { d, bans } = detector(cfg('detect:\n  flood: { maxconn: 20, findtime: 10 }\n  scanner: { maxretry: 3, findtime: 60 }\n'));
  for (let i = 0; i < 20; i++) d.event('connect', '192.0.2.50', 1000 + i);
  for (let i = 0; i < 3; i++) d.event('protocol-error', '192.0.2.51', 1000 + i);
  assert.deepEqual(bans.map((b) => [b.ip, b.reason]), [['192.0.2.50', 'flood'], ['192.0.2.51', 'scanner']]);
});

test('one username refused from many addresses is reported, not banned', () => {
  const reports: string[] = [];
  const c = cfg('detect:\n  username: { minIps: 5, findtime: 600 }\n');
  const d = new Detector(detectorConfig(c), new AllowList(), { onBan: () => assert.fail('no ban expected'), onUsername: (r) => reports.push(`${r.user}:${r.ips}`) });
  for (let i = 0; i < 5; i++) d.event('auth-failure', `192.0.2.${i + 1}`, 1000 + i, 'admin');
  assert.deepEqual(reports, ['admin:5']);
});

test('memory stays bounded under 1,000,000 distinct source addresses', () => {
  const c = cfg();
  c.maxTracked = 50_000;
  const { d } = detector(c);
  const sink = { event: (k: EventKind, ip: string | undefined, t: number) => d.event(k, ip, t) };
  const p = new MosquittoParser(sink);
  const started = Date.now();
  let peak = 0;
  for (let i = 0; i < 1_000_000 && Date.now() - started < 60_000; i++) {
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    const a = `1700000000: New connection from ${ip}:1234 on port 1883.`;
    p.line(a, 0, a.length, 0);
    const b = '1700000000: Client <unknown> disconnected, not authorised.';
    p.line(b, 0, b.length, 0);
    if ((i & 0xffff) === 0) peak = Math.max(peak, d.tracked);
  }
  assert.equal(d.failures.total, 1_000_000);
  assert.ok(d.tracked <= 50_000, `tracked ${d.tracked}`);
  assert.ok(peak <= 50_000);
});

test('garbage input: binary data, 1 MB lines and invalid UTF-8 are counted and skipped; partial lines wait', () => {
  const seen: string[] = [];
  const parser = { format: 'x', unattributed: 0, line: (t: string, s: number, e: number) => void seen.push(t.slice(s, e)) };
  const sp = new LineSplitter(parser, 64 * 1024, () => 0);
  sp.push(Buffer.from('first line\nbin\x00ary\x01\n'));
  sp.push(Buffer.concat([Buffer.from('bad '), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(' utf8\nok ü\n')]));
  const big = Buffer.alloc(1 << 20, 0x41);
  sp.push(big); // 1 MB without newline: dropped, skipped up to the next newline
  sp.push(Buffer.from('AAAA tail of the long line\nafter long\npart'));
  assert.equal(sp.pending, 4);
  sp.push(Buffer.from('ial\n'));
  const huge = Buffer.concat([Buffer.alloc(1 << 20, 0x42), Buffer.from('\nlast\n')]);
  sp.push(huge);
  assert.deepEqual(seen, ['first line', 'ok ü', 'after long', 'partial', 'last']);
  assert.equal(sp.counters.skippedBinary, 1);
  assert.equal(sp.counters.skippedInvalidUtf8, 1);
  assert.equal(sp.counters.skippedLong, 2);
  assert.equal(sp.counters.skipped, 4);
  assert.equal(sp.pending, 0);
});

test('addresses: IPv4-mapped IPv6 becomes IPv4, IPv6 is canonical, defaults allow loopback and own addresses', () => {
  assert.equal(normaliseIp('::ffff:192.0.2.1'), '192.0.2.1');
  assert.equal(normaliseIp('::FFFF:c000:0201'), '192.0.2.1');
  assert.equal(normaliseIp('2001:DB8:0:0::1'), '2001:db8::1');
  assert.equal(normaliseIp('[::1]'), '::1');
  assert.equal(normaliseIp('fe80::1%eth0'), 'fe80::1');
  assert.equal(normaliseIp('<unknown>'), undefined);
  assert.equal(normaliseIp('999.1.1.1'), undefined);
  const allow = new AllowList();
  for (const e of defaultAllow()) allow.add(e);
  assert.ok(allow.has('127.0.0.1') && allow.has('127.9.9.9') && allow.has('::1'));
  assert.ok(!allow.has('192.0.2.1'));
  assert.throws(() => allow.add('10.0.0.0/33'), /prefix/);
  assert.throws(() => allow.add('nonsense'), /not an IP/);
});

test('config: schema errors name the file and the field', () => {
  assert.throws(() => parseConfig('detect:\n  auth: { maxretry: 0, findtime: 60 }\n', 'g.yaml'), /g\.yaml: detect\.auth\.maxretry/);
  assert.throws(() => parseConfig('bogus: 1\n', 'g.yaml'), /g\.yaml/);
  assert.throws(() => parseConfig('ban: { table: "bad name" }\n', 'g.yaml'), /ban\.table/);
  assert.equal(parseConfig('', 'empty.yaml').detect.auth.maxretry, 5);
  // guard test without --config uses the plain defaults (no schema library at start-up): the same values.
  assert.deepEqual(defaultGuardConfig(), GuardConfigSchema.parse({}));
  assert.deepEqual(defaultGuardConfig(), parseConfig('', 'empty.yaml'));
});

test('the open connections of a banned address no longer make other failures ambiguous', () => {
  const events: [string, string | undefined][] = [];
  const p = new MosquittoParser({ event: (k, ip) => void events.push([k, ip]) });
  const feed = (l: string) => p.line(l, 0, l.length, 0);
  feed('1700000000: New connection from 192.0.2.1:1000 on port 1883.'); // attacker, cut off by its ban
  feed('1700000000: New connection from 2001:db8::2:1001 on port 1883.');
  feed('1700000000: Client <unknown> disconnected, not authorised.');
  assert.deepEqual(events.at(-1), ['auth-failure', undefined], 'two addresses open: not attributed');
  p.forgetAddress('192.0.2.1');
  feed('1700000001: New connection from 2001:db8::2:1002 on port 1883.');
  feed('1700000001: Client <unknown> disconnected, not authorised.');
  assert.deepEqual(events.at(-1), ['auth-failure', '2001:db8::2']);
  // snapshot/restore keeps the open connections
  feed('1700000002: New connection from 192.0.2.9:1003 on port 1883.');
  const q = new MosquittoParser({ event: (k, ip) => void events.push([k, ip]) });
  q.restore(p.snapshot());
  const l = '1700000002: Client <unknown> disconnected, not authorised.';
  q.line(l, 0, l.length, 0);
  assert.deepEqual(events.at(-1), ['auth-failure', undefined], 'restored: 2001:db8::2 (one left open) and 192.0.2.9 are open');
});
