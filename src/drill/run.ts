/**
 * The drill runner: safety gate → steady state → steps (inject + expectations polled concurrently until
 * their deadlines) → steady state again → rollback (always) → the journal. Nothing is judged here: the
 * journal is the `drill.journal` fact, and the drill checks (CFG-090…) judge it through the one engine.
 *
 * Every packet the drill sends is drawn from one budget (rate, connection and failed-login caps) and
 * stops at the drill's maxDuration; the gate refuses a target or a worst case outside the safety block
 * before anything is sent.
 */
import dgram from 'node:dgram';
import type { IPubackPacket } from 'mqtt-packet';
import { durationMs, type DrillBudget, type DrillJournal, type DrillTarget, type Expectation, type ExpectationResult, type InjectContext, type InjectKind, type InjectOutcome, type JournalStep, type SteadyProbe, type SteadyResult } from './model.js';
import { RunBudget } from './budget.js';
import { injectKind } from './inject/index.js';
import type { LoadedDrill } from './load.js';
import { checkSources, DrillRefused, gateDemand, gateTarget } from './safety.js';
import { connectOnce } from './net.js';
import { BLOCKING, DETECTING, observerFor } from './expect/index.js';
import type { ObserveContext, ObserverPlaces } from './expect/types.js';
import { logSize } from './expect/broker-log.js';
import { startWebhook } from './expect/webhook.js';

export { DrillRefused };

/**
 * A signal aborted when either is: AbortSignal.any where Node has it (20.3+), else the same by hand for the
 * Node 20.0–20.2 the package still supports.
 */
function anySignal(a: AbortSignal, b: AbortSignal): AbortSignal {
  if (typeof AbortSignal.any === 'function') return AbortSignal.any([a, b]);
  const c = new AbortController();
  for (const s of [a, b]) {
    if (s.aborted) c.abort(s.reason);
    else s.addEventListener('abort', () => c.abort(s.reason), { once: true });
  }
  return c.signal;
}

export interface DrillRunOptions {
  loaded: LoadedDrill;
  target: DrillTarget;
  /** `--authorized TARGET` as given. */
  authorized?: string;
  /** `--source ADDR…` (empty: the OS's choice). */
  sources: string[];
  client?: InjectContext['client'];
  tls?: InjectContext['tls'];
  places: Omit<ObserverPlaces, 'webhook'>;
  /** `--webhook-port N`: start the webhook listener on 127.0.0.1:N. */
  webhookPort?: number;
  /** Per-network-operation timeout, ms (default 3000). */
  timeoutMs?: number;
  /** How often observers look again, ms (default 250). */
  pollMs?: number;
  /** Interrupt (Ctrl-C). */
  signal?: AbortSignal;
  log?: (text: string) => void;
}

/** What the gate decided; computed before any packet, so a refused run sends nothing. */
export interface GatedRun {
  kinds: InjectKind[];
  demand: { connections: number; failedLogins: number };
}

/** The safety gate: throws DrillRefused (exit 2) before anything is sent. */
export function gateRun(o: Pick<DrillRunOptions, 'loaded' | 'target' | 'authorized' | 'sources'>): GatedRun {
  const { drill, params } = o.loaded;
  gateTarget(drill.safety.targets, o.target, o.authorized);
  checkSources(o.sources);
  const kinds = drill.steps.map((s) => {
    const k = injectKind(s.inject.kind);
    if (!k) throw new DrillRefused(`unknown inject kind "${s.inject.kind}"`);
    return k;
  });
  return { kinds, demand: gateDemand(drill, kinds, params) };
}

/** The local address the OS picks towards the target (a UDP "connect" sends nothing). */
function localAddressTowards(t: DrillTarget): Promise<string | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket(t.host.includes(':') ? 'udp6' : 'udp4');
    const done = (a?: string) => {
      s.close();
      resolve(a);
    };
    s.once('error', () => done());
    try {
      s.connect(t.port, t.host, () => {
        try {
          done(s.address().address);
        } catch {
          done();
        }
      });
    } catch {
      done();
    }
  });
}

/** The step's budget: the run's, noting when the inject drew its first connection (the step's first attack). */
class StepBudget implements DrillBudget {
  firstAt?: number;
  injecting = true;
  constructor(
    private readonly run: RunBudget,
    private readonly now: () => number,
  ) {}
  get used() {
    return this.run.used;
  }
  private note(ok: boolean): boolean {
    if (ok && this.injecting) this.firstAt ??= this.now();
    return ok;
  }
  async connection() {
    return this.note(await this.run.connection());
  }
  async failedLogin() {
    return this.note(await this.run.failedLogin());
  }
}

