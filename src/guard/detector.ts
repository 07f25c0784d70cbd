/**
 * Detections over parser events, per source address:
 *  - auth: `maxretry` refused logins within `findtime`            → ban
 *  - flood: `maxconn` new connections within `findtime`           → ban
 *  - scanner: `maxretry` protocol errors within `findtime`         → ban
 *  - username: one username refused from `minIps` addresses      → report only
 *
 * Memory is bounded: at most `maxTracked` addresses are tracked (least recently
 * seen dropped first) and records older than the longest window are aged out.
 * Ban times grow for repeat offenders: bantime × factor^(previous bans), capped.
 */
import type { EventKind, EventSink } from './events.js';
import type { AllowList } from './ip.js';

export interface RuleConfig {
  maxretry: number;
  findtime: number; // seconds
}

export interface DetectorConfig {
  auth: RuleConfig;
  flood: { maxconn: number; findtime: number } | null;
  scanner: RuleConfig | null;
  username: { minIps: number; findtime: number } | null;
  bantime: number; // seconds
  factor: number;
  maxbantime: number;
  maxTracked: number;
}

export interface BanDecision {
  ip: string;
  reason: 'auth' | 'flood' | 'scanner';
  /** Events that triggered it (within the window). */
  count: number;
  seconds: number;
  /** Log time of the triggering event (ms). */
  time: number;
  /** 1 for a first ban, n for the n-th. */
  offence: number;
}

export interface UsernameReport {
  user: string;
  ips: number;
  time: number;
}

interface Rec {
  fails: number[];
  proto: number[];
  connStart: number;
  conns: number;
  lastSeen: number;
  bannedUntil: number;
  /** Insertion/refresh sequence number (approximate LRU order of the Map). */
  seq: number;
  /** Allowlisted (decided once per record: the allowlist does not change at run time). */
  allowed: boolean;
}

export interface DetectorHooks {
  onBan(d: BanDecision): void;
  onUsername?(r: UsernameReport): void;
  /** Failure attributed to an address (after the allowlist); for state/metrics. */
  onFailure?(kind: EventKind, ip: string | undefined, time: number, allowed: boolean): void;
  /** Previous bans of an address (for incremental ban times). */
  previousBans?(ip: string): number;
}

export class Detector implements EventSink {
  readonly failures = { total: 0, unattributed: 0, allowed: 0 };
  readonly protocolErrors = { total: 0 };
  connects = 0;
  readonly perIp = new Map<string, { failures: number; protocolErrors: number }>();
  /** Keep per-IP totals (guard test); off in the daemon so memory stays bounded. */
  private readonly keepTotals: boolean;
  private readonly recs = new Map<string, Rec>();
  private readonly users = new Map<string, { ips: Map<string, number>; reported: number }>();
  private readonly memBans = new Map<string, number>();
  private readonly maxWindowMs: number;
  private lastAge = 0;
  private seq = 0;

  constructor(
    private readonly cfg: DetectorConfig,
    private readonly allow: AllowList,
    private readonly hooks: DetectorHooks,
    opts: { keepTotals?: boolean } = {},
  ) {
    this.keepTotals = opts.keepTotals ?? false;
    this.maxWindowMs = 1000 * Math.max(cfg.auth.findtime, cfg.flood?.findtime ?? 0, cfg.scanner?.findtime ?? 0);
  }

  get tracked(): number {
    return this.recs.size;
  }

  event(kind: EventKind, ip: string | undefined, time: number, user?: string): void {
    if (kind === 'connect') this.connects++;
    else if (kind === 'auth-failure') {
      this.failures.total++;
      if (!ip) this.failures.unattributed++;
    } else this.protocolErrors.total++;
    if (!ip) {
      if (kind !== 'connect') this.hooks.onFailure?.(kind, undefined, time, false);
      return;
    }
    if (kind !== 'connect' && this.keepTotals) {
      let t = this.perIp.get(ip);
      if (!t) this.perIp.set(ip, (t = { failures: 0, protocolErrors: 0 }));
      if (kind === 'auth-failure') t.failures++;
      else t.protocolErrors++;
    }
    if (user && kind === 'auth-failure' && this.cfg.username) this.username(user, ip, time);
    const r = this.rec(ip, time);
    if (r.allowed) {
      if (kind === 'auth-failure') this.failures.allowed++;
      if (kind !== 'connect') this.hooks.onFailure?.(kind, ip, time, true);
      return;
    }
    if (kind !== 'connect') this.hooks.onFailure?.(kind, ip, time, false);
    this.feed(r, kind, ip, time);
  }

  /** Replay failures remembered from before a restart (no hooks called, no ban unless the threshold is reached). */
  restore(kind: EventKind, ip: string, time: number): void {
    const r = this.rec(ip, time);
    if (!r.allowed) this.feed(r, kind, ip, time);
  }

  isBanned(ip: string, now: number): boolean {
    const r = this.recs.get(ip);
    return r !== undefined && r.bannedUntil > now;
  }

