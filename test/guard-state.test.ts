/**
 * The guard's SQLite state stores failures as runs (one row per address, kind,
 * source and commit). What a restart replays into the detector must be exactly
 * what one row per failure (schema version 1) gave: the same failures, times
 * and order; a state file of version 1 is migrated on open and keeps working.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { StateStore, STATE_SCHEMA, type FailureRow } from '../src/guard/state.js';
import { GuardDaemon } from '../src/guard/daemon.js';
import { defaultGuardConfig } from '../src/guard/defaults.js';
import { until } from './helpers/guard.js';

/** The schema of version 1 (one row per failure), as mqtt-warden created it before runs. */
const V1 = `
  CREATE TABLE bans (ip TEXT PRIMARY KEY, reason TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL, origin TEXT NOT NULL, offence INTEGER NOT NULL);
  CREATE TABLE offences (ip TEXT PRIMARY KEY, bans INTEGER NOT NULL, last INTEGER NOT NULL);
  CREATE TABLE failures (id INTEGER PRIMARY KEY, ip TEXT, kind TEXT NOT NULL, time INTEGER NOT NULL, source TEXT NOT NULL);
  CREATE INDEX failures_time ON failures(time);
  CREATE INDEX failures_ip ON failures(ip);
  CREATE TABLE positions (source TEXT PRIMARY KEY, inode TEXT NOT NULL, offset INTEGER NOT NULL, head TEXT NOT NULL, context TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL);
`;

/** Deterministic failures: few addresses (and none), two kinds, two sources, times that sometimes go back. */
function generate(count: number, t0: number): FailureRow[] {
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
  const out: FailureRow[] = [];
  let t = t0;
  for (let i = 0; i < count; i++) {
    t += Math.floor(rnd() * 400) - 50;
    const a = Math.floor(rnd() * 12);
    out.push({ ip: a === 11 ? null : a === 10 ? '2001:db8::7' : `198.51.100.${a}`, kind: rnd() < 0.8 ? 'auth-failure' : 'protocol-error', time: t + (rnd() < 0.1 ? 0.5 : 0), source: rnd() < 0.7 ? 'file:/a.log' : 'journald:mosquitto' });
  }
  return out;
}

/** What version 1 returned: failures with an address at or after `since`, in insertion order. */
const replayOf = (rows: FailureRow[], since: number) => rows.filter((f) => f.ip !== null && f.time >= since).map((f) => ({ ip: f.ip, kind: f.kind, time: f.time }));

function totals(rows: FailureRow[]): Map<string | null, number> {
  const m = new Map<string | null, number>();
  for (const f of rows) if (f.kind === 'auth-failure') m.set(f.ip, (m.get(f.ip) ?? 0) + 1);
  return m;
}

test('failure runs: the replay gives every failure, its time and the commit order of one row per failure; totals per address too', () => {
  const st = new StateStore(':memory:');
  try {
    const t0 = 1_760_000_000_000;
    const all = generate(3000, t0);
    // commits of 1, 2, … 120 failures, as the daemon makes them (one per read slice)
    for (let i = 0, size = 1; i < all.length; i += size, size = (size % 120) + 1) st.commit(all.slice(i, i + size), [], undefined);
    const times = all.map((f) => f.time).sort((a, b) => a - b);
    for (const since of [times[0]!, times[1000]!, times[2999]!, times[2999]! + 1]) assert.deepEqual(st.recentFailures(since), replayOf(all, since), `since ${since}`);
    const expected = totals(all);
    assert.equal(st.failureTotal(), [...expected.values()].reduce((a, b) => a + b, 0));
    assert.deepEqual(new Map(st.failureCounts(100).map((r) => [r.ip, r.n])), expected);
    // pruning keeps whatever the replay needs
    st.prune(t0, times[1500]!, 0);
    assert.deepEqual(st.recentFailures(times[1500]!), replayOf(all, times[1500]!));
  } finally {
    st.close();
  }
});