async function steadyProbe(probe: SteadyProbe, phase: SteadyResult['phase'], o: DrillRunOptions, budget: RunBudget, signal: AbortSignal, now: () => number): Promise<SteadyResult> {
  const t0 = now();
  const res = (ok: boolean, detail: string, skipped?: string): SteadyResult => ({ probe, phase, ok, detail, ms: Math.round(now() - t0), ...(skipped && { skipped }) });
  if (signal.aborted) return res(false, 'not run: the drill was stopped', 'the drill was stopped');
  if (probe.kind === 'known-client-publishes' && !o.client?.username) return res(false, 'not run: no known client (-u/--user with --password-env)', 'no known client given (-u/--user with --password-env)');
  if (!(await budget.connection())) return res(false, 'not run: the connection budget is spent', 'the connection budget is spent');
  const ctx = { target: o.target, timeoutMs: durationMs(probe.timeout), signal, ...(o.tls && { tls: o.tls }) };
  // Steady state is the legitimate side: from the OS's address, not the attack's sources.
  if (probe.kind === 'broker-answers') {
    const r = await connectOnce(ctx, undefined, {});
    if (r.kind === 'connack') {
      r.channel?.close();
      return res(true, `CONNACK ${r.code} (${r.name}) in ${r.ms} ms`);
    }
    return res(false, r.kind === 'aborted' ? 'stopped' : `${r.kind}: ${r.detail}`);
  }
  const r = await connectOnce(ctx, undefined, { ...(o.client?.username !== undefined && { username: o.client.username }), ...(o.client?.password !== undefined && { password: o.client.password }) });
  if (r.kind !== 'connack') return res(false, r.kind === 'aborted' ? 'stopped' : `${r.kind}: ${r.detail}`);
  if (!r.accepted || !r.channel) return res(false, `the known client ${o.client!.username} was refused: CONNACK ${r.code} (${r.name})`);
  const ch = r.channel;
  try {
    const messageId = ch.messageId();
    ch.send({ cmd: 'publish', topic: probe.topic, payload: Buffer.from('mqtt-warden drill steady state'), qos: 1, retain: false, dup: false, messageId });
    await ch.waitFor((p): p is IPubackPacket => p.cmd === 'puback' && p.messageId === messageId, 'PUBACK');
    return res(true, `${o.client!.username} published to ${probe.topic} (PUBACK)`);
  } catch (e) {
    return res(false, `${o.client!.username} connected but got no PUBACK: ${(e as Error).message}`);
  } finally {
    ch.close();
  }
}

function resistedResult(e: Extract<Expectation, { kind: 'resisted' }>, kind: InjectKind, params: Record<string, unknown>, out: InjectOutcome): ExpectationResult {
  const r = kind.resisted(params, out);
  const within = durationMs(e.within);
  const waitedMs = Math.round(out.endedAt - out.startedAt);
  if (r.resisted === 'unknown') return { expectation: e, status: 'not-verified', message: `resisted: not verified: ${r.detail}`, waitedMs };
  if (r.resisted === 'no') return { expectation: e, status: 'failed', message: `resisted: the broker did not resist ${kind.kind} within ${within / 1000} s: ${r.detail}`, waitedMs };
  const after = out.firstBlockedAt !== undefined && out.firstAttackAt !== undefined ? Math.round(out.firstBlockedAt - out.firstAttackAt) : undefined;
  if (after !== undefined && after > within) return { expectation: e, status: 'failed', message: `resisted: blocked only after ${(after / 1000).toFixed(1)} s, not within ${within / 1000} s: ${r.detail}`, waitedMs };
  return { expectation: e, status: 'met', message: `resisted: ${r.detail}`, ...(after !== undefined ? { afterMs: after } : { afterMs: 0 }), waitedMs };
}

