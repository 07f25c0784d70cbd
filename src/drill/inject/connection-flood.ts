/**
 * connection-flood: many concurrent MQTT connections, all kept open, within the drill's caps (each one
 * drawn from the budget, which also paces them at the drill's maxRate). It finds the point where the
 * broker starts refusing: Mosquitto's `max_connections`, a listener limit, EMQX `max_connections` or
 * its connection rate limit, a firewall rate rule, or guard.
 *
 * Accepted connections stay open (with keep-alive) until the flood is over and `hold` has passed, then
 * all are closed with DISCONNECT.
 */
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import type { MqttChannel } from '../../collectors/mqtt/channel.js';
import { attemptText, boundedParallel, common, connectCounted, count, drillClientId, finish, isDefenceCode, knownIdentity, pause, sourceAt, startOutcome, type VersionState } from './common.js';

const Params = z
  .object({
    /** Connections to open in all (each drawn from the budget). */
    connections: z.number().int().positive().max(1000).default(50),
    /** CONNECTs in flight at once. */
    concurrency: z.number().int().positive().max(50).default(10),
    /** How long the open connections are held after the last attempt. */
    hold: common.duration.default('2s'),
    /** Identity of the flood's connections: the known client's credentials (default) or none. */
    as: z.enum(['known-client', 'anonymous']).default('known-client'),
    /** Stop once this many attempts in a row were refused (the limit is established). */
    stopAfterRefusals: z.number().int().positive().max(100).default(5),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  attempted: number;
  accepted: number;
  /** Refused by CONNACK, dropped without one, or no connection at all, after at least one accepted. */
  refused: number;
  /** The most connections open at once. */
  peakOpen: number;
  /** Accepted connections at the time of the first refusal. */
  openAtFirstRefusal?: number;
  answers: Record<string, number>;
  /** Accepted connections the broker closed while the flood held them. */
  closedByBroker: number;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const d: Detail = { attempted: 0, accepted: 0, refused: 0, peakOpen: 0, answers: {}, closedByBroker: 0 };
  o.detail = d as unknown as Record<string, unknown>;
  const state: VersionState = { version: p.mqttVersion };
  const identity = p.as === 'known-client' ? knownIdentity(ctx) : {};
  const open = new Set<MqttChannel>();
  let refusedRun = 0;
  let budgetOut = false;
  ctx.log(`flooding ${ctx.target.url} with up to ${p.connections} connections, ${p.concurrency} at once`);
  try {
    const one = async (i: number) => {
      const source = sourceAt(ctx, i);
      o.firstAttackAt ??= ctx.now();
      const a = await connectCounted(ctx, o, state, source, { clientId: drillClientId('flood'), keepalive: 60, ...identity });
      if (!a) {
        budgetOut = true;
        return;
      }
      if (a.kind === 'aborted') return;
      d.attempted++;
      if (a.kind === 'accepted') {
        d.accepted++;
        refusedRun = 0;
        open.add(a.channel);
        d.peakOpen = Math.max(d.peakOpen, open.size);
        void a.channel.ended.then((why) => {
          if (open.delete(a.channel) && why.kind === 'closed' && !/closed by mqtt-warden/.test(why.message)) d.closedByBroker++;
        });
        count(d.answers, 'accepted');
        return;
      }
      count(d.answers, a.kind === 'refused' ? attemptText(a) : a.kind === 'dropped' ? 'closed without CONNACK' : 'no connection');
      // Before any acceptance a refusal says nothing about a limit, except a limit's own code.
      const limitCode = a.kind === 'refused' && isDefenceCode(a.code, a.version);
      if (d.accepted > 0 || limitCode) {
        d.refused++;
        refusedRun++;
        if (o.firstBlockedAt === undefined) {
          o.firstBlockedAt = ctx.now();
          d.openAtFirstRefusal = open.size;
          ctx.log(`first refusal after ${d.accepted} accepted connections (${open.size} open): ${attemptText(a)}`);
        }
      }
    };
    const stop = () => budgetOut || refusedRun >= p.stopAfterRefusals;
    // The first one alone: it learns the protocol version (one 3.1.1 retry at most, as demand() counts).
    await one(0);
    if (!stop()) await boundedParallel(p.connections - 1, p.concurrency, ctx.signal, stop, (i) => one(i + 1));
    if (refusedRun >= p.stopAfterRefusals) o.stoppedBy = 'blocked';
    if (budgetOut) o.stoppedBy ??= 'budget';
    await pause(durationMs(p.hold), ctx.signal);
  } finally {
    for (const c of open) c.close();
    open.clear();
  }
  if (d.attempted > 0 && d.accepted === 0 && d.refused === 0) o.error = `no flood connection was accepted (${Object.keys(d.answers).join(', ')})`;
  return finish(ctx, o);
}

/**
 * yes: after at least one accepted connection the broker refused further ones (CONNACK failure, closed
 *      without CONNACK, connection refused) before the flood ended, or answered with a limit code
 *      (server busy/unavailable, quota, rate, banned);
 * no: every connection of the flood was accepted and held;
 * unknown: no connection was accepted (the identity or the target, not a limit).
 */
function resisted(p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if ((d.refused ?? 0) > 0) {
    return { resisted: 'yes', detail: `the broker refused connections after ${d.openAtFirstRefusal ?? d.accepted} were open (${d.refused} refused of ${d.attempted} attempted)` };
  }
  if ((d.accepted ?? 0) > 0) {
    const partial = (d.attempted ?? 0) < p.connections ? ` (the flood stopped at ${d.attempted} of ${p.connections}: ${o.stoppedBy ?? 'ended'})` : '';
    return { resisted: 'no', detail: `all ${d.accepted} flood connections were accepted (peak ${d.peakOpen} open at once)${partial}` };
  }
  return { resisted: 'unknown', detail: o.error ?? 'no connection was attempted' };
}

export const connectionFlood: InjectKind<Params> = {
  kind: 'connection-flood',
  title: 'Connection flood within the caps',
  mqtt5: ['repeated-connection-attempts'],
  params: Params,
  describe: (p) => `up to ${p.connections} concurrent ${p.as} connections (${p.concurrency} CONNECTs in flight), held until the flood ends`,
  demand: (p) => ({ connections: p.connections + 1, failedLogins: 0 }),
  run,
  resisted,
};
