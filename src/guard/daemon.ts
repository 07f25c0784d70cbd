/**
 * The guard daemon: sources → parsers → one detector → state (SQLite) →
 * ban backend (+ Redis for the cluster). Logs are JSON lines on stderr.
 *
 * Commit discipline: failures and bans found while reading a chunk are stored
 * with the position behind the chunk in one transaction; only then are the
 * bans applied. A crash at any point loses nothing and repeats nothing: on
 * start, active bans are re-applied (idempotently) and expired ones dropped.
 */
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { makeBackend, type BanBackend, type BanEntry } from './backends/index.js';
import type { GuardConfig } from './config.js';
import { Detector, type BanDecision } from './detector.js';
import type { EventKind, EventSink, LineParser } from './events.js';
import { isCidr, normaliseTarget, parseTarget, type AllowList } from './ip.js';
import type { LineCounters } from './lines.js';
import { GuardMetrics } from './metrics.js';
import { detectorConfig, makeAllowList, makeParser } from './pipeline.js';
import { RedisSync, type ClusterBan } from './redis.js';
import { FileSource } from './sources/file.js';
import { JournaldSource, StdinSource } from './sources/stream.js';
import { StateStore, type BanRow, type FailureRow, type Position } from './state.js';

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export function jsonLogger(stream: NodeJS.WritableStream = process.stderr): LogFn {
  return (level, msg, fields = {}) => {
    stream.write(`${JSON.stringify({ time: new Date().toISOString(), level, msg, ...fields })}\n`);
  };
}

export interface DaemonOptions {
  dryRun: boolean;
  log: LogFn;
  stdin?: Readable;
  journalctl?: string;
}

interface Source {
  readonly name: string;
  readonly counters: LineCounters;
  start(): void;
  stop(): void;
  lagBytes?(): number;
}

