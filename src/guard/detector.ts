/**
 * Detections over parser events, per source address:
 *  - auth: `maxretry` refused logins within `findtime`            → ban
 *  - flood: `maxconn` new connections within `findtime`           → ban
 *  - scanner: `maxretry` protocol errors within `findtime`         → ban
 *  - username: one username refused from `minIps` addresses      → report only
 * and over several addresses:
 *  - subnet: `maxretry` refused logins from at least `minIps` addresses of one
 *    IPv4 /`ipv4` or IPv6 /`ipv6` prefix within `findtime`       → ban the prefix
 *    (when the prefix overlaps the allowlist: ban its contributing addresses)
 *  - swarm: `failures` refused logins from at least `minIps` addresses within
 *    `findtime`, listener-wide                                    → for `findtime`,
 *    the per-address auth threshold drops to `maxretry` (bans nobody by itself)
 *
 * The rules over addresses count refused logins only, once per failure, never
 * per line. Memory is bounded: at most `maxTracked` addresses and `maxTracked`
 * prefixes are tracked (least recently seen dropped first) and records older
 * than the longest window are aged out. Ban times grow for repeat offenders
 * (addresses and prefixes alike): bantime × factor^(previous bans), capped.
 */
import type { EventKind, EventSink } from './events.js';
import { intToIpv4, ipv4ToInt, isCidr, parseTarget, prefixOf, targetContains, type AllowList, type Cidr } from './ip.js';

export interface RuleConfig {
  maxretry: number;
  findtime: number; // seconds
}

export interface DetectorConfig {
  auth: RuleConfig;
  flood: { maxconn: number; findtime: number } | null;
  scanner: RuleConfig | null;
  username: { minIps: number; findtime: number } | null;
  subnet: SubnetConfig | null;
  swarm: SwarmConfig | null;
  bantime: number; // seconds
  factor: number;
  maxbantime: number;
  maxTracked: number;
}

export interface SubnetConfig {
  maxretry: number;
  findtime: number;
  /** Prefix lengths the addresses are grouped by. */
  ipv4: number;
  ipv6: number;
  /** Distinct addresses needed within the window (a prefix ban is about many addresses). */
  minIps: number;
}

export interface SwarmConfig {
  /** Refused logins within `findtime`, listener-wide, that raise the alarm … */
  failures: number;
  /** … from at least this many distinct addresses. */
  minIps: number;
  findtime: number;
  /** The per-address auth threshold while the alarm lasts. */
  maxretry: number;
}

/**
 * Why a ban was decided. `subnet`: the prefix in `ip` (a CIDR); `subnet-members`: a prefix reached
 * the subnet rule but overlaps the allowlist, so only this contributing address is banned; `swarm`:
 * the address reached the tightened auth threshold of a swarm alarm (below the normal one).
 */
export type BanReason = 'auth' | 'flood' | 'scanner' | 'subnet' | 'subnet-members' | 'swarm';

export interface BanDecision {
  /** The ban target: an address, or a network in CIDR notation (`10.1.2.0/24`) for reason `subnet`. */
  ip: string;
  reason: BanReason;
  /** Events that triggered it (within the window). */
  count: number;
  seconds: number;
  /** Log time of the triggering event (ms). */
  time: number;
  /** 1 for a first ban, n for the n-th. */
  offence: number;
  /** subnet, subnet-members: the addresses whose failures made the prefix reach the rule. */
  members?: string[];
  /** subnet-members, swarm: in words, why (which allowlist entry, which tightened threshold). */
  detail?: string;
}

export interface SwarmReport {
  /** Log time of the failure that raised the alarm (ms). */
  time: number;
  failures: number;
  addresses: number;
  /** The tightened per-address threshold and until when it holds (ms; extended while the swarm goes on). */
  maxretry: number;
  until: number;
}

interface PrefixRec {
  /** Failure times (at most maxretry). */
  fails: number[];
  /** Contributing addresses → time of their last failure (least recent first, at most maxretry). */
  members: Map<string, number>;
  lastSeen: number;
  bannedUntil: number;
  /** The allowlist entry overlapping the prefix; null until first needed (the allowlist does not change at run time). */
  allowedBy: string | undefined | null;
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
  /** Key of the address's network for the subnet rule (computed once per record, not per event); undefined when the rule is off. */
  netKey: number | string | undefined;
}

export interface DetectorHooks {
  onBan(d: BanDecision): void;
  onUsername?(r: UsernameReport): void;
  /** Failure attributed to an address (after the allowlist); for state/metrics. */
  onFailure?(kind: EventKind, ip: string | undefined, time: number, allowed: boolean): void;
  /** Previous bans of an address or prefix (for incremental ban times). */
  previousBans?(ip: string): number;
  /** A swarm alarm was raised (once per alarm; it is extended silently while the swarm goes on). */
  onSwarm?(r: SwarmReport): void;
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
  /** Prefix records by key: IPv4 the prefix as a number (address >>> host bits), IPv6 the CIDR text. */
  private readonly prefixes = new Map<number | string, PrefixRec>();
  /** Bans of networks of another length than the configured one (cluster, restored after a config change). */
  private readonly otherNets: { c: string; until: number }[] = [];
  /** The latest end of any prefix ban: while it is in the past, no event pays for a prefix look-up. */
  private netBanUntil = 0;
  private readonly swarmTimes: number[] = [];
  private readonly swarmIps = new Map<string, number>();
  private tightUntil = -Infinity;

