/**
 * abnormal-termination: connections that CONNECT (with a will message) and then drop without DISCONNECT,
 * again and again, at the budget's pace: "abnormal termination of connections" of the MQTT 5
 * specification's detection list (section 5.4.8), the pattern of a crashing device or of a client
 * probing the broker. Each drop is a TCP reset (no MQTT DISCONNECT, no FIN handshake).
 *
 * A watcher connection subscribes to the wills' topic prefix and counts the wills the broker published
 * (an abnormal end publishes the will; MQTT 5 section 3.1.2.5). Defences that react: EMQX flapping
 * detection (CFG-050) bans a client ID that connects and drops too often; guard can ban the address from
 * the broker log (Mosquitto 2.0: "Client <id> closed its connection.").
 */
import { randomBytes } from 'node:crypto';
import type { IPublishPacket } from 'mqtt-packet';
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { attemptText, common, connectCounted, count, drillClientId, finish, isDefenceCode, knownIdentity, pause, sourceAt, startOutcome, subscribeOne, type VersionState } from './common.js';

const Params = z
  .object({
    /** Connect-and-drop cycles. */
    cycles: z.number().int().positive().max(200).default(10),
    /** Pause between two cycles. */
    interval: common.duration.default('200ms'),
    /** Keep the same client ID for every cycle (what flapping detection counts), or a new one each time. */
    sameClientId: z.boolean().default(true),
    /** Set a will message (non-retained, QoS 0) and watch whether the broker publishes it. */
    will: z.boolean().default(true),
    /** How long the watcher waits for wills after the last drop. */
    settle: common.duration.default('1s'),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  cycles: number;
  accepted: number;
  /** Cycles refused after at least one accepted (CONNACK failure, closed without CONNACK, no connection), or with a ban/limit code. */
  refused: number;
  answers: Record<string, number>;
  /** Wills the watcher received (null: no watcher). */
  willsPublished: number | null;
  willTopicPrefix: string;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const willTopicPrefix = `mqtt-warden-drill/will/${randomBytes(6).toString('hex')}`;
  const d: Detail = { cycles: 0, accepted: 0, refused: 0, answers: {}, willsPublished: null, willTopicPrefix };
  o.detail = d as unknown as Record<string, unknown>;
  const state: VersionState = { version: p.mqttVersion };
  const identity = knownIdentity(ctx);
  const fixedId = drillClientId('flap');
  const ids = new Set<string>();
  o.leftovers = { clientIds: [] };

  // The watcher: from the first source, as the known client.
  let watcher: Awaited<ReturnType<typeof connectCounted>> = null;
  if (p.will) {
    const watcherId = drillClientId('will-watch');
    ids.add(watcherId);
    watcher = await connectCounted(ctx, o, state, sourceAt(ctx, 0), { clientId: watcherId, ...identity });
    if (watcher?.kind === 'accepted') {
      const code = await subscribeOne(watcher.channel, `${willTopicPrefix}/#`, ctx.timeoutMs);
      if (code !== null && code < 0x80) d.willsPublished = 0;
    }
  }
  const onWill = (pk: { cmd: string }) => {
    if (pk.cmd === 'publish' && (pk as IPublishPacket).topic.startsWith(`${willTopicPrefix}/`) && d.willsPublished !== null) d.willsPublished++;
  };
  try {
    let refusedRun = 0;
    for (let i = 0; i < p.cycles; i++) {
      if (ctx.signal.aborted) break;
      if (i > 0 && !(await pause(durationMs(p.interval), ctx.signal))) break;
      const clientId = p.sameClientId ? fixedId : drillClientId('flap');
      ids.add(clientId);
      const a = await connectCounted(ctx, o, state, sourceAt(ctx, i), {
        clientId,
        ...identity,
        ...(p.will ? { will: { topic: `${willTopicPrefix}/${i}`, payload: Buffer.from('mqtt-warden drill: will of an abnormal termination'), qos: 0, retain: false } } : {}),
      });
      if (!a) break;
      if (a.kind === 'aborted') break;
      d.cycles++;
      o.firstAttackAt ??= ctx.now();
      if (a.kind === 'accepted') {
        d.accepted++;
        refusedRun = 0;
        count(d.answers, 'accepted, then dropped');
        // The abnormal end: a TCP reset where the transport allows it, else a plain destroy; never DISCONNECT.
        a.channel.abandon();
        continue;
      }
      count(d.answers, a.kind === 'refused' ? attemptText(a) : a.kind === 'dropped' ? 'closed without CONNACK' : 'no connection');
      if (d.accepted > 0 || (a.kind === 'refused' && isDefenceCode(a.code, a.version))) {
        d.refused++;
        o.firstBlockedAt ??= ctx.now();
        if (++refusedRun >= 3) {
          o.stoppedBy = 'blocked';
          break;
        }
      }
    }
    if (watcher?.kind === 'accepted') await watcher.channel.collect(durationMs(p.settle), onWill);
  } finally {
    if (watcher?.kind === 'accepted') watcher.channel.close();
    o.leftovers.clientIds = [...ids];
  }
  if (d.cycles > 0 && d.accepted === 0 && d.refused === 0) o.error = `no cycle was accepted (${Object.keys(d.answers).join(', ')})`;
  return finish(ctx, o);
}

/**
 * yes: the broker began refusing the flapping client (after earlier acceptances, or with a ban/limit
 *      CONNACK code) before the cycles ran out: flapping detection or a ban reacted;
 * no: every cycle was accepted: nothing visible to the client reacted (a broker-log or guard-ban
 *     expectation may still show that the terminations were noticed);
 * unknown: no cycle was accepted.
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  const wills = d.willsPublished === null || d.willsPublished === undefined ? '' : `; ${d.willsPublished} will message(s) published`;
  if ((d.refused ?? 0) > 0) return { resisted: 'yes', detail: `the broker refused the flapping client after ${d.accepted} abnormal terminations (${d.refused} cycle(s) refused)${wills}` };
  if ((d.accepted ?? 0) > 0) return { resisted: 'no', detail: `all ${d.accepted} connect-and-drop cycles were accepted${wills}` };
  return { resisted: 'unknown', detail: o.error ?? 'no cycle ran' };
}

export const abnormalTermination: InjectKind<Params> = {
  kind: 'abnormal-termination',
  title: 'Connections that drop without DISCONNECT',
  mqtt5: ['abnormal-termination'],
  params: Params,
  describe: (p) => `${p.cycles} CONNECTs${p.will ? ' with a will' : ''} each dropped without DISCONNECT (TCP reset)${p.sameClientId ? ', same client ID' : ''}`,
  // The cycles, the watcher, one 3.1.1 retry.
  demand: (p) => ({ connections: p.cycles + (p.will ? 1 : 0) + 1, failedLogins: 0 }),
  run,
  resisted,
};
