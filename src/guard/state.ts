/**
 * The guard's persistent state in SQLite (WAL): bans, the offence history that
 * makes ban times grow, recent failures (so a restart neither forgets nor
 * double-counts them) and the read position of every source.
 *
 * The daemon commits the failures and bans found in one chunk of log together
 * with the source's new position in ONE transaction: after a kill -9 it resumes
 * exactly behind the last committed chunk, so a line is never counted twice
 * and never lost.
 *
 * Failures are stored as runs (schema version 2): one row per (address, kind,
 * source) and commit with the count, the first and last time and, for more
 * than one failure, every time and its place in the commit (`times`: float64
 * LE, `seqs`: uint32 LE). A restart therefore replays exactly the failures, in
 * exactly the order, that one row per failure gave (schema version 1, table
 * `failures`, migrated on open), at a fraction of the rows and without the
 * per-address index, which cost about half of the daemon's time while
 * catching up with a large log.
 *
 * Schema version 3: a ban's `ip` is an address or a network in CIDR notation
 * (the subnet rule), and `members` (JSON array, or NULL) names the addresses
 * whose failures led to a network ban. A version 2 file gets the column on
 * open; mqtt-warden before version 3 refuses a version 3 file (it would try to
 * put a network into an address set), which is why the version changed.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventKind } from './events.js';

export interface BanRow {
  /** An address, or a network in CIDR notation (`10.1.2.0/24`). */
  ip: string;
  reason: string;
  created: number;
  expires: number;
  origin: string;
  offence: number;
  /** For a network ban: the addresses whose failures led to it. */
  members?: string[];
}

interface StoredBan extends Omit<BanRow, 'members'> {
  members: string | null;
}

function fromStored(r: StoredBan): BanRow {
  const { members, ...rest } = r;
  return members ? { ...rest, members: JSON.parse(members) as string[] } : rest;
}

export interface Position {
  source: string;
  inode: string;
  offset: number;
  head: string;
  /** Parser correlation state at this position (LineParser.snapshot). */
  context?: string;
}

export interface FailureRow {
  ip: string | null;
  kind: EventKind;
  time: number;
  source: string;
}

/** The schema this code reads and writes (`PRAGMA user_version`; 0 = version 1, before it was set). */
export const STATE_SCHEMA = 3;

interface RunRow {
  batch: number;
  seq: number;
  ip: string;
  kind: EventKind;
  n: number;
  first: number;
  times: Buffer | null;
  seqs: Buffer | null;
}

/** The failures of one (address, kind, source) in one commit: the first, and all of them once there are more. */
interface Run {
  ip: string | null;
  kind: EventKind;
  source: string;
  time: number;
  seq: number;
  times: number[] | null;
  seqs: number[] | null;
}

