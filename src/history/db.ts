/**
 * The run history: every run of a judging command with `--history` is stored in an
 * SQLite database (better-sqlite3, WAL, several writers at once wait for each other),
 * with its options, targets, summary and every result with its stable fingerprint.
 * Reference: docs/history.md.
 *
 * Runs are kept per scope, so that a lint of one repository and an audit of production
 * never mix: the command, and what it looked at (the explicit targets, else the hosts of
 * the discovered ones; the linted files), and whether host checks and network probes ran.
 *
 * A file that is not an SQLite database, a database of another program or a damaged one
 * is refused with a clear error (HistoryError) and never overwritten or recreated.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { HistoryError } from './paths.js';

export { defaultHistoryPath, HistoryError } from './paths.js';
import type { CheckResult, Report, ReportSummary } from '../core/types.js';

/** `PRAGMA application_id` of a history database: "MQWH". */
export const HISTORY_APPLICATION_ID = 0x4d515748;
const SCHEMA_VERSION = 1;
/** How long a writer waits for another one to finish (ms). */
const BUSY_TIMEOUT_MS = 15_000;

export interface Scope {
  /** Stable key: a hash of what the runs of this scope have in common. */
  key: string;
  /** What it is, for people: `audit of mqtt://h:1883, mqtt://h:8883`. */
  label: string;
}

const naturally = new Intl.Collator('en', { numeric: true }).compare;

/** The scope of a report: the command and what it looked at. */
export function scopeOf(report: Pick<Report, 'command' | 'targets' | 'options'>): Scope {
  const explicit = report.targets.filter((t) => t.explicit).map((t) => t.uri);
  let what: string[];
  if (explicit.length) what = explicit;
  else {
    // Discovered endpoints come and go with the listeners: the scope is the hosts scanned.
    what = report.targets.map((t) => {
      try {
        return new URL(t.uri).hostname;
      } catch {
        return t.uri;
      }
    });
  }
  what = [...new Set(what)].sort(naturally);
  const parts = { command: report.command, what, host: report.options.host, network: report.options.network };
  const key = createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 16);
  const shown = what.length > 3 ? `${what.slice(0, 3).join(', ')} and ${what.length - 3} more` : what.join(', ');
  const kind = report.command === 'audit' ? (!report.options.network ? ' (host checks)' : !report.options.host ? ' (network only)' : '') : '';
  return { key, label: `${report.command}${kind}${shown ? ` of ${shown}` : ' of this host'}` };
}

export interface RunInfo {
  id: number;
  scope: string;
  scopeLabel: string;
  command: Report['command'];
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  toolVersion: string;
  summary: ReportSummary;
  targets: number;
}

export interface StoredRun extends RunInfo {
  report: Report;
}