test('state of schema version 1 (one row per failure) is migrated on open: same replay, totals, bans, offences and positions; newer versions are refused', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-state-'));
  try {
    const file = path.join(dir, 'guard.db');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    old.exec(V1);
    const t0 = Date.now() - 60_000;
    const before = generate(500, t0);
    const ins = old.prepare('INSERT INTO failures (ip, kind, time, source) VALUES (?, ?, ?, ?)');
    old.transaction(() => {
      for (const f of before) ins.run(f.ip, f.kind, f.time, f.source);
    })();
    old.prepare('INSERT INTO bans VALUES (?, ?, ?, ?, ?, ?)').run('198.51.100.3', 'auth', t0, Date.now() + 600_000, 'local', 1);
    old.prepare('INSERT INTO offences VALUES (?, ?, ?)').run('198.51.100.3', 1, t0);
    old.prepare("INSERT INTO positions VALUES ('file:/a.log', '42', 1234, 'abc', '', ?)").run(t0);
    const since = before[250]!.time;
    const v1Replay = old.prepare('SELECT ip, kind, time FROM failures WHERE time >= ? AND ip IS NOT NULL ORDER BY id').all(since);
    old.close();
    assert.deepEqual(v1Replay, replayOf(before, since), 'the reference query of version 1');

    let st = new StateStore(file);
    assert.deepEqual(st.recentFailures(since), v1Replay);
    assert.equal(st.failureTotal(), [...totals(before).values()].reduce((a, b) => a + b, 0));
    assert.equal(st.previousBans('198.51.100.3'), 1);
    assert.equal(st.activeBans().map((b) => b.ip).join(), '198.51.100.3');
    assert.equal(st.position('file:/a.log')?.offset, 1234);
    // failures committed after the migration come after the migrated ones
    const after = generate(300, before.at(-1)!.time + 1000).map((f) => ({ ...f, time: f.time + 1000 }));
    st.commit(after.slice(0, 200), [], undefined);
    st.commit(after.slice(200), [], undefined);
    st.close();
    st = new StateStore(file); // opening again changes nothing
    assert.deepEqual(st.recentFailures(since), replayOf([...before, ...after], since));
    st.close();
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), STATE_SCHEMA);
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'failures%'").all(), [], 'the version 1 table and its indexes are gone');
    db.close();

    const newer = path.join(dir, 'newer.db');
    const n = new Database(newer);
    n.pragma(`user_version = ${STATE_SCHEMA + 1}`);
    n.close();
    assert.throws(() => new StateStore(newer), new RegExp(`newer\\.db: guard state schema version ${STATE_SCHEMA + 1} is newer than this mqtt-warden reads \\(${STATE_SCHEMA}\\)`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

/** Two-line failures (Mosquitto 2.0.0–2.0.12) of `ip`, `n` times, now. */
function failures(ip: string, n: number): string {
  const t = Math.floor(Date.now() / 1000);
  let s = '';
  for (let i = 0; i < n; i++) s += `${t}: New connection from ${ip}:${20000 + i} on port 1883.\n${t}: Client <unknown> disconnected, not authorised.\n`;
  return s;
}

/** Daemons a failed assertion left running (stopped at the end of the test). */
const running = new Set<GuardDaemon>();

/** A daemon on `log` with maxretry 3 (log-only backend); `bans` collects its ban decisions. */
async function daemon(log: string, state: string, startAt: 'start' | 'end') {
  const cfg = defaultGuardConfig();
  cfg.sources = [{ type: 'file', path: log, format: 'mosquitto' }];
  cfg.state = state;
  cfg.startAt = startAt;
  cfg.pollMs = 50;
  cfg.detect.auth = { maxretry: 3, findtime: 600 };
  cfg.ban.backend = 'log-only';
  cfg.ban.allowDefaults = false;
  const bans: { ip: string; offence: number; events: number }[] = [];
  const d = new GuardDaemon(cfg, { dryRun: false, log: (_l, msg, f) => void (msg === 'ban' && bans.push({ ip: f!.ip as string, offence: f!.offence as number, events: f!.events as number })) });
  await d.start();
  running.add(d);
  const stop = async () => {
    running.delete(d);
    await d.stop();
  };
  const caughtUp = () => until(() => (d.state.position(`file:${log}`)?.offset ?? -1) === statSync(log).size, 10_000, 10);
  return { stop, bans, caughtUp };
}

test('restart: failures persisted as runs (and failures migrated from version 1) count towards the next ban; banned addresses are not banned again', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-state-'));
  try {
    const log = path.join(dir, 'mosquitto.log');
    const state = path.join(dir, 'guard.db');
    writeFileSync(log, `1700000000: mosquitto version 2.0.11 running\n${failures('198.51.100.1', 2)}${failures('198.51.100.2', 3)}${failures('198.51.100.3', 1)}`);
    let g = await daemon(log, state, 'start');
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [{ ip: '198.51.100.2', offence: 1, events: 3 }]);
    await g.stop();
    const db = new Database(state, { readonly: true });
    const runs = db.prepare('SELECT ip, n FROM failure_runs ORDER BY ip').all();
    db.close();
    assert.deepEqual(runs, [{ ip: '198.51.100.1', n: 2 }, { ip: '198.51.100.2', n: 3 }, { ip: '198.51.100.3', n: 1 }], 'one run per address in the single commit');

    g = await daemon(log, state, 'start');
    appendFileSync(log, failures('198.51.100.1', 1) + failures('198.51.100.2', 1) + failures('198.51.100.3', 1));
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [{ ip: '198.51.100.1', offence: 1, events: 3 }], '.1 reaches 3 with its 2 stored failures; .2 is still banned; .3 has 2');
    await g.stop();

    // A state file of version 1 with two failures of .9 and one of .8 (no position: the log is read from its end).
    const old = path.join(dir, 'v1.db');
    const v1 = new Database(old);
    v1.exec(V1);
    const now = Date.now();
    for (const ip of ['198.51.100.9', '198.51.100.8', '198.51.100.9']) v1.prepare('INSERT INTO failures (ip, kind, time, source) VALUES (?, ?, ?, ?)').run(ip, 'auth-failure', now - 5000, `file:${log}`);
    v1.close();
    g = await daemon(log, old, 'end');
    assert.ok(await g.caughtUp(), 'at the end of the log');
    appendFileSync(log, failures('198.51.100.9', 1) + failures('198.51.100.8', 1));
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [{ ip: '198.51.100.9', offence: 1, events: 3 }]);
    await g.stop();
  } finally {
    for (const d of running) await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** The schema of version 2 (failure runs; bans without members), as mqtt-warden created it before network bans. */
const V2 = `
  CREATE TABLE bans (ip TEXT PRIMARY KEY, reason TEXT NOT NULL, created INTEGER NOT NULL, expires INTEGER NOT NULL, origin TEXT NOT NULL, offence INTEGER NOT NULL);
  CREATE TABLE offences (ip TEXT PRIMARY KEY, bans INTEGER NOT NULL, last INTEGER NOT NULL);
  CREATE TABLE failure_runs (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, seq INTEGER NOT NULL, ip TEXT, kind TEXT NOT NULL,
    source TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, times BLOB, seqs BLOB);
  CREATE INDEX failure_runs_last ON failure_runs(last);
  CREATE TABLE positions (source TEXT PRIMARY KEY, inode TEXT NOT NULL, offset INTEGER NOT NULL, head TEXT NOT NULL, context TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL);
  PRAGMA user_version = 2;
`;

test('state of schema version 2 is migrated to 3 on open (bans get their members column, nothing lost); network bans and their members are stored; version 4 is refused', () => {
  assert.equal(STATE_SCHEMA, 3);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-state-'));
  try {
    const file = path.join(dir, 'guard.db');
    const old = new Database(file);
    old.exec(V2);
    const now = Date.now();
    old.prepare('INSERT INTO bans VALUES (?, ?, ?, ?, ?, ?)').run('198.51.100.3', 'auth', now, now + 600_000, 'local', 2);
    old.prepare('INSERT INTO offences VALUES (?, ?, ?)').run('198.51.100.3', 2, now);
    old.prepare('INSERT INTO failure_runs (batch, seq, ip, kind, source, n, first, last) VALUES (1, 0, ?, ?, ?, 1, ?, ?)').run('198.51.100.4', 'auth-failure', 'file:/a.log', now - 1000, now - 1000);
    old.close();

    let st = new StateStore(file);
    assert.deepEqual(st.activeBans(now), [{ ip: '198.51.100.3', reason: 'auth', created: now, expires: now + 600_000, origin: 'local', offence: 2 }]);
    assert.equal(st.previousBans('198.51.100.3'), 2);
    assert.deepEqual(st.recentFailures(now - 5000), [{ ip: '198.51.100.4', kind: 'auth-failure', time: now - 1000 }]);
    const members = ['203.0.113.10', '203.0.113.11'];
    st.commit([], [{ ip: '203.0.113.0/24', reason: 'subnet', created: now, expires: now + 1_200_000, origin: 'local', offence: 1, members }], undefined);
    st.recordBan({ ip: '2001:db8:1:2::/64', reason: 'subnet', created: now, expires: now + 900_000, origin: 'cluster:b', offence: 1 });
    st.close();
    st = new StateStore(file); // again: nothing to migrate
    assert.deepEqual(st.ban('203.0.113.0/24')?.members, members);
    assert.equal(st.ban('2001:db8:1:2::/64')?.members, undefined);
    assert.equal(st.previousBans('203.0.113.0/24'), 1, 'a local network ban is an offence of the network');
    assert.deepEqual(st.activeBans(now).map((b) => b.ip), ['198.51.100.3', '2001:db8:1:2::/64', '203.0.113.0/24']);
    st.close();
    const db = new Database(file, { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    db.close();

    const newer = path.join(dir, 'v4.db');
    const n = new Database(newer);
    n.exec(V2);
    n.pragma('user_version = 4');
    n.close();
    assert.throws(() => new StateStore(newer), /v4\.db: guard state schema version 4 is newer than this mqtt-warden reads \(3\); use the mqtt-warden that wrote it/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restart: a network ban (subnet rule) survives it: restored, addresses inside it not counted again; stored failures it answered do not count towards the network again', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-state-'));
  try {
    const log = path.join(dir, 'mosquitto.log');
    const state = path.join(dir, 'guard.db');
    const net = Array.from({ length: 6 }, (_, i) => `203.0.113.${10 + i}`);
    // 6 addresses × 2 failures: 12 in the /24, each address below auth (3 in this daemon); the network is banned at the 10th.
    writeFileSync(log, `1700000000: mosquitto version 2.0.11 running\n${net.map((ip) => failures(ip, 2)).join('')}`);
    let g = await daemon(log, state, 'start');
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [{ ip: '203.0.113.0/24', offence: 1, events: 10 }]);
    await g.stop();
    let st = new StateStore(state);
    const ban = st.ban('203.0.113.0/24')!;
    assert.equal(ban.reason, 'subnet');
    assert.deepEqual([...ban.members!].sort(), net.slice(0, 5).sort(), 'the addresses of the 10 failures');
    st.close();

    g = await daemon(log, state, 'start');
    assert.ok(await g.caughtUp());
    const d = [...running][0]!;
    assert.ok(d.detector.isBanned('203.0.113.200', Date.now()), 'restored: an address inside the network is banned');
    appendFileSync(log, net.map((ip) => failures(ip, 3)).join(''));
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [], 'failures from inside the banned network are not counted again');
    await g.stop();

    // The network ban lifted (unban): the 12 stored failures answered by it do not count again (they are not after its offence time).
    st = new StateStore(state);
    st.deleteBan('203.0.113.0/24');
    st.close();
    g = await daemon(log, state, 'end');
    assert.ok(await g.caughtUp());
    appendFileSync(log, ['203.0.113.50', '203.0.113.51', '203.0.113.52'].map((ip) => failures(ip, 2)).join('') + failures('203.0.113.53', 1));
    // 7 new failures from 4 new addresses: below 10, no ban.
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, []);
    appendFileSync(log, failures('203.0.113.53', 1) + failures('203.0.113.54', 2));
    assert.ok(await g.caughtUp());
    assert.deepEqual(g.bans, [{ ip: '203.0.113.0/24', offence: 2, events: 10 }], 'the 10th new failure; the second offence of the network');
    await g.stop();
  } finally {
    for (const d of running) await d.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