  /** Mark an address banned (restored bans, bans from other nodes) so its events are not counted towards a second ban. */
  markBanned(ip: string, until: number): void {
    const r = this.rec(ip, Math.min(until, Date.now()));
    r.bannedUntil = Math.max(r.bannedUntil, until);
  }

  private rec(ip: string, time: number): Rec {
    let r = this.recs.get(ip);
    if (r) {
      // Move to the back (the Map's order is least recently seen first), but only once the record
      // has drifted a quarter of the capacity towards the front: a delete + set per event is costly.
      if (this.seq - r.seq > this.cfg.maxTracked >> 2) {
        this.recs.delete(ip);
        this.recs.set(ip, r);
        r.seq = ++this.seq;
      }
    } else {
      if (this.recs.size >= this.cfg.maxTracked) evictOldest(this.recs, this.cfg.maxTracked);
      r = { fails: [], proto: [], connStart: time, conns: 0, lastSeen: time, bannedUntil: 0, seq: ++this.seq, allowed: this.allow.has(ip) };
      this.recs.set(ip, r);
    }
    if (time > r.lastSeen) r.lastSeen = time;
    if (time - this.lastAge > 5_000) this.age(time);
    return r;
  }

  private age(time: number): void {
    this.lastAge = time;
    const cutoff = time - this.maxWindowMs;
    for (const [ip, r] of this.recs) {
      if (r.lastSeen >= cutoff) break;
      if (r.bannedUntil > time) continue;
      this.recs.delete(ip);
    }
  }

  private feed(r: Rec, kind: EventKind, ip: string, time: number): void {
    if (r.bannedUntil > time) return;
    if (kind === 'auth-failure') {
      const n = within(r.fails, time, this.cfg.auth.findtime * 1000, this.cfg.auth.maxretry);
      if (n >= this.cfg.auth.maxretry) this.ban(r, ip, 'auth', n, time);
    } else if (kind === 'protocol-error' && this.cfg.scanner) {
      const n = within(r.proto, time, this.cfg.scanner.findtime * 1000, this.cfg.scanner.maxretry);
      if (n >= this.cfg.scanner.maxretry) this.ban(r, ip, 'scanner', n, time);
    } else if (kind === 'connect' && this.cfg.flood) {
      if (time - r.connStart > this.cfg.flood.findtime * 1000) {
        r.connStart = time;
        r.conns = 0;
      }
      r.conns++;
      if (r.conns >= this.cfg.flood.maxconn) this.ban(r, ip, 'flood', r.conns, time);
    }
  }

  private ban(r: Rec, ip: string, reason: BanDecision['reason'], count: number, time: number): void {
    const previous = this.hooks.previousBans ? this.hooks.previousBans(ip) : (this.memBans.get(ip) ?? 0);
    if (!this.hooks.previousBans) {
      if (this.memBans.size >= this.cfg.maxTracked) evictOldest(this.memBans, this.cfg.maxTracked);
      this.memBans.set(ip, previous + 1);
    }
    const seconds = Math.min(this.cfg.maxbantime, Math.round(this.cfg.bantime * this.cfg.factor ** previous));
    r.fails.length = 0;
    r.proto.length = 0;
    r.conns = 0;
    r.bannedUntil = time + seconds * 1000;
    this.hooks.onBan({ ip, reason, count, seconds, time, offence: previous + 1 });
  }

  private username(user: string, ip: string, time: number): void {
    const cfg = this.cfg.username!;
    let u = this.users.get(user);
    if (!u) {
      if (this.users.size >= 10_000) evictOldest(this.users, 10_000);
      this.users.set(user, (u = { ips: new Map(), reported: -Infinity }));
    }
    u.ips.delete(ip);
    u.ips.set(ip, time);
    const cutoff = time - cfg.findtime * 1000;
    for (const [k, t] of u.ips) {
      if (t >= cutoff && u.ips.size <= 4 * cfg.minIps) break;
      u.ips.delete(k);
    }
    if (u.ips.size >= cfg.minIps && time - u.reported > cfg.findtime * 1000) {
      u.reported = time;
      this.hooks.onUsername?.({ user, ips: u.ips.size, time });
    }
  }
}

/**
 * Drop the oldest sixteenth of a capped Map in one pass. Deleting one entry at
 * a time from the front is quadratic in V8: deleted slots stay in the table and
 * every `keys().next()` walks over them again.
 */
function evictOldest<K, V>(map: Map<K, V>, cap: number): void {
  let n = Math.max(1, map.size - cap + (cap >> 4));
  for (const k of map.keys()) {
    map.delete(k);
    if (--n <= 0) break;
  }
}

/** Push `time`, keep at most `keep` entries, return how many are within the window. */
function within(times: number[], time: number, windowMs: number, keep: number): number {
  times.push(time);
  if (times.length > keep) times.shift();
  const cutoff = time - windowMs;
  let n = 0;
  for (const t of times) if (t >= cutoff) n++;
  return n;
}
