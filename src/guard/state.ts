/**
 * The guard's persistent state in SQLite (WAL): bans, the offence history that
 * makes ban times grow, recent failures (so a restart neither forgets nor
 * double-counts them) and the read position of every source.
 *
 * The daemon commits the failures and bans found in one chunk of log together
 * with the source's new position in ONE transaction: after a kill -9 it resumes
 * exactly behind the last committed chunk, so a line is never counted twice
 * and never lost.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EventKind } from './events.js';

export interface BanRow {
  ip: string;
  reason: string;
  created: number;
  expires: number;
  origin: string;
  offence: number;
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

export class StateStore {
  private readonly db: Database.Database;
  private readonly stmts;

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`
      CREATE TABLE IF NOT EXISTS bans (ip TEXT PRIMARY KEY, reason TEXT NOT NULL, created INTEGER NOT NULL,
        expires INTEGER NOT NULL, origin TEXT NOT NULL, offence INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS offences (ip TEXT PRIMARY KEY, bans INTEGER NOT NULL, last INTEGER NOT NULL);
      CREATE TABLE IF NOT EXISTS failures (id INTEGER PRIMARY KEY, ip TEXT, kind TEXT NOT NULL, time INTEGER NOT NULL, source TEXT NOT NULL);
      CREATE INDEX IF NOT EXISTS failures_time ON failures(time);
      CREATE INDEX IF NOT EXISTS failures_ip ON failures(ip);
      CREATE TABLE IF NOT EXISTS positions (source TEXT PRIMARY KEY, inode TEXT NOT NULL, offset INTEGER NOT NULL, head TEXT NOT NULL, context TEXT NOT NULL DEFAULT '', updated INTEGER NOT NULL);
    `);
    this.stmts = {
      upsertBan: this.db.prepare(`INSERT INTO bans (ip, reason, created, expires, origin, offence) VALUES (@ip, @reason, @created, @expires, @origin, @offence)
        ON CONFLICT(ip) DO UPDATE SET reason = excluded.reason, created = excluded.created, expires = MAX(bans.expires, excluded.expires), origin = excluded.origin, offence = MAX(bans.offence, excluded.offence)`),
      offence: this.db.prepare(`INSERT INTO offences (ip, bans, last) VALUES (?, 1, ?) ON CONFLICT(ip) DO UPDATE SET bans = bans + 1, last = excluded.last`),
      getOffences: this.db.prepare(`SELECT bans, last FROM offences WHERE ip = ?`),
      failure: this.db.prepare(`INSERT INTO failures (ip, kind, time, source) VALUES (?, ?, ?, ?)`),
      position: this.db.prepare(`INSERT INTO positions (source, inode, offset, head, context, updated) VALUES (@source, @inode, @offset, @head, @context, @updated)
        ON CONFLICT(source) DO UPDATE SET inode = excluded.inode, offset = excluded.offset, head = excluded.head, context = excluded.context, updated = excluded.updated`),
      getPosition: this.db.prepare(`SELECT source, inode, offset, head, context FROM positions WHERE source = ?`),
      positions: this.db.prepare(`SELECT source, inode, offset, updated FROM positions ORDER BY source`),
      activeBans: this.db.prepare(`SELECT * FROM bans WHERE expires > ? ORDER BY expires`),
      getBan: this.db.prepare(`SELECT * FROM bans WHERE ip = ?`),
      deleteBan: this.db.prepare(`DELETE FROM bans WHERE ip = ?`),
      pruneBans: this.db.prepare(`DELETE FROM bans WHERE expires <= ?`),
      pruneFailures: this.db.prepare(`DELETE FROM failures WHERE time < ?`),
      pruneOffences: this.db.prepare(`DELETE FROM offences WHERE last < ?`),
      recentFailures: this.db.prepare(`SELECT ip, kind, time FROM failures WHERE time >= ? AND ip IS NOT NULL ORDER BY id`),
      failureCounts: this.db.prepare(`SELECT ip, COUNT(*) AS n FROM failures WHERE kind = 'auth-failure' GROUP BY ip ORDER BY n DESC LIMIT ?`),
      failureTotal: this.db.prepare(`SELECT COUNT(*) AS n FROM failures WHERE kind = 'auth-failure'`),
    };
  }

  /** One atomic step: failures, new bans (with their offence count) and the position behind them. */
  commit(failures: FailureRow[], bans: BanRow[], position: Position | undefined): void {
    this.db.transaction(() => {
      for (const f of failures) this.stmts.failure.run(f.ip, f.kind, f.time, f.source);
      for (const b of bans) {
        this.stmts.upsertBan.run(b);
        if (b.origin === 'local') this.stmts.offence.run(b.ip, b.created);
      }
      if (position) this.stmts.position.run({ context: '', ...position, updated: Date.now() });
    })();
  }

  /** A ban learnt from another node or an operator: no offence counted here. */
  recordBan(b: BanRow): void {
    this.stmts.upsertBan.run(b);
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
    return this.stmts.activeBans.all(now) as BanRow[];
  }

  ban(ip: string): BanRow | undefined {
    return this.stmts.getBan.get(ip) as BanRow | undefined;
  }

  deleteBan(ip: string): boolean {
    return this.stmts.deleteBan.run(ip).changes > 0;
  }

  recentFailures(since: number): { ip: string; kind: EventKind; time: number }[] {
    return this.stmts.recentFailures.all(since) as { ip: string; kind: EventKind; time: number }[];
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