async function rollback(o: DrillRunOptions, steps: JournalStep[], addresses: string[], startedWall: number): Promise<DrillJournal['rollback']> {
  const out: DrillJournal['rollback'] = [];
  for (const r of o.loaded.drill.rollback) {
    try {
      if (r.kind === 'unban') {
        const done: string[] = [];
        const { targetContains } = await import('../guard/ip.js');
        const covers = (net: string) => addresses.some((ip) => targetContains(net, ip));
        // Bans of networks holding the drill's addresses (guard's subnet rule) that the drill caused.
        let networks: string[] | undefined;
        if (o.places.guardState) {
          const { default: Database } = await import('better-sqlite3');
          const db = new Database(o.places.guardState, { fileMustExist: true, timeout: 2000 });
          try {
            // Only the bans this drill caused (made after it started).
            const del = db.prepare('DELETE FROM bans WHERE ip = ? AND created >= ?');
            networks = (db.prepare("SELECT ip FROM bans WHERE ip LIKE '%/%' AND created >= ?").all(startedWall - 2000) as { ip: string }[]).map((r) => r.ip).filter(covers);
            const n = [...addresses, ...networks].reduce((a, ip) => a + del.run(ip, startedWall - 2000).changes, 0);
            done.push(`${n} ban(s) removed from ${o.places.guardState}${networks.length ? ` (networks: ${networks.join(', ')})` : ''}`);
          } finally {
            db.close();
          }
        }
        if (o.places.nftTable) {
          const { NftBackend } = await import('../guard/backends/nftables.js');
          const b = new NftBackend({ table: o.places.nftTable, ports: [], action: 'drop' });
          // Without the state to tell when a network ban was made, the networks in the sets holding the addresses.
          networks ??= (await b.list().catch(() => [])).map((x) => x.ip).filter((ip) => ip.includes('/') && covers(ip));
          for (const ip of [...addresses, ...networks]) await b.unban(ip);
          done.push(`removed from nft table inet ${o.places.nftTable}`);
        }
        if (o.places.redis) {
          const { Redis } = await import('ioredis');
          const c = new Redis(o.places.redis.url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, enableOfflineQueue: false });
          try {
            await c.connect();
            const keys = [...addresses, ...(networks ?? [])].map((ip) => `${o.places.redis!.prefix}:ban:${ip}`);
            const n = keys.length ? await c.del(...keys) : 0;
            done.push(`${n} Redis key(s) deleted`);
          } finally {
            c.disconnect();
          }
        }
        out.push({ kind: r.kind, ok: true, detail: done.length ? `${addresses.join(', ')}: ${done.join('; ')}` : 'nothing to unban: no --guard-state, --nft-table or --redis given' });
      } else {
        const list = steps.flatMap((s) => (r.kind === 'clear-retained' ? (s.outcome.leftovers?.retainedTopics ?? []) : (s.outcome.leftovers?.clientIds ?? [])));
        const failed: string[] = [];
        const signal = AbortSignal.timeout(30_000);
        for (const item of list) {
          const cred = { ...(o.client?.username !== undefined && { username: o.client.username }), ...(o.client?.password !== undefined && { password: o.client.password }) };
          const c = await connectOnce({ target: o.target, timeoutMs: o.timeoutMs ?? 3000, signal, ...(o.tls && { tls: o.tls }) }, undefined, r.kind === 'clear-sessions' ? { ...cred, clientId: item } : cred);
          if (c.kind !== 'connack' || !c.channel) {
            failed.push(`${item}: ${c.kind === 'connack' ? `CONNACK ${c.code} (${c.name})` : c.kind}`);
            continue;
          }
          if (r.kind === 'clear-retained') c.channel.send({ cmd: 'publish', topic: item, payload: Buffer.alloc(0), qos: 0, retain: true, dup: false });
          c.channel.close();
        }
        out.push({ kind: r.kind, ok: !failed.length, detail: failed.length ? `not cleared: ${failed.join(', ')}` : `${list.length} ${r.kind === 'clear-retained' ? 'retained topic(s)' : 'session(s)'} cleared` });
      }
    } catch (e) {
      out.push({ kind: r.kind, ok: false, detail: (e as Error).message });
    }
  }
  return out;
}