export class StateStore {
  private readonly db: Database.Database;
  private readonly stmts;
  /** Commit number of the failure runs (their order on replay). */
  private batch: number;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bans (ip TEXT PRIMARY KEY, reason TEXT NOT NULL, created INTEGER NOT NULL,
        expires INTEGER NOT NULL, origin TEXT NOT NULL, offence INTEGER NOT NULL, members TEXT);
      CREATE TABLE IF NOT EXISTS offences (ip TEXT PRIMARY KEY, bans INTEGER NOT NULL, last INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS failure_runs (id INTEGER PRIMARY KEY, batch INTEGER NOT NULL, seq INTEGER NOT NULL, ip TEXT, kind TEXT NOT NULL,
        source TEXT NOT NULL, n INTEGER NOT NULL, first INTEGER NOT NULL, last INTEGER NOT NULL, times BLOB, seqs BLOB);
      CREATE INDEX IF NOT EXISTS failure_runs_last ON failure_runs(last);
      CREATE TABLE IF NOT EXISTS positions (source TEXT PRIMARY KEY, inode TEXT NOT NULL, offset INTEGER NOT NULL, head TEXT NOT NULL, context TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL);
    `);
    this.migrate(file);
    this.batch = (this.db.prepare(`SELECT MAX(batch) AS b FROM failure_runs`).get() as { b: number | null }).b ?? 0;
    this.stmts = {
      upsertBan: this.db.prepare(`INSERT INTO bans (ip, reason, created, expires, origin, offence, members) VALUES (@ip, @reason, @created, @expires, @origin, @offence, @members)
        ON CONFLICT(ip) DO UPDATE SET reason = excluded.reason, created = excluded.created, expires = MAX(bans.expires, excluded.expires), origin = excluded.origin,
          offence = MAX(bans.offence, excluded.offence), members = COALESCE(excluded.members, bans.members)`),
      offence: this.db.prepare(`INSERT INTO offences (ip, bans, last) VALUES (?, 1, ?) ON CONFLICT(ip) DO UPDATE SET bans = bans + 1, last = excluded.last`),
      getOffences: this.db.prepare(`SELECT bans, last FROM offences WHERE ip = ?`),
      run: this.db.prepare(`INSERT INTO failure_runs (batch, seq, ip, kind, source, n, first, last, times, seqs) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      single: this.db.prepare(`INSERT INTO failure_runs (batch, seq, ip, kind, source, n, first, last) VALUES (?, ?, ?, ?, ?, 1, ?, ?)`),
      position: this.db.prepare(`INSERT INTO positions (source, inode, offset, head, context, updated) VALUES (@source, @inode, @offset, @head, @context, @updated)
        ON CONFLICT(source) DO UPDATE SET inode = excluded.inode, offset = excluded.offset, head = excluded.head, context = excluded.context, updated = excluded.updated`),
      getPosition: this.db.prepare(`SELECT source, inode, offset, head, context FROM positions WHERE source = ?`),
      positions: this.db.prepare(`SELECT source, inode, offset, updated FROM positions ORDER BY source`),
      activeBans: this.db.prepare(`SELECT * FROM bans WHERE expires > ? ORDER BY expires`),
      getBan: this.db.prepare(`SELECT * FROM bans WHERE ip = ?`),
      deleteBan: this.db.prepare(`DELETE FROM bans WHERE ip = ?`),
      pruneBans: this.db.prepare(`DELETE FROM bans WHERE expires <= ?`),
      pruneFailures: this.db.prepare(`DELETE FROM failure_runs WHERE last < ?`),
      pruneOffences: this.db.prepare(`DELETE FROM offences WHERE last < ?`),
      recentFailures: this.db.prepare(`SELECT batch, seq, ip, kind, n, first, times, seqs FROM failure_runs WHERE last >= ? AND ip IS NOT NULL`),
      failureCounts: this.db.prepare(`SELECT ip, SUM(n) AS n FROM failure_runs WHERE kind = 'auth-failure' GROUP BY ip ORDER BY n DESC LIMIT ?`),
      failureTotal: this.db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM failure_runs WHERE kind = 'auth-failure'`),
    };
  }

  /**
   * Schema version 1 kept one row per failure in `failures` (indexed by time and by address). Each
   * becomes a run of one, its commit number its old row id, so the replay order stays the same.
   */
  private migrate(file: string): void {
    const version = this.db.pragma('user_version', { simple: true }) as number;
    if (version > STATE_SCHEMA) {
      this.db.close();
      throw new Error(`${file}: guard state schema version ${version} is newer than this mqtt-warden reads (${STATE_SCHEMA}); use the mqtt-warden that wrote it`);
    }
    const old = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'failures'`).get();
    const hasMembers = (this.db.prepare(`PRAGMA table_info(bans)`).all() as { name: string }[]).some((c) => c.name === 'members');
    this.db.transaction(() => {
      if (old) {
        this.db.exec(`INSERT INTO failure_runs (batch, seq, ip, kind, source, n, first, last) SELECT id, 0, ip, kind, source, 1, time, time FROM failures ORDER BY id;
          DROP TABLE failures;`);
      }
      // Version 2 → 3: network bans name their addresses.
      if (!hasMembers) this.db.exec(`ALTER TABLE bans ADD COLUMN members TEXT`);
      if (version !== STATE_SCHEMA) this.db.pragma(`user_version = ${STATE_SCHEMA}`);
    })();
  }

  /** One atomic step: failures, new bans (with their offence count) and the position behind them. */
  commit(failures: FailureRow[], bans: BanRow[], position: Position | undefined): void {
    const runs = failures.length ? groupRuns(failures) : [];
    this.db.transaction(() => {
      if (runs.length) {
        const batch = ++this.batch;
        for (const r of runs) {
          if (!r.times || !r.seqs) {
            this.stmts.single.run(batch, r.seq, r.ip, r.kind, r.source, r.time, r.time);
            continue;
          }
          const n = r.times.length;
          let first = r.time;
          let last = first;
          for (let i = 1; i < n; i++) {
            const t = r.times[i]!;
            if (t < first) first = t;
            else if (t > last) last = t;
          }
          this.stmts.run.run(batch, r.seq, r.ip, r.kind, r.source, n, first, last, float64s(r.times), uint32s(r.seqs));
        }
      }
      for (const b of bans) {
        this.stmts.upsertBan.run(toStored(b));
        if (b.origin === 'local') this.stmts.offence.run(b.ip, b.created);
      }
      if (position) this.stmts.position.run({ context: '', ...position, updated: Date.now() });
    })();
  }

  /** A ban learnt from another node or an operator: no offence counted here. */
  recordBan(b: BanRow): void {
    this.stmts.upsertBan.run(toStored(b));
  }

  previousBans(ip: string): number {
    return (this.stmts.getOffences.get(ip) as { bans: number } | undefined)?.bans ?? 0;
  }

  /** Log time of the last local ban of `ip` (0 if none). */
  lastOffence(ip: string): number {
    return (this.stmts.getOffences.get(ip) as { last: number } | undefined)?.last ?? 0;
  }

  position(source: string): Position | undefined {
    return this.stmts.getPosition.get(source) as Position | undefined;
  }

  positions(): { source: string; inode: string; offset: number; updated: number }[] {
    return this.stmts.positions.all() as { source: string; inode: string; offset: number; updated: number }[];
  }

  activeBans(now = Date.now()): BanRow[] {
    return (this.stmts.activeBans.all(now) as StoredBan[]).map(fromStored);
  }

  /** The ban of exactly this target (address or network), if any. */
  ban(ip: string): BanRow | undefined {
    const r = this.stmts.getBan.get(ip) as StoredBan | undefined;
    return r && fromStored(r);
  }

  deleteBan(ip: string): boolean {
    return this.stmts.deleteBan.run(ip).changes > 0;
  }

  /** Failures with an address at or after `since`, in the order they were committed. */
  recentFailures(since: number): { ip: string; kind: EventKind; time: number }[] {
    const found: { ip: string; kind: EventKind; time: number; batch: number; seq: number }[] = [];
    for (const r of this.stmts.recentFailures.iterate(since) as IterableIterator<RunRow>) {
      if (r.n === 1 || !r.times || !r.seqs) {
        if (r.first >= since) found.push({ ip: r.ip, kind: r.kind, time: r.first, batch: r.batch, seq: r.seq });
        continue;
      }
      for (let i = 0; i < r.n; i++) {
        const time = r.times.readDoubleLE(8 * i);
        if (time >= since) found.push({ ip: r.ip, kind: r.kind, time, batch: r.batch, seq: r.seqs.readUInt32LE(4 * i) });
      }
    }
    found.sort((a, b) => a.batch - b.batch || a.seq - b.seq);
    return found.map(({ ip, kind, time }) => ({ ip, kind, time }));
  }

  failureCounts(limit = 50): { ip: string | null; n: number }[] {
    return this.stmts.failureCounts.all(limit) as { ip: string | null; n: number }[];
  }

  failureTotal(): number {
    return (this.stmts.failureTotal.get() as { n: number }).n;
  }

  /** Drop expired bans, failures older than `failuresBefore`, offences older than `offencesBefore`. Returns the expired bans. */
  prune(now: number, failuresBefore: number, offencesBefore: number): number {
    const n = this.stmts.pruneBans.run(now).changes;
    this.stmts.pruneFailures.run(failuresBefore);
    this.stmts.pruneOffences.run(offencesBefore);
    return n;
  }

  close(): void {
    this.db.close();
  }
}

