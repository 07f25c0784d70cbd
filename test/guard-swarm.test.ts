/**
 * The rules over several addresses (src/guard/detector.ts): `subnet` bans a network whose addresses
 * together reach its threshold while each stays under `auth`; `swarm` lowers the per-address threshold
 * listener-wide. Detector units first, then `guard test` on a generated Mosquitto 2.0 log.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Detector, type BanDecision, type DetectorConfig, type SwarmReport } from '../src/guard/detector.js';
import { AllowList, normaliseTarget, targetContains } from '../src/guard/ip.js';
import { detectorConfig } from '../src/guard/pipeline.js';
import { defaultGuardConfig } from '../src/guard/defaults.js';
import { replayFile, renderReplay } from '../src/guard/replay.js';

const T0 = Date.UTC(2026, 11, 6, 12, 0, 0);

function cfg(over: Partial<DetectorConfig> = {}): DetectorConfig {
  return { ...detectorConfig(defaultGuardConfig()), ...over };
}

function detector(c: DetectorConfig = cfg(), allow: string[] = []) {
  const bans: (BanDecision & { failure: number })[] = [];
  const swarms: SwarmReport[] = [];
  const list = new AllowList();
  for (const a of allow) list.add(a);
  let failure = 0;
  const d = new Detector(c, list, { onBan: (b) => bans.push({ ...b, failure }), onSwarm: (s) => swarms.push(s) });
  return {
    d,
    bans,
    swarms,
    /** One refused login; `failure` in the ban records is the 1-based number of the failure that decided it. */
    fail(ip: string, t: number) {
      failure++;
      d.event('auth-failure', ip, t);
    },
  };
}

/** `ips` take turns, `per` failures each, one failure every 5 s. */
function roundRobin(x: ReturnType<typeof detector>, ips: string[], per: number, start = T0): number {
  let t = start;
  for (let round = 0; round < per; round++) for (const ip of ips) x.fail(ip, (t += 5000));
  return t;
}

const oneNet = Array.from({ length: 8 }, (_, i) => `203.0.113.${10 + i}`);
const spread = Array.from({ length: 8 }, (_, i) => `198.51.${100 + i}.7`);

test('subnet: 8 addresses of one /24 with 4 failures each → one ban of the /24 at the 10th failure, naming its addresses; none of the addresses reaches auth', () => {
  const x = detector(cfg({ swarm: null }));
  roundRobin(x, oneNet, 4);
  assert.equal(x.bans.length, 1, JSON.stringify(x.bans));
  const b = x.bans[0]!;
  assert.equal(b.ip, '203.0.113.0/24');
  assert.equal(b.reason, 'subnet');
  assert.equal(b.failure, 10);
  assert.equal(b.count, 10);
  assert.equal(b.seconds, 600);
  assert.deepEqual([...b.members!].sort(), oneNet.slice().sort());
  // The rest of the failures come from inside the banned network: not counted again.
  assert.ok(x.d.isBanned('203.0.113.200', T0 + 60_000), 'an address of the /24 that never failed is inside the ban');
  assert.ok(!x.d.isBanned('203.0.114.10', T0 + 60_000), 'the next /24 is not');
  assert.ok(!x.d.isBanned('203.0.113.10', T0 + 10 * 60_000 + 200_000), 'the ban ends');
});

test('subnet: one address alone (auth threshold) is not a network ban; minIps distinct addresses are needed', () => {
  const x = detector(cfg({ swarm: null, auth: { maxretry: 50, findtime: 600 } }));
  for (let i = 0; i < 20; i++) x.fail('203.0.113.9', T0 + i * 1000);
  assert.deepEqual(x.bans, []);
});

test('subnet off (null): the same pattern bans nothing; the failures outside findtime do not add up', () => {
  const off = detector(cfg({ swarm: null, subnet: null }));
  roundRobin(off, oneNet, 4);
  assert.deepEqual(off.bans, []);
  // 8 addresses, 4 failures each, but 100 s apart: at most 6 failures in any 600 s window.
  const slow = detector(cfg({ swarm: null }));
  let t = T0;
  for (let round = 0; round < 4; round++) for (const ip of oneNet) slow.fail(ip, (t += 100_000));
  assert.deepEqual(slow.bans, []);
});