/** Run a drill that passed the gate (gateRun is called again here: nothing is sent for a refused one). */
export async function runDrill(o: DrillRunOptions): Promise<DrillJournal> {
  const gated = gateRun(o);
  const { drill, params, file, builtin } = o.loaded;
  const t0 = performance.now();
  const now = () => performance.now() - t0;
  const startedWall = Date.now();
  const log = o.log ?? (() => undefined);
  const maxMs = durationMs(drill.safety.maxDuration);
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new Error(`maxDuration ${String(drill.safety.maxDuration)} reached`)), maxMs);
  const signal = o.signal ? anySignal(deadline.signal, o.signal) : deadline.signal;
  const budget = new RunBudget(drill.safety, signal);
  const timeoutMs = o.timeoutMs ?? 3000;
  const steady: SteadyResult[] = [];
  const steps: JournalStep[] = [];
  let aborted: string | undefined;
  const sources: (string | undefined)[] = o.sources.length ? o.sources : [undefined];
  const addresses = o.sources.length ? [...o.sources] : [await localAddressTowards(o.target)].filter((a): a is string => Boolean(a));
  const webhook = o.webhookPort !== undefined ? await startWebhook(o.webhookPort) : undefined;
  let rolled: DrillJournal['rollback'] = [];
  try {
    for (const p of drill.steady) steady.push(await steadyProbe(p, 'before', o, budget, signal, now));
    const down = steady.find((s) => !s.ok && !s.skipped && s.probe.kind === 'broker-answers');
    if (down) aborted = `the broker did not answer before the first step (${down.detail}): nothing to rehearse`;
    for (const [i, step] of drill.steps.entries()) {
      if (aborted) break;
      if (signal.aborted) {
        aborted = String((signal.reason as Error | undefined)?.message ?? 'interrupted');
        break;
      }
      const kind = gated.kinds[i]!;
      const p = params[i]!;
      const stepWall = Date.now();
      const sb = new StepBudget(budget, now);
      const ctx: InjectContext = {
        target: o.target,
        sources,
        ...(o.client && { client: o.client }),
        ...(o.tls && { tls: o.tls }),
        budget: sb,
        signal,
        now,
        log: (t) => log(`${step.name}: ${t}`),
        timeoutMs,
      };
      log(`${step.name}: ${kind.describe(p)}`);
      const brokerLogStart = o.places.brokerLog ? await logSize(o.places.brokerLog) : undefined;
      let ended = false;
      const injectDone = kind.run(p, ctx).then(
        (out) => out,
        (e: unknown): InjectOutcome => ({ startedAt: now(), endedAt: now(), sources, connections: 0, failedLogins: 0, detail: {}, stoppedBy: 'error', error: (e as Error).message }),
      );
      void injectDone.then(() => {
        ended = true;
        sb.injecting = false;
      });
      const octx: ObserveContext = {
        places: { ...o.places, ...(webhook && { webhook }) },
        target: o.target,
        addresses,
        stepStartedWall: stepWall,
        now,
        attackAt: () => sb.firstAt,
        injectDone,
        injectEnded: () => ended,
        budget,
        signal,
        timeoutMs,
        pollMs: o.pollMs ?? 250,
        ...(brokerLogStart !== undefined && { brokerLogStart }),
      };
      const observed = step.expect.map(async (e): Promise<ExpectationResult> => {
        if (e.kind === 'resisted') return resistedResult(e, kind, p, await injectDone);
        const obs = observerFor(e.kind)!;
        const w = obs.where(e, octx);
        if ('notVerified' in w) return { expectation: e, status: 'not-verified', message: w.notVerified, waitedMs: 0 };
        try {
          return { expectation: e, ...(await obs.observe(e, octx, w.where)) };
        } catch (err) {
          return { expectation: e, status: 'not-verified', message: `${e.kind}: not verified: ${(err as Error).message}`, waitedMs: 0 };
        }
      });
      const outcome = await injectDone;
      const expectations = await Promise.all(observed);
      const resistance = kind.resisted(p, outcome);
      const base = outcome.firstAttackAt ?? sb.firstAt;
      const fromAttack = (r: ExpectationResult) => r.afterMs;
      const detect = expectations.filter((r) => r.status === 'met' && DETECTING.includes(r.expectation.kind)).map(fromAttack).filter((x): x is number => x !== undefined);
      const block = expectations.filter((r) => r.status === 'met' && BLOCKING.includes(r.expectation.kind)).map(fromAttack).filter((x): x is number => x !== undefined);
      if (outcome.firstBlockedAt !== undefined && base !== undefined) block.push(Math.max(0, Math.round(outcome.firstBlockedAt - base)));
      steps.push({
        name: step.name,
        kind: kind.kind,
        description: kind.describe(p),
        outcome,
        resistance,
        expectations,
        ...(detect.length && { timeToDetectMs: Math.min(...detect) }),
        ...(block.length && { timeToBlockMs: Math.min(...block) }),
      });
      for (const r of expectations) log(`${step.name}: ${r.status}: ${r.message}`);
    }
    if (!aborted && signal.aborted) aborted = String((signal.reason as Error | undefined)?.message ?? 'interrupted');
    for (const p of drill.steady) steady.push(await steadyProbe(p, 'after', o, budget, signal, now));
  } finally {
    clearTimeout(timer);
    // Rollback always, also after a failure or an abort; it has its own time bounds.
    rolled = await rollback(o, steps, addresses, startedWall).catch((e: unknown) => [{ kind: 'unban' as const, ok: false, detail: (e as Error).message }]);
    await webhook?.close();
  }
  return {
    drill: { id: drill.id, title: drill.title, ...(!builtin && { file }), strategies: drill.strategies, checks: drill.checks, mqtt5: drill.mqtt5 },
    target: o.target.url,
    authorized: o.authorized !== undefined,
    startedAt: new Date(startedWall).toISOString(),
    durationMs: Math.round(now()),
    safety: { ...drill.safety, used: { ...budget.used } },
    steady,
    steps,
    rollback: rolled,
    ...(aborted && { aborted }),
  };
}

