/**
 * subscription-sweep: one client SUBSCRIBEs to `#`, `$SYS/#` and a list of topic filters, one SUBSCRIBE per
 * filter (so every filter has its own SUBACK code), publishes a canary message and listens for a window.
 * A broker may grant a subscription and still withhold what its ACL does not let the client read (Mosquitto
 * checks read access per message, not per subscription), so the deliveries, not only the SUBACK codes, say
 * whether the sweep got anything.
 */
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { IPubackPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet';
import { DurationSchema, durationMs, type InjectKind, type InjectOutcome } from '../model.js';
import { connectOnce } from '../net.js';
// MQTT's own matching rule ($ topics apart from wildcards) is Mosquitto's; see src/acl/topic.ts.
import { mosquittoMatches as matchesFilter } from '../../acl/topic.js';

export const SubscriptionSweepParams = z
  .object({
    /** Filters to try besides `#` and `$SYS/#`. */
    filters: z.array(z.string().min(1).max(1024)).max(50).default([]),
    /** Leave out `#` and `$SYS/#` (only `filters`). */
    onlyListed: z.boolean().default(false),
    /**
     * Topic of the canary message the sweeping client publishes (QoS 1) after subscribing: delivered back
     * through a wildcard, it proves the broker hands out what the filter matches. The client must be allowed
     * to publish there for the canary to mean something.
     */
    canaryTopic: z.string().min(1).default('mqtt-warden/drill/canary'),
    canary: z.boolean().default(true),
    /** How long to listen for deliveries. */
    window: DurationSchema.default('2s'),
    protocol: z.union([z.literal(4), z.literal(5)]).default(4),
  })
  .strict();
export type SubscriptionSweepParams = z.infer<typeof SubscriptionSweepParams>;

function filtersOf(p: SubscriptionSweepParams): string[] {
  return [...new Set([...(p.onlyListed ? [] : ['#', '$SYS/#']), ...p.filters])];
}

interface FilterResult {
  filter: string;
  /** SUBACK code (0–2 granted QoS, ≥ 0x80 refused) or why none came. */
  code?: number;
  granted: boolean;
  error?: string;
  /** Messages delivered that this filter matches. */
  delivered: number;
}

export const subscriptionSweep: InjectKind<SubscriptionSweepParams> = {
  kind: 'subscription-sweep',
  title: 'Wildcard and $SYS subscription sweep',
  mqtt5: ['topic-scanning'],
  params: SubscriptionSweepParams as z.ZodType<SubscriptionSweepParams>,
  describe: (p) => `SUBSCRIBE to ${filtersOf(p).join(', ')}${p.canary ? ` and publish a canary on ${p.canaryTopic}` : ''}; listen ${String(p.window)}`,
  demand: () => ({ connections: 1, failedLogins: 0 }),

  async run(p, ctx) {
    const source = ctx.sources[0];
    const startedAt = ctx.now();
    const out: InjectOutcome = { startedAt, endedAt: startedAt, sources: [source], connections: 0, failedLogins: 0, detail: {} };
    const finish = (detail: Record<string, unknown>) => ((out.endedAt = ctx.now()), (out.detail = detail), out);
    if (!(await ctx.budget.connection())) {
      out.stoppedBy = ctx.signal.aborted ? 'deadline' : 'budget';
      return finish({});
    }
    out.connections++;
    const identity = ctx.client?.username ? `user ${ctx.client.username}` : 'anonymous';
    const r = await connectOnce(ctx, source, { ...(ctx.client?.username !== undefined && { username: ctx.client.username }), ...(ctx.client?.password !== undefined && { password: ctx.client.password }) }, p.protocol);
    if (r.kind === 'aborted') {
      out.stoppedBy = 'abort';
      return finish({ identity });
    }
    if (r.kind !== 'connack' || !r.accepted || !r.channel) {
      out.stoppedBy = 'error';
      out.error = r.kind === 'connack' ? `the broker refused the ${identity} connection: CONNACK ${r.code} (${r.name})` : `${r.kind}: ${r.detail}`;
      return finish({ identity, connect: r.kind === 'connack' ? { code: r.code, name: r.name } : r.kind });
    }
    const ch = r.channel;
    const filters: FilterResult[] = [];
    const deliveredTopics = new Map<string, number>();
    let canary: { topic: string; published: boolean; delivered: boolean; error?: string } | undefined;
    try {
      for (const filter of filtersOf(p)) {
        if (ctx.signal.aborted) break;
        const messageId = ch.messageId();
        out.firstAttackAt ??= ctx.now();
        try {
          ch.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic: filter, qos: 0 }] } as Packet);
          const ack = await ch.waitFor((x): x is ISubackPacket => x.cmd === 'suback' && x.messageId === messageId, `SUBACK for ${filter}`);
          const code = ack.granted[0] as number;
          filters.push({ filter, code, granted: code < 0x80, delivered: 0 });
        } catch (e) {
          filters.push({ filter, granted: false, error: (e as Error).message, delivered: 0 });
          if (ch.failure) break;
        }
      }
      const count = (pkt: Packet) => {
        if (pkt.cmd !== 'publish') return;
        const topic = (pkt as IPublishPacket).topic;
        deliveredTopics.set(topic, (deliveredTopics.get(topic) ?? 0) + 1);
      };
      if (p.canary && !ch.failure && !ctx.signal.aborted) {
        const topic = `${p.canaryTopic}/${randomBytes(4).toString('hex')}`;
        canary = { topic, published: false, delivered: false };
        const messageId = ch.messageId();
        try {
          ch.send({ cmd: 'publish', topic, payload: Buffer.from('mqtt-warden drill canary'), qos: 1, retain: false, dup: false, messageId });
          await ch.waitFor((x): x is IPubackPacket => x.cmd === 'puback' && x.messageId === messageId, 'PUBACK of the canary');
          canary.published = true;
        } catch (e) {
          canary.error = (e as Error).message;
        }
      }
      if (!ch.failure) await ch.collect(durationMs(p.window), count, undefined, undefined);
    } finally {
      ch.close();
    }
    for (const f of filters) for (const [t, n] of deliveredTopics) if (matchesFilter(f.filter, t)) f.delivered += n;
    if (canary) canary.delivered = deliveredTopics.has(canary.topic);
    const delivered = [...deliveredTopics.values()].reduce((a, b) => a + b, 0);
    if (ctx.signal.aborted) out.stoppedBy = 'abort';
    return finish({
      identity,
      filters,
      delivered,
      // Topic names, never payloads; bounded.
      deliveredTopics: [...deliveredTopics.keys()].slice(0, 20),
      ...(canary && { canary }),
    });
  },

  resisted(_p, o) {
    const filters = (o.detail.filters ?? []) as FilterResult[];
    const canary = o.detail.canary as { published: boolean; delivered: boolean } | undefined;
    if (!filters.length) return { resisted: 'unknown', detail: o.error ? `the sweep could not run: ${o.error}` : 'no SUBSCRIBE was answered' };
    const got = filters.filter((f) => f.delivered > 0);
    if (got.length) return { resisted: 'no', detail: `delivered through ${got.map((f) => `${f.filter} (${f.delivered})`).join(', ')}` };
    const granted = filters.filter((f) => f.granted);
    if (!granted.length) return { resisted: 'yes', detail: `every filter refused: ${filters.map((f) => `${f.filter} → ${f.code !== undefined ? `0x${f.code.toString(16)}` : f.error}`).join(', ')}` };
    if (canary?.published) return { resisted: 'yes', detail: `${granted.map((f) => f.filter).join(', ')} granted, but nothing was delivered, not even the canary (the ACL withholds each message)` };
    return { resisted: 'unknown', detail: `${granted.map((f) => f.filter).join(', ')} granted and nothing delivered, but no canary could be published to tell whether the broker withholds messages` };
  },
};