export class GuardDaemon {
  readonly state: StateStore;
  readonly backend: BanBackend;
  readonly metrics = new GuardMetrics();
  readonly detector: Detector;
  readonly allow: AllowList;
  readonly node = `${os.hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly sources: Source[] = [];
  private readonly parsers: LineParser[] = [];
  private redis: RedisSync | undefined;
  private pendingFailures: FailureRow[] = [];
  private pendingBans: (BanRow & { t0: number })[] = [];
  private pendingAuth = 0;
  private pendingProto = 0;
  private pendingUnattributed = 0;
  private currentSource = '';
  private applying: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private readonly lastCounters = new Map<string, { read: number; skipped: number }>();
  private swarmWas = false;
  metricsPort: number | undefined;

  constructor(private readonly cfg: GuardConfig, private readonly o: DaemonOptions) {
    this.state = new StateStore(o.dryRun ? ':memory:' : cfg.state);
    this.backend = makeBackend(cfg, o.dryRun);
    this.allow = makeAllowList(cfg);
    this.detector = new Detector(detectorConfig(cfg), this.allow, {
      onBan: (d) => this.onBan(d),
      onUsername: (r) => o.log('warn', 'one username refused from many addresses (reported, not banned)', { user: r.user, addresses: r.ips }),
      onFailure: (kind, ip, time) => this.onFailure(kind, ip, time),
      previousBans: (ip) => this.state.previousBans(ip) + this.pendingBans.filter((b) => b.ip === ip).length,
      onSwarm: (r) => {
        this.metrics.swarmAlarms.inc();
        this.metrics.swarmActive.set(1);
        o.log('warn', 'swarm alarm: refused logins from many addresses; per-address threshold lowered (nobody banned for it)', {
          failures: r.failures, addresses: r.addresses, maxretry: r.maxretry, until: new Date(r.until).toISOString(), source: this.currentSource,
        });
      },
    });
  }

  private onFailure(kind: EventKind, ip: string | undefined, time: number): void {
    this.pendingFailures.push({ ip: ip ?? null, kind, time, source: this.currentSource });
    // counted here, handed to the metrics once per commit (a labelled inc() per failure cost more than the parser)
    if (kind === 'auth-failure') this.pendingAuth++;
    else this.pendingProto++;
    if (!ip) this.pendingUnattributed++;
  }

  private flushMetrics(): void {
    if (this.pendingAuth) this.metrics.failures.inc({ kind: 'auth-failure' }, this.pendingAuth);
    if (this.pendingProto) this.metrics.failures.inc({ kind: 'protocol-error' }, this.pendingProto);
    if (this.pendingUnattributed) this.metrics.parseErrors.inc(this.pendingUnattributed);
    this.pendingAuth = this.pendingProto = this.pendingUnattributed = 0;
  }

  private onBan(d: BanDecision): void {
    const now = Date.now();
    const network = isCidr(d.ip);
    this.pendingBans.push({
      ip: d.ip, reason: d.reason, created: d.time, expires: now + d.seconds * 1000, origin: 'local', offence: d.offence, t0: performance.now(),
      ...(network && d.members ? { members: d.members } : {}),
    });
    // A network ban: the open connections of the addresses seen failing in it can send nothing more either.
    if (!this.o.dryRun) for (const p of this.parsers) for (const ip of network ? (d.members ?? []) : [d.ip]) p.forgetAddress?.(ip);
    this.o.log('warn', 'ban', {
      ip: d.ip, reason: d.reason, events: d.count, seconds: d.seconds, offence: d.offence, source: this.currentSource, dryRun: this.o.dryRun,
      ...(d.members ? { members: d.members } : {}), ...(d.detail ? { detail: d.detail } : {}),
    });
  }

  /** Commit point of every source: see the file comment. */
  private commit(position: Position | undefined): void {
    if (!this.pendingFailures.length && !this.pendingBans.length && !position) return;
    this.flushMetrics();
    const failures = this.pendingFailures;
    const bans = this.pendingBans;
    this.pendingFailures = [];
    this.pendingBans = [];
    this.state.commit(failures, bans.map(({ t0: _t0, ...b }) => b), position);
    if (bans.length) this.apply(bans.map((b) => ({ ip: b.ip, seconds: (b.expires - Date.now()) / 1000, t0: b.t0, reason: b.reason, expires: b.expires })));
  }

  private apply(bans: (BanEntry & { t0?: number; reason: string; expires: number; origin?: string })[]): void {
    this.applying = this.applying.then(async () => {
      try {
        await this.backend.ban(bans);
        const now = performance.now();
        for (const b of bans) {
          if (b.t0 !== undefined) this.metrics.banLatency.observe((now - b.t0) / 1000);
          this.metrics.bansTotal.inc({ origin: b.origin ?? 'local', reason: b.reason });
        }
        const t0 = bans[0]?.t0;
        this.o.log('info', 'ban applied', { ips: bans.map((b) => b.ip), backend: this.backend.name, ...(t0 !== undefined ? { ms: Math.round((now - t0) * 10) / 10 } : {}) });
      } catch (e) {
        this.o.log('error', 'ban failed', { backend: this.backend.name, error: (e as Error).message });
      }
      if (this.redis && !bans[0]?.origin) {
        for (const b of bans) {
          await this.redis.publish({ ip: b.ip, reason: b.reason, expires: b.expires }).catch((e: Error) => this.o.log('error', 'redis publish failed', { error: e.message }));
        }
      }
    });
  }

  /** Wait until every ban decided so far is in force. */
  settled(): Promise<void> {
    return this.applying;
  }

  private clusterBan(b: ClusterBan): void {
    const ip = normaliseTarget(b.ip);
    if (!ip) return;
    // A network is refused when it holds any allowlisted address here (never ban the allowlist, not even by a prefix).
    const allowedBy = isCidr(ip) ? this.allow.overlapping(parseTarget(ip)) : this.allow.has(ip) ? ip : undefined;
    if (allowedBy) {
      this.o.log('warn', `ban from another node ignored: ${isCidr(ip) ? `network overlaps the allowlist here (${allowedBy})` : 'address is allowlisted here'}`, { ip, node: b.node });
      return;
    }
    const existing = this.state.ban(ip);
    if (existing && existing.expires >= b.expires) return;
    this.state.recordBan({ ip, reason: b.reason, created: Date.now(), expires: b.expires, origin: `cluster:${b.node}`, offence: existing?.offence ?? 1 });
    this.detector.markBanned(ip, b.expires);
    for (const p of this.parsers) p.forgetAddress?.(ip);
    this.o.log('info', 'ban from another node', { ip, node: b.node, seconds: Math.round((b.expires - Date.now()) / 1000) });
    this.apply([{ ip, seconds: (b.expires - Date.now()) / 1000, reason: b.reason, expires: b.expires, origin: 'cluster' }]);
  }

  async start(): Promise<void> {
    const cfg = this.cfg;
    const log = this.o.log;
    await this.backend.init();
    const now = Date.now();
    // Re-apply the bans still in force; forget expired ones.
    this.state.prune(now, now - this.failureRetentionMs(), now - 30 * 86400_000);
    const active = this.state.activeBans(now);
    for (const b of active) this.detector.markBanned(b.ip, b.expires);
    if (active.length) {
      await this.backend.ban(active.map((b) => ({ ip: b.ip, seconds: (b.expires - now) / 1000 })));
      log('info', 'bans restored', { count: active.length });
    }
    // Failures still inside their window count towards the next ban (not those a ban already answered).
    const windowMs = 1000 * Math.max(cfg.detect.auth.findtime, cfg.detect.scanner?.findtime ?? 0, cfg.detect.subnet?.findtime ?? 0, cfg.detect.swarm?.findtime ?? 0);
    for (const f of this.state.recentFailures(now - windowMs)) {
      if (f.time <= this.state.lastOffence(f.ip)) continue;
      // A failure before the last ban of its network counted towards that ban already.
      const net = f.kind === 'auth-failure' ? this.detector.prefixTarget(f.ip) : undefined;
      this.detector.restore(f.kind, f.ip, f.time, net !== undefined && f.time <= this.state.lastOffence(net));
    }
    if (cfg.redis) {
      this.redis = new RedisSync(cfg.redis.url, cfg.redis.prefix, this.node, (b) => this.clusterBan(b), (m) => log('error', m));
      const missed = await this.redis.start();
      for (const b of missed) if (b.node !== this.node) this.clusterBan(b);
      log('info', 'redis connected', { catchUp: missed.length });
    }
    if (cfg.metrics) {
      this.metricsPort = await this.metrics.listen(cfg.metrics.host, cfg.metrics.port);
      log('info', 'metrics', { url: `http://${cfg.metrics.host}:${this.metricsPort}/metrics` });
    }
    if (!cfg.sources.length) throw new Error('no sources configured (config "sources:", or --log FILE)');
    for (const s of cfg.sources) this.sources.push(this.makeSource(s));
    for (const s of this.sources) s.start();
    this.timer = setInterval(() => this.maintain(), 1000);
    this.timer.unref();
    log('info', 'guard started', { node: this.node, backend: this.backend.name, dryRun: this.o.dryRun, sources: this.sources.map((s) => s.name), allow: this.allow.entries.length });
  }

  private failureRetentionMs(): number {
    const d = this.cfg.detect;
    return Math.max(86400_000, 2000 * Math.max(d.auth.findtime, d.scanner?.findtime ?? 0, d.subnet?.findtime ?? 0, d.swarm?.findtime ?? 0));
  }

  private makeSource(s: GuardConfig['sources'][number]): Source {
    const log = this.o.log;
    const name = s.type === 'file' ? `file:${s.path}` : s.type === 'journald' ? `journald:${s.unit}` : 'stdin';
    const sink: EventSink = {
      event: (kind, ip, time, user) => {
        this.currentSource = name;
        this.detector.event(kind, ip, time, user);
      },
    };
    const parser = makeParser(s.format, sink, this.cfg, this.o.dryRun ? {} : { isBanned: (ip) => this.detector.isBanned(ip, Date.now()) });
    this.parsers.push(parser);
    if (s.type === 'file') {
      return new FileSource({
        path: s.path,
        ...(s.rotated ? { rotated: s.rotated } : {}),
        parser,
        maxLineBytes: this.cfg.maxLineBytes,
        pollMs: this.cfg.pollMs,
        startAt: this.cfg.startAt,
        stored: this.state.position(name),
        onBatch: (p) => this.commit(p),
        onError: (m) => log('error', 'source error', { source: name, error: m }),
        onRotate: (kind) => log('info', 'log rotated', { source: name, kind }),
      });
    }
    if (s.type === 'journald') {
      return new JournaldSource(s.unit, parser, this.state.position(name), (p) => this.commit(p), (m) => log('error', 'source error', { source: name, error: m }), this.o.journalctl);
    }
    return new StdinSource(this.o.stdin ?? process.stdin, parser, this.cfg.maxLineBytes, (p) => this.commit(p));
  }

  private maintain(): void {
    const now = Date.now();
    try {
      this.commit(undefined);
      this.state.prune(now, now - this.failureRetentionMs(), now - 30 * 86400_000);
      const active = this.state.activeBans(now);
      this.metrics.bansActive.set(active.length);
      this.metrics.bansActiveNetworks.set(active.filter((b) => isCidr(b.ip)).length);
      this.metrics.tracked.set(this.detector.tracked);
      this.metrics.trackedNetworks.set(this.detector.trackedPrefixes);
      const swarm = this.detector.swarmActive(now) ? 1 : 0;
      if (!swarm && this.swarmWas) this.o.log('info', 'swarm alarm over: per-address threshold back to detect.auth.maxretry', { maxretry: this.cfg.detect.auth.maxretry });
      this.swarmWas = swarm === 1;
      this.metrics.swarmActive.set(swarm);
      for (const s of this.sources) {
        const last = this.lastCounters.get(s.name) ?? { read: 0, skipped: 0 };
        this.metrics.lines.inc({ source: s.name }, s.counters.read - last.read);
        this.metrics.skipped.inc({ source: s.name }, s.counters.skipped - last.skipped);
        this.lastCounters.set(s.name, { read: s.counters.read, skipped: s.counters.skipped });
        if (s.lagBytes) this.metrics.lag.set({ source: s.name }, s.lagBytes());
      }
    } catch (e) {
      this.o.log('error', 'maintenance failed', { error: (e as Error).message });
    }
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    for (const s of this.sources) s.stop();
    this.commit(undefined);
    await this.applying;
    this.backend.close?.();
    this.maintain();
    await this.redis?.stop();
    await this.metrics.close();
    this.state.close();
    this.o.log('info', 'guard stopped', { node: this.node });
  }
}
