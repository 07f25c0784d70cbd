/**
 * undeliverable-messages: QoS 1 PUBLISHes to many distinct topics nobody subscribes to, from one
 * connection of the known client: "sending undeliverable messages" and the publishing side of "topic
 * scanning" of the MQTT 5 specification's detection list (section 5.4.8). An MQTT 5 broker tells the
 * publisher "no matching subscribers" (PUBACK 0x10), which is also its own signal to watch; an ACL that
 * confines the client to its topics answers "not authorized" (0x87) or ends the connection; a quota
 * answers 0x97.
 *
 * Topics are `<topicPrefix>/<random>/<n>`, non-retained, with a short fixed payload: nothing is left behind.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { attemptText, common, connectCounted, count, disconnectName, drillClientId, finish, hex, knownIdentity, pause, publishQos1, sourceAt, startOutcome, type VersionState } from './common.js';

const Params = z
  .object({
    /** Distinct topics to publish to (one message each). */
    topics: z.number().int().positive().max(1000).default(50),
    /** Topic prefix (no wildcards); a random level and the message number follow. */
    topicPrefix: z.string().regex(/^[^#+$][^#+]*$/, 'a topic prefix without wildcards, not under $').default('mqtt-warden-drill/scan'),
    /** Pause between two publishes. */
    interval: common.duration.default('20ms'),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  protocolVersion?: 4 | 5;
  published: number;
  /** PUBACK reason codes, counted ("0x10 no matching subscribers", "0x87", "3.1.1 PUBACK"). */
  pubacks: Record<string, number>;
  /** PUBLISHes refused (PUBACK >= 0x80). */
  refused: number;
  noMatchingSubscribers: number;
  /** The broker ended the connection (DISCONNECT or close) after this many publishes. */
  disconnectedAfter?: number;
  disconnectCode?: number;
  disconnectName?: string;
  /** The new connection tried after a disconnect: its answer. */
  reconnect?: string;
  timeouts: number;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const d: Detail = { published: 0, pubacks: {}, refused: 0, noMatchingSubscribers: 0, timeouts: 0 };
  o.detail = d as unknown as Record<string, unknown>;
  const state: VersionState = { version: p.mqttVersion };
  const source = sourceAt(ctx, 0);
  const clientId = drillClientId('scan');
  o.leftovers = { clientIds: [clientId] };
  const a = await connectCounted(ctx, o, state, source, { clientId, ...knownIdentity(ctx) });
  if (!a || a.kind !== 'accepted') {
    if (a) o.error = `the publisher could not connect: ${attemptText(a)}`;
    return finish(ctx, o);
  }
  d.protocolVersion = a.version;
  const scan = randomBytes(4).toString('hex');
  const payload = Buffer.from('mqtt-warden drill: undeliverable message');
  ctx.log(`publishing to ${p.topics} distinct topics under ${p.topicPrefix}/${scan}/`);
  try {
    for (let i = 0; i < p.topics; i++) {
      if (ctx.signal.aborted) break;
      if (i > 0 && !(await pause(durationMs(p.interval), ctx.signal))) break;
      o.firstAttackAt ??= ctx.now();
      const r = await publishQos1(a.channel, `${p.topicPrefix}/${scan}/${i}`, payload, false, ctx.timeoutMs);
      if (r.aborted) break;
      d.published++;
      if (r.code !== undefined) {
        count(d.pubacks, a.version === 5 ? hex(r.code) : '3.1.1 PUBACK');
        if (r.code === 0x10) d.noMatchingSubscribers++;
        if (r.code >= 0x80) {
          d.refused++;
          o.firstBlockedAt ??= ctx.now();
        }
        continue;
      }
      if (r.timeout) {
        d.timeouts++;
        continue;
      }
      // The broker ended the connection.
      o.firstBlockedAt ??= ctx.now();
      d.disconnectedAfter = d.published;
      if (r.disconnect !== undefined) {
        d.disconnectCode = r.disconnect;
        d.disconnectName = disconnectName(r.disconnect);
      }
      o.stoppedBy = 'blocked';
      break;
    }
  } finally {
    a.channel.close();
  }
  if (d.disconnectedAfter !== undefined && !ctx.signal.aborted) {
    // Does the block hold for a new connection? One more, from the budget.
    const again = await connectCounted(ctx, o, state, source, { clientId, ...knownIdentity(ctx) });
    if (again) {
      d.reconnect = attemptText(again);
      if (again.kind === 'accepted') again.channel.close();
    }
  }
  return finish(ctx, o);
}

/**
 * yes: the broker refused publishes (PUBACK >= 0x80: not authorized, quota, topic name invalid) or ended
 *      the connection before all were sent;
 * no: every publish was accepted (MQTT 5: 0x00 or 0x10 "no matching subscribers"; 3.1.1: a PUBACK);
 * unknown: the publisher could not connect, or PUBACKs did not come.
 */
function resisted(p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if (d.disconnectedAfter !== undefined) {
    const why = d.disconnectCode !== undefined ? `DISCONNECT ${hex(d.disconnectCode)} ${d.disconnectName}` : 'closed the connection';
    return { resisted: 'yes', detail: `the broker ${why} after ${d.disconnectedAfter} of ${p.topics} publishes to unsubscribed topics${d.reconnect ? `; a new connection then got: ${d.reconnect}` : ''}` };
  }
  if ((d.refused ?? 0) > 0) return { resisted: 'yes', detail: `${d.refused} of ${d.published} publishes to unsubscribed topics were refused (${Object.entries(d.pubacks ?? {}).map(([k, v]) => `${k}×${v}`).join(', ')})` };
  if (!d.published) return { resisted: 'unknown', detail: o.error ?? 'nothing was published' };
  if ((d.timeouts ?? 0) > 0) return { resisted: 'unknown', detail: `${d.timeouts} of ${d.published} publishes got no PUBACK` };
  return {
    resisted: 'no',
    detail: `all ${d.published} publishes to distinct unsubscribed topics were accepted${d.noMatchingSubscribers ? ` (${d.noMatchingSubscribers} answered 0x10 no matching subscribers)` : ''}`,
  };
}

export const undeliverableMessages: InjectKind<Params> = {
  kind: 'undeliverable-messages',
  title: 'Publishing to many topics nobody subscribes to',
  mqtt5: ['undeliverable-messages', 'topic-scanning'],
  params: Params,
  describe: (p) => `${p.topics} QoS 1 publishes, one per distinct unsubscribed topic under ${p.topicPrefix}/`,
  // The publisher, a reconnect after a disconnect, one 3.1.1 retry.
  demand: () => ({ connections: 3, failedLogins: 0 }),
  run,
  resisted,
};