function toStored(b: BanRow): StoredBan {
  return { ip: b.ip, reason: b.reason, created: b.created, expires: b.expires, origin: b.origin, offence: b.offence, members: b.members?.length ? JSON.stringify(b.members) : null };
}

/** Group one commit's failures by (address, kind, source), in order of first appearance; `seqs` are their places in the commit. */
function groupRuns(failures: FailureRow[]): Run[] {
  const runs: Run[] = [];
  // source → kind → address → run; nested maps, no key string built per failure
  const bySource = new Map<string, Map<EventKind, Map<string | null, Run>>>();
  let lastSource: string | undefined;
  let lastKind: EventKind | undefined;
  let byIp: Map<string | null, Run> | undefined;
  for (let i = 0; i < failures.length; i++) {
    const f = failures[i]!;
    if (f.source !== lastSource || f.kind !== lastKind || !byIp) {
      let byKind = bySource.get(f.source);
      if (!byKind) bySource.set(f.source, (byKind = new Map()));
      byIp = byKind.get(f.kind);
      if (!byIp) byKind.set(f.kind, (byIp = new Map()));
      lastSource = f.source;
      lastKind = f.kind;
    }
    const r = byIp.get(f.ip);
    if (!r) {
      const run: Run = { ip: f.ip, kind: f.kind, source: f.source, time: f.time, seq: i, times: null, seqs: null };
      byIp.set(f.ip, run);
      runs.push(run);
    } else if (!r.times || !r.seqs) {
      r.times = [r.time, f.time];
      r.seqs = [r.seq, i];
    } else {
      r.times.push(f.time);
      r.seqs.push(i);
    }
  }
  return runs;
}

function float64s(xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(8 * xs.length);
  for (let i = 0; i < xs.length; i++) b.writeDoubleLE(xs[i]!, 8 * i);
  return b;
}

function uint32s(xs: number[]): Buffer {
  const b = Buffer.allocUnsafe(4 * xs.length);
  for (let i = 0; i < xs.length; i++) b.writeUInt32LE(xs[i]!, 4 * i);
  return b;
}
