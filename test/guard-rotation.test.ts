/**
 * Rotation and restart: the guard CLI follows a log (Mosquitto 2.0.11 two-line
 * failures, written by the test so every line is known) while it is rotated by
 * rename and by copytruncate mid-attack, and the daemon is killed with SIGKILL
 * mid-stream. Afterwards the state must hold every failure exactly once, each
 * address that reached maxretry must be banned exactly once, and the bans must
 * be in nftables (re-applied from SQLite after the set was flushed).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync, mkdtempSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLab, netnsUnavailable } from './helpers/netns.js';
import { CLI, guardLog, needCommands, requireBuild, uniqueTable, until } from './helpers/guard.js';

const skip = (await netnsUnavailable()) ?? needCommands('nft');

let port = 10_000;
/** Two-line failures (Mosquitto 2.0.0–2.0.12 format) for `ip`, `n` times. */
function failures(ip: string, n: number): string {
  const t = Math.floor(Date.now() / 1000);
  let s = '';
  for (let i = 0; i < n; i++) s += `${t}: New connection from ${ip}:${port++ % 60000 + 1024} on port 8883.\n${t}: Client <unknown> disconnected, not authorised.\n`;
  return s;
}

test('rename and copytruncate rotation mid-attack, SIGKILL mid-stream: no failure lost or counted twice, bans survive', { skip, timeout: 150_000 }, async () => {
  requireBuild();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-rot-'));
  const lab = await createLab(['node']);
  const table = uniqueTable();
  const expected = new Map<string, number>();
  const write = (file: string, ip: string, n: number) => {
    appendFileSync(file, failures(ip, n));
    expected.set(ip, (expected.get(ip) ?? 0) + n);
  };
  const total = () => [...expected.values()].reduce((a, b) => a + b, 0);
  const log = path.join(dir, 'mosquitto.log');
  const state = path.join(dir, 'guard.db');
  const config = path.join(dir, 'guard.yaml');
  writeFileSync(config, [
    'sources:', `  - { type: file, path: ${log} }`,
    // Per-address rules only: this test counts each address's failures exactly, and its 20 addresses per /24
    // would otherwise get their network banned (detect.subnet), after which the parser leaves them unattributed.
    'detect:', '  auth: { maxretry: 3, findtime: 600 }', '  flood: null', '  subnet: null', '  swarm: null',
    'ban:', '  bantime: 300', `  table: ${table}`,
    `state: ${state}`, 'pollMs: 50', 'startAt: start', '',
  ].join('\n'));
  const counted = (): number => {
    try {
      const db = new Database(state, { readonly: true, fileMustExist: true });
      try {
        return (db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM failure_runs`).get() as { n: number }).n;
      } finally {
        db.close();
      }
    } catch {
      return -1;
    }
  };
  const start = async () => {
    const child = lab.spawn('node', process.execPath, [CLI, 'guard', '--config', config]);
    const glog = guardLog(child);
    await glog.waitFor((r) => r.msg === 'guard started', 15_000, 'start');
    return { child, glog };
  };
  try {
    writeFileSync(log, '1700000000: mosquitto version 2.0.11 running\n');
    let g = await start();

    // A: 10 addresses × 3 (banned), 10 × 2.
    for (let i = 0; i < 20; i++) write(log, `198.18.1.${i}`, i < 10 ? 3 : 2);
    assert.ok(await until(() => counted() === total(), 10_000), `A: ${counted()} of ${total()}\n${g.glog.text()}`);

    // Rename rotation: half of B goes to the file, it is renamed, the broker still appends to the
    // renamed file (before its HUP), then the new file gets C.
    for (let i = 0; i < 10; i++) write(log, `198.18.2.${i}`, 2);
    renameSync(log, `${log}.1`);
    for (let i = 10; i < 20; i++) write(`${log}.1`, `198.18.2.${i}`, 3);
    writeFileSync(log, '');
    for (let i = 0; i < 20; i++) write(log, `198.18.3.${i}`, i % 2 ? 3 : 1);
    assert.ok(await until(() => counted() === total(), 10_000), `rename: ${counted()} of ${total()}\n${g.glog.text()}`);

    // copytruncate without giving the guard time to read D first: D must be read from the copy.
    // logrotate shifts the old copies first (log.1 → log.2), then copies to a NEW log.1 and truncates.
    for (let i = 0; i < 20; i++) write(log, `198.18.4.${i}`, 3);
    renameSync(`${log}.1`, `${log}.2`);
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    for (let i = 0; i < 20; i++) write(log, `198.18.5.${i}`, 2);
    assert.ok(await until(() => counted() === total(), 10_000), `copytruncate: ${counted()} of ${total()}\n${g.glog.text()}`);
    // (the state can be ahead of the daemon's stderr: wait for the log records)
    await g.glog.waitFor((r) => r.msg === 'log rotated' && r.kind === 'rename', 5000, 'rename rotation logged');
    await g.glog.waitFor((r) => r.msg === 'log rotated' && r.kind === 'copytruncate', 5000, 'copytruncate logged');

    // SIGKILL mid-stream: a large burst (≈ 16 MB) is being read when the daemon dies.
    const preBurst = total();
    let burst = '';
    const burstIps: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      const ip = `198.19.${i >> 8}.${i & 255}`;
      burstIps.push(ip);
      const n = i % 100 === 0 ? 3 : 2;
      burst += failures(ip, n);
      expected.set(ip, n);
    }
    appendFileSync(log, burst);
    await until(() => counted() > preBurst, 5000, 5);
    g.child.kill('SIGKILL');
    await new Promise((r) => g.child.once('close', r));
    const atKill = counted();
    console.log(`# SIGKILL with ${atKill} of ${total()} failures committed`);
    // The kernel keeps the bans while the daemon is dead; then simulate a reboot: empty the set.
    const listed = (await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, 'ipv4_addr'])).stdout;
    assert.match(listed, /198\.18\.1\.0/);
    await lab.exec('node', 'nft', ['flush', 'set', 'inet', table, 'ipv4_addr']);
    for (let i = 0; i < 10; i++) write(log, `198.18.6.${i}`, 3);

    g = await start();
    assert.ok(await g.glog.waitFor((r) => r.msg === 'bans restored', 5000, 'bans restored'));
    assert.ok(await until(() => counted() === total(), 30_000), `after restart: ${counted()} of ${total()}\n${g.glog.text()}`);
    g.child.kill('SIGTERM');
    const [code, signal] = await new Promise<[number | null, string | null]>((r) => g.child.once('close', (c, s) => r([c, s])));
    assert.equal(code, 0, `guard did not stop cleanly (signal ${signal})\n${g.glog.text().slice(-3000)}`);

    const db = new Database(state, { readonly: true });
    try {
      const rows = db.prepare(`SELECT ip, SUM(n) AS n FROM failure_runs GROUP BY ip`).all() as { ip: string; n: number }[];
      const got = new Map(rows.map((r) => [r.ip, r.n]));
      const wrong = [...expected].filter(([ip, n]) => got.get(ip) !== n).map(([ip, n]) => `${ip}: expected ${n}, got ${got.get(ip)}`);
      const extra = rows.filter((r) => !expected.has(r.ip)).map((r) => `${r.ip}: ${r.n} unexpected`);
      assert.deepEqual([...wrong, ...extra], [], 'per-address failure counts differ');
      assert.equal(got.size, expected.size);
      const shouldBan = [...expected].filter(([, n]) => n >= 3).map(([ip]) => ip).sort();
      const offences = db.prepare(`SELECT ip, bans FROM offences`).all() as { ip: string; bans: number }[];
      assert.deepEqual(offences.map((o) => o.ip).sort(), shouldBan, 'exactly the addresses with ≥ 3 failures were banned');
      assert.ok(offences.every((o) => o.bans === 1), 'nobody was banned twice (no double counting after the restart)');
      const active = db.prepare(`SELECT ip FROM bans WHERE expires > ?`).all(Date.now()) as { ip: string }[];
      assert.equal(active.length, shouldBan.length);
    } finally {
      db.close();
    }
    const set = JSON.parse((await lab.exec('node', 'nft', ['-j', 'list', 'set', 'inet', table, 'ipv4_addr'])).stdout) as { nftables: { set?: { elem?: { elem: { val: string } }[] } }[] };
    const inSet = new Set(set.nftables.flatMap((x) => x.set?.elem ?? []).map((e) => e.elem.val));
    for (const ip of ['198.18.1.0', '198.18.2.15', '198.18.4.7', '198.19.0.0', '198.18.6.9']) assert.ok(inSet.has(ip), `${ip} not in nftables after restart\n${g.glog.text().slice(-5000)}`);
    assert.equal(burstIps.length, 40_000);
  } finally {
    await lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
});