test('swarm: the same pattern over 8 different /24s bans no network, raises the alarm at the 30th failure, and then a 9th address is banned at its 2nd failure', () => {
  const x = detector();
  const t = roundRobin(x, spread, 4);
  assert.equal(x.bans.filter((b) => b.reason === 'subnet').length, 0);
  assert.equal(x.swarms.length, 1, 'one alarm, not one per failure');
  const s = x.swarms[0]!;
  assert.equal(s.failures, 30);
  assert.equal(s.addresses, 8);
  assert.equal(s.maxretry, 2);
  assert.equal(s.until, s.time + 600_000);
  assert.ok(x.d.swarmActive(t));
  // Failures 30–32 came from addresses that already had 4 each: the tightened threshold bans them at once.
  assert.deepEqual(x.bans.map((b) => [b.ip, b.reason, b.failure]), [[spread[5], 'swarm', 30], [spread[6], 'swarm', 31], [spread[7], 'swarm', 32]]);
  assert.match(x.bans[0]!.detail!, /threshold 2 instead of 5/);
  const newcomer = '192.0.2.77';
  x.fail(newcomer, t + 1000);
  assert.equal(x.bans.length, 3, 'one failure (a typo) is not banned even during the alarm');
  x.fail(newcomer, t + 2000);
  assert.deepEqual(x.bans.slice(3).map((b) => [b.ip, b.reason, b.count]), [[newcomer, 'swarm', 2]]);
  // The alarm ends findtime after the last failure that kept it up; then the normal threshold is back.
  const later = t + 2000 + 700_000;
  assert.ok(!x.d.swarmActive(later));
  x.fail('192.0.2.78', later);
  x.fail('192.0.2.78', later + 1000);
  assert.equal(x.bans.length, 4);
});

test('swarm: many failures from fewer than minIps addresses raise no alarm; swarm off (null) never tightens', () => {
  const few = detector(cfg({ auth: { maxretry: 100, findtime: 600 }, subnet: null }));
  roundRobin(few, spread.slice(0, 4), 20);
  assert.deepEqual(few.swarms, []);
  const off = detector(cfg({ swarm: null }));
  roundRobin(off, spread, 4);
  assert.deepEqual(off.swarms, []);
  assert.deepEqual(off.bans, []);
});

test('subnet: an allowlisted address (or network) inside the /24 → no network ban; its contributing addresses are banned one by one, saying why', () => {
  for (const allow of ['203.0.113.200', '203.0.113.128/25']) {
    const x = detector(cfg({ swarm: null }), [allow]);
    roundRobin(x, oneNet, 4);
    assert.ok(!x.bans.some((b) => b.ip.includes('/')), `${allow}: no prefix ban: ${JSON.stringify(x.bans)}`);
    const first = x.bans.filter((b) => b.failure === 10);
    assert.deepEqual(first.map((b) => b.ip).sort(), oneNet.slice().sort(), allow);
    for (const b of first) {
      assert.equal(b.reason, 'subnet-members');
      assert.match(b.detail!, new RegExp(`203\\.0\\.113\\.0/24 overlaps the allowlist \\(${allow.includes('/') ? allow.replace(/\./g, '\\.') : `${allow.replace(/\./g, '\\.')}/32`}\\)`));
    }
    assert.ok(!x.d.isBanned('203.0.113.200', T0 + 60_000), 'the allowlisted address is not covered');
  }
  // An allowlisted address that itself fails is never banned, and never counted.
  const x = detector(cfg({ swarm: null }), ['203.0.113.10']);
  roundRobin(x, oneNet, 4);
  assert.ok(!x.bans.some((b) => b.ip === '203.0.113.10' || b.ip.includes('/')));
});

test('subnet: IPv6 addresses are grouped by /64 (prefix length configurable), IPv4-mapped addresses count as IPv4', () => {
  const v6 = Array.from({ length: 8 }, (_, i) => `2001:db8:1:2:${i + 1}::${i + 10}`);
  const x = detector(cfg({ swarm: null }));
  roundRobin(x, v6, 4);
  assert.deepEqual(x.bans.map((b) => [b.ip, b.failure]), [['2001:db8:1:2::/64', 10]]);
  assert.ok(x.d.isBanned('2001:db8:1:2:ffff::1', T0 + 60_000));
  assert.ok(!x.d.isBanned('2001:db8:1:3::1', T0 + 60_000));
  const wide = detector(cfg({ swarm: null, subnet: { ...cfg().subnet!, ipv6: 48, ipv4: 16 } }));
  roundRobin(wide, Array.from({ length: 8 }, (_, i) => `2001:db8:1:${i}::1`), 4);
  roundRobin(wide, Array.from({ length: 8 }, (_, i) => `10.9.${i}.1`), 4, T0 + 3_600_000);
  assert.deepEqual(wide.bans.map((b) => b.ip), ['2001:db8:1::/48', '10.9.0.0/16']);
  assert.equal(normaliseTarget('::ffff:10.9.3.4/120'), '10.9.3.0/24');
  assert.equal(normaliseTarget('2001:DB8:1:2:3::9/64'), '2001:db8:1:2::/64');
  assert.equal(normaliseTarget('10.1.2.3/32'), '10.1.2.3');
  assert.equal(normaliseTarget('10.1.2.3/33'), undefined);
  assert.ok(targetContains('2001:db8:1:2::/64', '2001:db8:1:2::99'));
  assert.ok(!targetContains('10.1.2.0/24', '2001:db8:1:2::99'));
});

