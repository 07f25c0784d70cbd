/**
 * sys-publish: a client PUBLISH into `$SYS/...`, the broker's own status tree, watched by a `$SYS/#`
 * subscriber on a second connection. Clients that can write there can fake broker statistics and
 * version banners every monitoring tool trusts (ACC-006).
 *
 * Two connections of the known client (ctx.client, or anonymous): a subscriber to `$SYS/#` and a
 * publisher of one QoS 1 message to a unique `$SYS/mqtt-warden-drill/<random>` topic.
 */
import { randomBytes } from 'node:crypto';
import type { IPublishPacket } from 'mqtt-packet';
import { z } from 'zod';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { durationMs } from '../model.js';
import { attemptText, common, connectCounted, disconnectName, drillClientId, finish, hex, knownIdentity, publishQos1, sourceAt, startOutcome, subscribeOne, type VersionState } from './common.js';

const Params = z
  .object({
    /** Topic prefix under `$SYS/`; a random last level is appended. */
    topicPrefix: z.string().regex(/^\$SYS\/[^#+]*[^/#+]$/, 'a topic under $SYS/ without wildcards').default('$SYS/mqtt-warden-drill'),
    /** Publish retained (rollback `clear-retained` removes it); default false. */
    retain: z.boolean().default(false),
    /** How long the subscriber listens for the message after the PUBACK. */
    listen: common.duration.default('1s'),
    mqttVersion: common.mqttVersion,
  })
  .strict();
type Params = z.infer<typeof Params>;

interface Detail {
  topic: string;
  protocolVersion?: 4 | 5;
  /** SUBACK code of `$SYS/#` for the watching subscriber (null: none came). */
  subscribeCode?: number | null;
  pubackCode?: number;
  disconnectCode?: number;
  disconnectName?: string;
  publisherClosed?: boolean;
  pubackTimeout?: boolean;
  delivered: boolean;
  listenedMs?: number;
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const topic = `${p.topicPrefix}/${randomBytes(6).toString('hex')}`;
  const d: Detail = { topic, delivered: false };
  o.detail = d as unknown as Record<string, unknown>;
  const state: VersionState = { version: p.mqttVersion };
  const source = sourceAt(ctx, 0);
  const identity = knownIdentity(ctx);
  const subId = drillClientId('sys-sub');
  const pubId = drillClientId('sys-pub');
  o.leftovers = { clientIds: [subId, pubId], ...(p.retain ? { retainedTopics: [topic] } : {}) };

  const sub = await connectCounted(ctx, o, state, source, { clientId: subId, ...identity });
  if (!sub || sub.kind !== 'accepted') {
    if (sub) o.error = `the watching subscriber could not connect: ${attemptText(sub)}`;
    return finish(ctx, o);
  }
  try {
    d.protocolVersion = sub.version;
    d.subscribeCode = await subscribeOne(sub.channel, '$SYS/#', ctx.timeoutMs);
    let deliveredAt: number | undefined;
    const watch = (pk: { cmd: string }) => {
      if (pk.cmd === 'publish' && (pk as IPublishPacket).topic === topic) {
        d.delivered = true;
        deliveredAt ??= ctx.now();
      }
    };
    const pub = await connectCounted(ctx, o, state, source, { clientId: pubId, ...identity });
    if (!pub || pub.kind !== 'accepted') {
      if (pub) o.error = `the publisher could not connect: ${attemptText(pub)}`;
      return finish(ctx, o);
    }
    try {
      o.firstAttackAt = ctx.now();
      ctx.log(`publishing one QoS 1 message${p.retain ? ' (retained)' : ''} to ${topic}`);
      const r = await publishQos1(pub.channel, topic, Buffer.from('mqtt-warden drill: $SYS write test'), p.retain, ctx.timeoutMs);
      if (r.aborted) return finish(ctx, o);
      if (r.code !== undefined) d.pubackCode = r.code;
      if (r.disconnect !== undefined) {
        d.disconnectCode = r.disconnect;
        d.disconnectName = disconnectName(r.disconnect);
      }
      if (r.closed) d.publisherClosed = true;
      if (r.timeout) d.pubackTimeout = true;
      if ((r.code !== undefined && r.code >= 0x80) || r.closed) o.firstBlockedAt = ctx.now();
      // Listen for the echo (a refused publish may still be checked: some brokers refuse late).
      const t0 = ctx.now();
      await sub.channel.collect(durationMs(p.listen), watch, () => d.delivered);
      d.listenedMs = Math.round(ctx.now() - t0);
      if (deliveredAt !== undefined) ctx.log(`the $SYS message was delivered to the subscriber`);
    } finally {
      pub.channel.close();
    }
  } finally {
    sub.channel.close();
  }
  return finish(ctx, o);
}

/**
 * yes: the publish was refused (PUBACK >= 0x80, a DISCONNECT, or the connection closed before any PUBACK),
 *      or it was acknowledged but never reached the `$SYS/#` subscriber whose subscription was granted;
 * no: the message was delivered to the subscriber;
 * unknown: the subscriber could not watch (`$SYS/#` refused or no SUBACK) and the publish was acknowledged,
 *          or the inject could not connect.
 */
function resisted(_p: Params, o: InjectOutcome): Resistance {
  const d = o.detail as unknown as Partial<Detail>;
  if (d.delivered) return { resisted: 'no', detail: `a client message to ${d.topic} was delivered to a $SYS/# subscriber` };
  if (d.pubackCode !== undefined && d.pubackCode >= 0x80) return { resisted: 'yes', detail: `the broker refused the publish (PUBACK ${hex(d.pubackCode)})` };
  if (d.disconnectCode !== undefined) return { resisted: 'yes', detail: `the broker disconnected the publisher (DISCONNECT ${hex(d.disconnectCode)} ${d.disconnectName ?? ''})`.trim() };
  if (d.publisherClosed) return { resisted: 'yes', detail: 'the broker closed the publisher\'s connection before any PUBACK' };
  const watched = d.subscribeCode !== undefined && d.subscribeCode !== null && d.subscribeCode < 0x80;
  if (watched && (d.pubackCode !== undefined || d.pubackTimeout)) {
    return { resisted: 'yes', detail: `the publish was ${d.pubackTimeout ? 'not acknowledged' : 'acknowledged'} but not delivered to the granted $SYS/# subscription within ${d.listenedMs ?? 0} ms` };
  }
  if (o.error) return { resisted: 'unknown', detail: o.error };
  return { resisted: 'unknown', detail: `the $SYS/# subscription was ${d.subscribeCode === null ? 'not answered' : `refused (SUBACK ${hex(d.subscribeCode ?? 0x80)})`}, so delivery could not be watched` };
}

export const sysPublish: InjectKind<Params> = {
  kind: 'sys-publish',
  title: 'Publish into $SYS',
  mqtt5: [],
  params: Params,
  describe: (p) => `one QoS 1${p.retain ? ' retained' : ''} publish to ${p.topicPrefix}/<random>, watched by a $SYS/# subscriber`,
  // Two connections, plus one 3.1.1 retry when the broker refuses MQTT 5.
  demand: () => ({ connections: 3, failedLogins: 0 }),
  run,
  resisted,
};