  constructor(
    private readonly cfg: DetectorConfig,
    private readonly allow: AllowList,
    private readonly hooks: DetectorHooks,
    opts: { keepTotals?: boolean } = {},
  ) {
    this.keepTotals = opts.keepTotals ?? false;
    this.maxWindowMs = 1000 * Math.max(cfg.auth.findtime, cfg.flood?.findtime ?? 0, cfg.scanner?.findtime ?? 0, cfg.subnet?.findtime ?? 0);
  }

  get tracked(): number {
    return this.recs.size;
  }

  get trackedPrefixes(): number {
    return this.prefixes.size;
  }

  /** Is a swarm alarm in force at `time` (its per-address threshold applies)? */
  swarmActive(time: number): boolean {
    return this.tightUntil > time;
  }

  /** The subnet rule's prefix of a normalised address (CIDR text), or undefined when the rule is off. */
  prefixTarget(ip: string): string | undefined {
    const s = this.cfg.subnet;
    if (!s) return undefined;
    return prefixOf(ip, ip.includes(':') ? s.ipv6 : s.ipv4).text;
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

  /**
   * Replay failures remembered from before a restart (no hooks called, no ban unless the threshold is reached).
   * `prefixAnswered`: a ban of the failure's prefix came after it, so it does not count towards the prefix again.
   */
  restore(kind: EventKind, ip: string, time: number, prefixAnswered = false): void {
    const r = this.rec(ip, time);
    if (!r.allowed) this.feed(r, kind, ip, time, prefixAnswered);
  }

  isBanned(ip: string, now: number): boolean {
    const r = this.recs.get(ip);
    if (r !== undefined && r.bannedUntil > now) return true;
    return this.netBanUntil > now && this.inBannedNet(ip, now, r?.netKey);
  }

  /**
   * Mark an address or network banned (restored bans, bans from other nodes) so its events are not
   * counted towards a second ban.
   */
  markBanned(target: string, until: number): void {
    const now = Math.min(until, Date.now());
    if (!isCidr(target)) {
      const r = this.rec(target, now);
      r.bannedUntil = Math.max(r.bannedUntil, until);
      return;
    }
    const c = parseTarget(target);
    const s = this.cfg.subnet;
    if (s && c.len === (c.family === 4 ? s.ipv4 : s.ipv6)) {
      const p = this.prefixRec(this.keyOfNet(c), now);
      p.bannedUntil = Math.max(p.bannedUntil, until);
    } else {
      if (this.otherNets.length >= 10_000) this.otherNets.splice(0, 1000);
      this.otherNets.push({ c: target, until });
    }
    this.netBanUntil = Math.max(this.netBanUntil, until);
  }

  /** `key`: the address's network key when already known (its record's), saving its computation on the per-line path. */
  private inBannedNet(ip: string, now: number, key?: number | string): boolean {
    const s = this.cfg.subnet;
    if (s) {
      const p = this.prefixes.get(key ?? this.keyOf(ip, s));
      if (p !== undefined && p.bannedUntil > now) return true;
    }
    for (const o of this.otherNets) if (o.until > now && targetContains(o.c, ip)) return true;
    return false;
  }

  private keyOf(ip: string, s: SubnetConfig): number | string {
    // IPv4 (the common case, every failure): a number, no string built.
    if (!ip.includes(':')) return ipv4ToInt(ip) >>> (32 - s.ipv4);
    return prefixOf(ip, s.ipv6).text;
  }

  private keyOfNet(c: Cidr): number | string {
    return c.family === 4 ? Number(c.net) >>> (32 - c.len) : c.text;
  }

  private netText(key: number | string): string {
    if (typeof key === 'string') return key;
    const len = this.cfg.subnet!.ipv4;
    return `${intToIpv4((key << (32 - len)) >>> 0)}/${len}`;
  }

  private prefixRec(key: number | string, time: number): PrefixRec {
    let p = this.prefixes.get(key);
    if (p) this.prefixes.delete(key); // re-inserted at the back: the Map's order is least recently seen first
    else {
      if (this.prefixes.size >= this.cfg.maxTracked) evictOldest(this.prefixes, this.cfg.maxTracked);
      p = { fails: [], members: new Map(), lastSeen: time, bannedUntil: 0, allowedBy: null };
    }
    this.prefixes.set(key, p);
    if (time > p.lastSeen) p.lastSeen = time;
    return p;
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
      const s = this.cfg.subnet;
      r = { fails: [], proto: [], connStart: time, conns: 0, lastSeen: time, bannedUntil: 0, seq: ++this.seq, allowed: this.allow.has(ip), netKey: s ? this.keyOf(ip, s) : undefined };
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
    for (const [key, p] of this.prefixes) {
      if (p.lastSeen >= cutoff) break;
      if (p.bannedUntil > time) continue;
      this.prefixes.delete(key);
    }
    if (this.otherNets.length) {
      const live = this.otherNets.filter((o) => o.until > time);
      this.otherNets.length = 0;
      this.otherNets.push(...live);
    }
  }

  private feed(r: Rec, kind: EventKind, ip: string, time: number, prefixAnswered = false): void {
    if (r.bannedUntil > time) return;
    // Inside a banned network: the firewall drops it, nothing to count (only looked up while a network ban lasts).
    if (this.netBanUntil > time && this.inBannedNet(ip, time, r.netKey)) return;
    if (kind === 'auth-failure') {
      const auth = this.cfg.auth;
      if (this.cfg.swarm) this.swarmFeed(ip, time);
      // A swarm alarm lowers the per-address threshold (never raises it).
      const limit = this.tightUntil > time ? Math.min(this.cfg.swarm!.maxretry, auth.maxretry) : auth.maxretry;
      const n = within(r.fails, time, auth.findtime * 1000, auth.maxretry);
      if (n >= limit) {
        if (n >= auth.maxretry) this.ban(r, ip, 'auth', n, time);
        else this.ban(r, ip, 'swarm', n, time, { detail: `swarm alarm: per-address threshold ${limit} instead of ${auth.maxretry}` });
      }
      if (r.netKey !== undefined && !prefixAnswered) this.subnetFeed(ip, r.netKey, time);
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

  /** Listener-wide count of refused logins and of the distinct addresses they came from. */
  private swarmFeed(ip: string, time: number): void {
    const s = this.cfg.swarm!;
    const windowMs = s.findtime * 1000;
    const n = within(this.swarmTimes, time, windowMs, s.failures);
    const ips = this.swarmIps;
    ips.delete(ip);
    ips.set(ip, time);
    // Only whether minIps distinct addresses were seen matters: keep at most 4 × minIps, within the window.
    const cutoff = time - windowMs;
    for (const [k, t] of ips) {
      if (t >= cutoff && ips.size <= 4 * s.minIps) break;
      ips.delete(k);
    }
    if (n < s.failures || ips.size < s.minIps) return;
    const raised = this.tightUntil <= time;
    this.tightUntil = time + windowMs;
    if (raised) this.hooks.onSwarm?.({ time, failures: n, addresses: ips.size, maxretry: Math.min(s.maxretry, this.cfg.auth.maxretry), until: this.tightUntil });
  }

  private subnetFeed(ip: string, key: number | string, time: number): void {
    const s = this.cfg.subnet!;
    const p = this.prefixRec(key, time);
    if (p.bannedUntil > time) return;
    const windowMs = s.findtime * 1000;
    const m = p.members;
    m.delete(ip);
    m.set(ip, time);
    const cutoff = time - windowMs;
    for (const [k, t] of m) {
      if (t >= cutoff && m.size <= s.maxretry) break;
      m.delete(k);
    }
    const n = within(p.fails, time, windowMs, s.maxretry);
    if (n < s.maxretry || m.size < s.minIps) return;
    const cidr = this.netText(key);
    const members = [...m.keys()];
    p.fails.length = 0;
    m.clear();
    if (p.allowedBy === null) p.allowedBy = this.allow.overlapping(parseTarget(cidr));
    if (p.allowedBy === undefined) {
      const until = this.decide(cidr, 'subnet', n, time, { members });
      p.bannedUntil = until;
      this.netBanUntil = Math.max(this.netBanUntil, until);
      return;
    }
    // Never ban a network that holds an allowlisted address: only the addresses that took part.
    const detail = `prefix ${cidr} overlaps the allowlist (${p.allowedBy}): its ${members.length} contributing addresses are banned one by one instead`;
    for (const a of members) {
      const r = this.recs.get(a) ?? this.rec(a, time);
      if (r.bannedUntil > time || r.allowed) continue;
      this.ban(r, a, 'subnet-members', n, time, { members, detail });
    }
  }

  private ban(r: Rec, ip: string, reason: BanReason, count: number, time: number, extra: Pick<BanDecision, 'members' | 'detail'> = {}): void {
    r.fails.length = 0;
    r.proto.length = 0;
    r.conns = 0;
    r.bannedUntil = this.decide(ip, reason, count, time, extra);
  }

  /** Ban time from the target's previous bans; reports the decision; returns when the ban ends (ms). */
  private decide(ip: string, reason: BanReason, count: number, time: number, extra: Pick<BanDecision, 'members' | 'detail'>): number {
    const previous = this.hooks.previousBans ? this.hooks.previousBans(ip) : (this.memBans.get(ip) ?? 0);
    if (!this.hooks.previousBans) {
      if (this.memBans.size >= this.cfg.maxTracked) evictOldest(this.memBans, this.cfg.maxTracked);
      this.memBans.set(ip, previous + 1);
    }
    const seconds = Math.min(this.cfg.maxbantime, Math.round(this.cfg.bantime * this.cfg.factor ** previous));
    this.hooks.onBan({ ip, reason, count, seconds, time, offence: previous + 1, ...extra });
    return time + seconds * 1000;
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