test('subnet: a repeat offender network gets a growing ban time (bantime × factor^previous, capped)', () => {
  const x = detector(cfg({ swarm: null, bantime: 600, factor: 2, maxbantime: 2000 }));
  let t = T0;
  for (let i = 0; i < 3; i++) {
    t = roundRobin(x, oneNet, 2, t);
    t += 3_600_000; // after the ban
  }
  assert.deepEqual(x.bans.map((b) => [b.ip, b.offence, b.seconds]), [['203.0.113.0/24', 1, 600], ['203.0.113.0/24', 2, 1200], ['203.0.113.0/24', 3, 2000]]);
});

test('subnet: memory is bounded: at most maxTracked networks are tracked, the least recently seen dropped first', () => {
  const x = detector(cfg({ swarm: null, maxTracked: 100 }));
  for (let i = 0; i < 5000; i++) x.fail(`10.${(i >> 8) & 255}.${i & 255}.1`, T0 + i);
  assert.ok(x.d.trackedPrefixes <= 100, String(x.d.trackedPrefixes));
  assert.ok(x.d.tracked <= 100);
  assert.deepEqual(x.bans, []);
});

test('restored and cluster network bans (markBanned): addresses inside are banned, also for a length other than the configured one', () => {
  const x = detector(cfg({ swarm: null }));
  const until = Date.now() + 60_000;
  x.d.markBanned('198.51.100.0/24', until);
  x.d.markBanned('10.20.0.0/16', until);
  assert.ok(x.d.isBanned('198.51.100.9', Date.now()));
  assert.ok(x.d.isBanned('10.20.99.1', Date.now()));
  assert.ok(!x.d.isBanned('10.21.0.1', Date.now()));
  // Failures from inside are not counted (the firewall drops them): no second ban.
  const now = Date.now();
  for (let i = 0; i < 20; i++) x.fail(`198.51.100.${i}`, now + i);
  assert.deepEqual(x.bans, []);
});

