/**
 * Cluster-wide bans through a real redis-server on a random loopback port: a
 * ban decided by one guard appears on the other (same expiry), a guard started
 * later catches up, and an address allowlisted on a node is not banned there;
 * network bans (CIDR keys) too, refused by a node whose allowlist they overlap.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { parseConfig } from '../src/guard/config.js';
import { GuardDaemon, type LogFn } from '../src/guard/daemon.js';
import { freePort, waitForPort } from './helpers/ports.js';
import { needCommands, until } from './helpers/guard.js';

const skip = needCommands('redis-server');

function failures(ip: string, n: number): string {
  const t = Math.floor(Date.now() / 1000);
  let s = '';
  for (let i = 0; i < n; i++) s += `${t}: New connection from ${ip}:${40000 + i} on port 1883.\n${t}: Client <unknown> disconnected, not authorised.\n`;
  return s;
}

test('a ban on one guard appears on the other through Redis; a late node catches up; local allowlists win', { skip, timeout: 60_000 }, async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mw-guard-redis-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const daemons: GuardDaemon[] = [];
  const logs: Record<string, Record<string, unknown>[]> = { a: [], b: [], c: [] };
  const logger = (name: string): LogFn => (level, msg, fields = {}) => void logs[name]!.push({ level, msg, ...fields });
  const make = (name: string, allow: string[] = []) => {
    const file = path.join(dir, `${name}.log`);
    writeFileSync(file, '');
    const cfg = parseConfig(JSON.stringify({
      sources: [{ type: 'file', path: file }],
      detect: { auth: { maxretry: 3, findtime: 60 } },
      ban: { backend: 'log-only', bantime: 120, allow },
      state: path.join(dir, `${name}.db`),
      redis: { url: `redis://127.0.0.1:${port}`, prefix: `mwtest${process.pid}` },
      pollMs: 50,
      startAt: 'start',
    }), `${name}.json`);
    const d = new GuardDaemon(cfg, { dryRun: false, log: logger(name) });
    daemons.push(d);
    return { d, file };
  };
  try {
    await waitForPort('127.0.0.1', port, 10_000);
    const a = make('a');
    const b = make('b', ['198.51.100.9']);
    await a.d.start();
    await b.d.start();

    appendFileSync(a.file, failures('198.51.100.7', 3));
    assert.ok(await until(() => Boolean(b.d.state.ban('198.51.100.7')), 10_000), `B never saw the ban\n${JSON.stringify(logs, null, 1)}`);
    const onA = a.d.state.ban('198.51.100.7')!;
    const onB = b.d.state.ban('198.51.100.7')!;
    assert.equal(onA.origin, 'local');
    assert.match(onB.origin, /^cluster:/);
    assert.equal(onB.expires, onA.expires, 'same expiry on both nodes');
    await b.d.settled();
    assert.ok((await b.d.backend.list()).some((x) => x.ip === '198.51.100.7'), 'applied to B\'s backend');
    assert.equal(b.d.state.previousBans('198.51.100.7'), 0, 'a ban from another node is not an offence here');

    const r = new Redis(`redis://127.0.0.1:${port}`);
    try {
      const ttl = await r.pttl(`mwtest${process.pid}:ban:198.51.100.7`);
      assert.ok(ttl > 100_000 && ttl <= 120_000, `Redis key expires with the ban (pttl ${ttl})`);
    } finally {
      r.disconnect();
    }

    // B allowlists .9: A's ban of it is not applied on B.
    appendFileSync(a.file, failures('198.51.100.9', 3));
    assert.ok(await until(() => Boolean(a.d.state.ban('198.51.100.9')), 10_000));
    assert.ok(await until(() => logs.b!.some((l) => l.ip === '198.51.100.9' && String(l.msg).includes('allowlisted')), 5000));
    assert.equal(b.d.state.ban('198.51.100.9'), undefined);

    // Network bans (detect.subnet: 8 addresses of a /24, 2 failures each) travel as CIDR keys; B refuses the
    // one whose network holds an address it allowlists.
    const spread = (net: string) => [0, 1].map(() => Array.from({ length: 8 }, (_, i) => failures(`${net}.${10 + i}`, 1)).join('')).join('');
    appendFileSync(a.file, spread('203.0.113') + spread('198.51.100'));
    assert.ok(await until(() => Boolean(b.d.state.ban('203.0.113.0/24')), 10_000), `B never saw the network ban\n${JSON.stringify(logs.a, null, 1)}`);
    assert.equal(b.d.state.ban('203.0.113.0/24')!.expires, a.d.state.ban('203.0.113.0/24')!.expires);
    await b.d.settled();
    assert.ok((await b.d.backend.list()).some((x) => x.ip === '203.0.113.0/24'), 'applied to B\'s backend as a network');
    assert.ok(b.d.detector.isBanned('203.0.113.99', Date.now()), 'B counts nothing more from inside the network');
    assert.ok(await until(() => Boolean(a.d.state.ban('198.51.100.0/24')), 10_000), 'A banned the second network');
    assert.ok(await until(() => logs.b!.some((l) => l.ip === '198.51.100.0/24' && String(l.msg).includes('network overlaps the allowlist here (198.51.100.9/32)')), 5000), JSON.stringify(logs.b, null, 1));
    assert.equal(b.d.state.ban('198.51.100.0/24'), undefined);

    // A node that was down catches up on start.
    const c = make('c');
    await c.d.start();
    assert.equal(c.d.state.ban('198.51.100.7')?.expires, onA.expires);
    assert.ok(c.d.state.ban('198.51.100.9'));
    await c.d.settled();
    assert.deepEqual((await c.d.backend.list()).map((x) => x.ip).sort(), ['198.51.100.0/24', '198.51.100.7', '198.51.100.9', '203.0.113.0/24']);
  } finally {
    for (const d of daemons) await d.stop().catch(() => undefined);
    redis.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