interface RunRow {
  id: number;
  scope: string;
  scope_label: string;
  command: string;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  tool_version: string;
  summary: string;
  targets: string;
  options: string;
  notes: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  scope TEXT NOT NULL,
  scope_label TEXT NOT NULL,
  command TEXT NOT NULL,
  started_at TEXT NOT NULL,
  finished_at TEXT NOT NULL,
  duration_ms INTEGER NOT NULL,
  tool_version TEXT NOT NULL,
  options TEXT NOT NULL,
  targets TEXT NOT NULL,
  notes TEXT NOT NULL,
  summary TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS runs_scope ON runs(scope, id);
CREATE TABLE IF NOT EXISTS results (
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  check_id TEXT NOT NULL,
  status TEXT NOT NULL,
  severity TEXT NOT NULL,
  subject TEXT NOT NULL,
  data TEXT NOT NULL,
  PRIMARY KEY (run_id, seq)
);
CREATE INDEX IF NOT EXISTS results_fingerprint ON results(run_id, fingerprint);
`;

function sqliteCode(e: unknown): string | undefined {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A SQLite error as a HistoryError naming the file; other errors pass. */
function explain(path: string, e: unknown): unknown {
  const code = sqliteCode(e);
  if (!code?.startsWith('SQLITE_')) return e;
  const msg = (e as Error).message;
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new HistoryError(`history database ${path} is damaged or not an SQLite database (${msg}); it was left as it is: move it away, or give another --history file`);
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new HistoryError(`history database ${path} stayed locked by another run for ${BUSY_TIMEOUT_MS / 1000} s (${msg})`);
  }
  if (code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_CANTOPEN') || code.startsWith('SQLITE_PERM') || code.startsWith('SQLITE_IOERR')) {
    return new HistoryError(`cannot use history database ${path}: ${msg}`);
  }
  return new HistoryError(`history database ${path}: ${msg}`);
}

export class History {
  private constructor(
    readonly path: string,
    private readonly db: Database.Database,
  ) {}

  /**
   * Open (and with `create`, create) the history database. A new file is only made where
   * none exists; an existing file must be a history database of this tool.
   */
  static open(path: string, opts: { create: boolean }): History {
    let exists = true;
    try {
      const st = statSync(path);
      if (!st.isFile()) throw new HistoryError(`history database ${path} is not a regular file`);
    } catch (e) {
      if (e instanceof HistoryError) throw e;
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new HistoryError(`cannot use history database ${path}: ${(e as Error).message}`);
      exists = false;
    }
    if (!exists && !opts.create) throw new HistoryError(`no history database at ${path}: run a command with --history first`);
    if (!exists) {
      try {
        mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      } catch (e) {
        throw new HistoryError(`cannot create the directory of history database ${path}: ${(e as Error).message}`);
      }
    }
    let db: Database.Database | undefined;
    try {
      db = new Database(path, { fileMustExist: exists });
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      // Reading the header first: a file that is not a database fails here, before anything is written.
      const appId = db.pragma('application_id', { simple: true }) as number;
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").pluck().all() as string[];
      if (appId !== HISTORY_APPLICATION_ID) {
        if (appId !== 0 || tables.length) {
          throw new HistoryError(`${path} is an SQLite database of another program, not an mqtt-warden history (application_id ${appId}, tables ${tables.join(', ') || 'none'}); it was left as it is`);
        }
        if (!opts.create) throw new HistoryError(`${path} is an empty database, not an mqtt-warden history yet: run a command with --history first`);
      }
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      if (appId !== HISTORY_APPLICATION_ID) {
        db.transaction(() => {
          db!.exec(SCHEMA);
          db!.pragma(`application_id = ${HISTORY_APPLICATION_ID}`);
          db!.pragma(`user_version = ${SCHEMA_VERSION}`);
        }).immediate();
      } else {
        const version = db.pragma('user_version', { simple: true }) as number;
        if (version > SCHEMA_VERSION) throw new HistoryError(`history database ${path} was written by a newer mqtt-warden (schema ${version}; this one knows ${SCHEMA_VERSION})`);
      }
      return new History(path, db);
    } catch (e) {
      db?.close();
      throw explain(path, e);
    }
  }

  close(): void {
    this.db.close();
  }

  private guard<T>(fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw explain(this.path, e);
    }
  }

  /** Store a run with all its results, in one transaction; returns its number. */
  record(report: Report, scope: Scope = scopeOf(report)): number {
    return this.guard(() => {
      const insertRun = this.db.prepare(
        `INSERT INTO runs (scope, scope_label, command, started_at, finished_at, duration_ms, tool_version, options, targets, notes, summary)
         VALUES (@scope, @label, @command, @startedAt, @finishedAt, @durationMs, @version, @options, @targets, @notes, @summary)`,
      );
      const insertResult = this.db.prepare('INSERT INTO results (run_id, seq, fingerprint, check_id, status, severity, subject, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
      return this.db
        .transaction(() => {
          const id = Number(
            insertRun.run({
              scope: scope.key,
              label: scope.label,
              command: report.command,
              startedAt: report.startedAt,
              finishedAt: report.finishedAt,
              durationMs: report.durationMs,
              version: report.tool.version,
              options: JSON.stringify(report.options),
              targets: JSON.stringify(report.targets),
              notes: JSON.stringify(report.notes),
              summary: JSON.stringify(report.summary),
            }).lastInsertRowid,
          );
          report.results.forEach((r, i) => insertResult.run(id, i, r.fingerprint, r.checkId, r.status, r.severity, r.subject, JSON.stringify(r)));
          return id;
        })
        .immediate();
    });
  }

  private info(row: RunRow): RunInfo {
    return {
      id: row.id,
      scope: row.scope,
      scopeLabel: row.scope_label,
      command: row.command as Report['command'],
      startedAt: row.started_at,
      finishedAt: row.finished_at,
      durationMs: row.duration_ms,
      toolVersion: row.tool_version,
      summary: JSON.parse(row.summary) as ReportSummary,
      targets: (JSON.parse(row.targets) as unknown[]).length,
    };
  }

  /** Runs, newest first; of one scope when given. */
  list(opts: { scope?: string; limit?: number } = {}): RunInfo[] {
    return this.guard(() => {
      const limit = opts.limit ?? -1;
      const rows = (
        opts.scope
          ? this.db.prepare('SELECT * FROM runs WHERE scope = ? ORDER BY id DESC LIMIT ?').all(opts.scope, limit)
          : this.db.prepare('SELECT * FROM runs ORDER BY id DESC LIMIT ?').all(limit)
      ) as RunRow[];
      return rows.map((r) => this.info(r));
    });
  }

  /** The latest `drill` runs (newest first): each target URI carries the drill as its fragment (mqtt://h:1883#id). */
  drillRuns(limit = 2000): { targets: Report['targets']; startedAt: string; summary: ReportSummary }[] {
    return this.guard(() =>
      (this.db.prepare("SELECT targets, started_at, summary FROM runs WHERE command = 'drill' ORDER BY id DESC LIMIT ?").all(limit) as Pick<RunRow, 'targets' | 'started_at' | 'summary'>[]).map((r) => ({
        targets: JSON.parse(r.targets) as Report['targets'],
        startedAt: r.started_at,
        summary: JSON.parse(r.summary) as ReportSummary,
      })),
    );
  }

  /** The scopes that hold runs and their latest run id. */
  scopes(): { scope: string; label: string; runs: number; last: number }[] {
    return this.guard(
      () =>
        this.db.prepare('SELECT scope, max(scope_label) AS label, count(*) AS runs, max(id) AS last FROM runs GROUP BY scope ORDER BY last DESC').all() as {
          scope: string;
          label: string;
          runs: number;
          last: number;
        }[],
    );
  }

  /** A run with its report rebuilt from the stored results. */
  get(id: number): StoredRun | undefined {
    return this.guard(() => {
      const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
      if (!row) return undefined;
      const results = (this.db.prepare('SELECT data FROM results WHERE run_id = ? ORDER BY seq').pluck().all(id) as string[]).map((d) => JSON.parse(d) as CheckResult);
      const info = this.info(row);
      const report: Report = {
        schemaVersion: 1,
        tool: { name: 'mqtt-warden', version: row.tool_version },
        command: info.command,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        durationMs: row.duration_ms,
        options: JSON.parse(row.options) as Report['options'],
        targets: JSON.parse(row.targets) as Report['targets'],
        notes: JSON.parse(row.notes) as string[],
        results,
        summary: info.summary,
      };
      return { ...info, report };
    });
  }

  /** The latest run of a scope before run `before` (or the latest of all). */
  previous(scope: string, before?: number): RunInfo | undefined {
    return this.guard(() => {
      const row = (
        before === undefined
          ? this.db.prepare('SELECT * FROM runs WHERE scope = ? ORDER BY id DESC LIMIT 1').get(scope)
          : this.db.prepare('SELECT * FROM runs WHERE scope = ? AND id < ? ORDER BY id DESC LIMIT 1').get(scope, before)
      ) as RunRow | undefined;
      return row && this.info(row);
    });
  }

  /** Fingerprints of the FAIL results of a run that no waiver suppressed. */
  findingFingerprints(id: number): Set<string> {
    return this.guard(() => {
      const rows = this.db.prepare("SELECT data FROM results WHERE run_id = ? AND status = 'FAIL'").pluck().all(id) as string[];
      const out = new Set<string>();
      for (const d of rows) {
        const r = JSON.parse(d) as CheckResult;
        if (r.suppression?.kind !== 'waiver') out.add(r.fingerprint);
      }
      return out;
    });
  }
}