/** A Mosquitto 2.0 log (the 2.0.11 two-line refusal, as Debian's 2.0 writes it): `who` take turns, `per` refusals each, plus a legitimate session. */
function mosquitto20Log(who: string[], per: number, t0 = 1765022400): string {
  const lines: string[] = [];
  let t = t0;
  let port = 40000;
  lines.push(`${t}: New connection from 192.0.2.1:${port++} on port 1883.`, `${t}: New client connected from 192.0.2.1:${port - 1} as sensor-1 (p2, c1, k60, u'alice').`);
  for (let round = 0; round < per; round++) {
    for (const ip of who) {
      t += 5;
      lines.push(`${t}: New connection from ${ip}:${port++} on port 1883.`, `${t}: Client <unknown> disconnected, not authorised.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

test('guard test (CLI, default rules) on a Mosquitto 2.0 log: distributed guessing from one /24 is banned as the network; spread over many /24s it raises the swarm alarm; JSON and terminal say so', { timeout: 60_000 }, async () => {
  const { runCli } = await import('./helpers/cli.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-swarm-'));
  try {
    const net = path.join(dir, 'net.log');
    writeFileSync(net, mosquitto20Log(oneNet, 4));
    const j = await runCli(['guard', 'test', net, '-f', 'json']);
    assert.equal(j.code, 0, j.stderr);
    const r = JSON.parse(j.stdout) as ReturnType<typeof replayFile>;
    assert.equal(r.failures, 32);
    assert.deepEqual(r.bans.map((b) => [b.ip, b.reason, b.count, b.members?.length]), [['203.0.113.0/24', 'subnet', 10, 8]]);
    assert.equal(r.bans[0]!.at, new Date((1765022400 + 50) * 1000).toISOString(), 'decided at the 10th refusal');
    assert.deepEqual(r.swarms, [], 'the network ban stops the count at 10 failures: no swarm');
    const term = await runCli(['guard', 'test', net]);
    assert.match(term.stdout, /Would ban: 1\n {2}203\.0\.113\.0\/24 +subnet +600 s {2}\(offence 1, 10 events, from 8 addresses, at /);

    const wide = path.join(dir, 'wide.log');
    writeFileSync(wide, mosquitto20Log([...spread, '192.0.2.77'], 4));
    const w = JSON.parse((await runCli(['guard', 'test', wide, '-f', 'json'])).stdout) as ReturnType<typeof replayFile>;
    assert.ok(!w.bans.some((b) => b.reason === 'subnet'));
    assert.equal(w.swarms.length, 1);
    assert.equal(w.swarms[0]!.failures, 30);
    // 9 addresses: failure 30 is the 4th round's 3rd address; it and every later one with ≥ 2 failures is banned.
    assert.deepEqual(w.bans.map((b) => [b.ip, b.reason, b.count]), [[spread[2], 'swarm', 4], [spread[3], 'swarm', 4], [spread[4], 'swarm', 4], [spread[5], 'swarm', 4], [spread[6], 'swarm', 4], [spread[7], 'swarm', 4], ['192.0.2.77', 'swarm', 4]]);
    const wt = (await runCli(['guard', 'test', wide])).stdout;
    assert.match(wt, /Swarm alarm at \S+: 30 refused logins from 9\+ addresses within the window; per-address threshold 2 until at least /);

    // Switched off in a config file: nothing is banned, no alarm (what guard did before these rules).
    const conf = path.join(dir, 'off.yaml');
    writeFileSync(conf, 'detect:\n  subnet: null\n  swarm: null\n');
    for (const f of [net, wide]) {
      const o = JSON.parse((await runCli(['guard', 'test', f, '-c', conf, '-f', 'json'])).stdout) as ReturnType<typeof replayFile>;
      assert.deepEqual([o.bans, o.swarms], [[], []], f);
    }
    // An allowlisted address inside the /24 (config ban.allow): the addresses are banned one by one.
    const allow = path.join(dir, 'allow.yaml');
    writeFileSync(allow, 'ban:\n  allow: [203.0.113.1]\n');
    const a = JSON.parse((await runCli(['guard', 'test', net, '-c', allow, '-f', 'json'])).stdout) as ReturnType<typeof replayFile>;
    assert.deepEqual(a.bans.map((b) => b.reason), Array(8).fill('subnet-members'));
    assert.match((await runCli(['guard', 'test', net, '-c', allow])).stdout, /prefix 203\.0\.113\.0\/24 overlaps the allowlist \(203\.0\.113\.1\/32\): its 8 contributing addresses are banned one by one instead/);
    assert.ok(renderReplay(a).includes('subnet-members'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('guard status, bans and unban --dry-run with a network ban in the state (log-only backend): the network is shown with its addresses and named by its CIDR', { timeout: 60_000 }, async () => {
  const { runCli } = await import('./helpers/cli.js');
  const { StateStore } = await import('../src/guard/state.js');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-swarm-'));
  try {
    const state = path.join(dir, 'guard.db');
    const st = new StateStore(state);
    const now = Date.now();
    st.commit([], [
      { ip: '203.0.113.0/24', reason: 'subnet', created: now, expires: now + 600_000, origin: 'local', offence: 1, members: oneNet },
      { ip: '198.51.100.7', reason: 'swarm', created: now, expires: now + 600_000, origin: 'local', offence: 1 },
    ], undefined);
    st.close();
    const common = ['--state', state, '--backend', 'log-only'];
    const status = await runCli(['guard', 'status', ...common]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /^Active bans: 2 \(1 of whole networks: 203\.0\.113\.0\/24\)$/m);
    const bans = await runCli(['guard', 'bans', ...common]);
    assert.match(bans.stdout, /^203\.0\.113\.0\/24 +subnet +\d+ s left {2}local {2}\(NOT in firewall\) {2}\(network; from 8 addresses: 203\.0\.113\.10, 203\.0\.113\.11, 203\.0\.113\.12, 203\.0\.113\.13, 203\.0\.113\.14, …\)$/m);
    const j = JSON.parse((await runCli(['guard', 'bans', ...common, '-f', 'json'])).stdout) as { bans: { ip: string; members?: string[] }[] };
    assert.deepEqual(j.bans.find((b) => b.ip === '203.0.113.0/24')!.members, oneNet);
    // Any address of the network with its prefix length names it; the dry run changes nothing.
    const dry = await runCli(['guard', 'unban', '203.0.113.77/24', '--dry-run', ...common]);
    assert.match(dry.stdout, /^203\.0\.113\.0\/24: banned in the state until \S+: would be unbanned; not in the firewall$/m);
    const un = await runCli(['guard', 'unban', '203.0.113.0/24', ...common]);
    assert.equal(un.stdout, '203.0.113.0/24: unbanned\n');
    assert.match((await runCli(['guard', 'status', ...common])).stdout, /^Active bans: 1$/m);
    const bad = await runCli(['guard', 'unban', '203.0.113.0/33', ...common]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /not an IP address or network \(CIDR\): 203\.0\.113\.0\/33/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
