/**
 * `acl verify`: predict, then ask the live broker. Every identity connects once (MQTT 5, else
 * 3.1.1), subscribes to every test topic (the SUBACK answers "subscribe"), publishes one canary
 * per topic at QoS 1 (the PUBACK reason code answers "write" under MQTT 5; a connection the broker
 * closes after the PUBLISH is a refusal too), and whatever canaries reach it answer "read".
 *
 * Bounded: at most MAX_IDENTITIES identities and MAX_TOPICS topics, a timeout on every wait, and
 * one deadline for the whole run (an AbortSignal every connection honours). Canaries go only to the
 * test topics, are never retained, and carry "mqtt-warden acl verify" and a run nonce. Passwords
 * are sent to the broker and nowhere else.
 */
import { randomBytes } from 'node:crypto';
import type { IPublishPacket, IPubackPacket, ISubackPacket, Packet } from 'mqtt-packet';
import { mqttConnect, ProbeError, type MqttChannel, type ProtocolVersion } from '../collectors/mqtt/channel.js';
import type { Endpoint } from '../core/types.js';
import { decidedBy, type AclAction, type AclEvaluator, type Decision, type Identity } from './model.js';

export const MAX_IDENTITIES = 20;
export const MAX_TOPICS = 40;

export interface VerifyIdentity {
  /** How the report names it (never the password). */
  name: string;
  username?: string;
  password?: string;
  clientId: string;
}

export interface VerifyOptions {
  timeoutMs: number;
  /** Deadline of the whole run. */
  maxSeconds: number;
  /** How long to wait for canaries after the last publish. */
  settleMs: number;
}

export interface Observation {
  identity: string;
  action: AclAction;
  topic: string;
  predicted: boolean;
  predictedBy: string;
  /** undefined: the broker's answer could not be observed (reason in `how`). */
  observed?: boolean;
  how: string;
  agrees?: boolean;
}

export interface VerifyResult {
  observations: Observation[];
  disagreements: Observation[];
  untested: Observation[];
  notes: string[];
}

const PAYLOAD = 'mqtt-warden acl verify';

interface Session {
  v: VerifyIdentity;
  id: Identity;
  channel: MqttChannel | null;
  version: ProtocolVersion;
  /** Why it could not connect. */
  refused?: string;
  received: Set<string>;
  /** The broker closed the connection and reconnecting failed: later deliveries cannot be observed. */
  lost?: string;
}

function track(s: Session, nonce: string) {
  return (p: Packet) => {
    if (p.cmd !== 'publish') return;
    const pub = p as IPublishPacket;
    if (String(pub.payload).startsWith(`${PAYLOAD} ${nonce}`)) s.received.add(pub.topic);
  };
}

async function open(ep: Endpoint, v: VerifyIdentity, opts: VerifyOptions, signal: AbortSignal): Promise<{ channel: MqttChannel | null; version: ProtocolVersion; refused?: string }> {
  const params = { clientId: v.clientId, ...(v.username !== undefined ? { username: v.username } : {}), ...(v.password !== undefined ? { password: v.password } : {}), clean: true };
  let version: ProtocolVersion = 5;
  let r = await mqttConnect(ep, 5, params, { timeoutMs: opts.timeoutMs, signal });
  // A broker without MQTT 5 refuses the protocol version (3.1.1 code 1): speak 3.1.1.
  if (r.outcome.kind === 'connack' && !r.outcome.accepted && (r.outcome.code === 1 || r.outcome.code === 0x84)) {
    version = 4;
    r = await mqttConnect(ep, 4, params, { timeoutMs: opts.timeoutMs, signal });
  }
  if (r.outcome.kind === 'no-connack') return { channel: null, version, refused: `no CONNACK (${r.outcome.error.message})` };
  if (!r.outcome.accepted) return { channel: null, version, refused: `CONNACK code 0x${r.outcome.code.toString(16)}` };
  return { channel: r.channel, version: r.outcome.protocolVersion };
}

/** The one evaluator's prediction for every identity × action × topic, then the broker's answers. */
export async function verifyAcl(ep: Endpoint, evaluator: AclEvaluator, identities: readonly VerifyIdentity[], topics: readonly string[], opts: VerifyOptions): Promise<VerifyResult> {
  if (identities.length > MAX_IDENTITIES) throw new Error(`at most ${MAX_IDENTITIES} identities per run (${identities.length} given)`);
  if (topics.length > MAX_TOPICS) throw new Error(`at most ${MAX_TOPICS} test topics per run (${topics.length} given)`);
  const nonce = randomBytes(6).toString('hex');
  const signal = AbortSignal.timeout(opts.maxSeconds * 1000);
  const notes: string[] = [];
  const observations: Observation[] = [];
  const predict = (s: Session, action: AclAction, topic: string): Decision => evaluator.evaluate(s.id, action, topic);
  const record = (s: Session, action: AclAction, topic: string, observed: boolean | undefined, how: string) => {
    const d = predict(s, action, topic);
    observations.push({ identity: s.v.name, action, topic, predicted: d.allowed, predictedBy: decidedBy(d), ...(observed !== undefined ? { observed, agrees: observed === d.allowed } : {}), how });
  };

  const sessions: Session[] = [];
  try {
    for (const v of identities) {
      const id: Identity = { ...(v.username !== undefined ? { username: v.username } : {}), clientId: v.clientId };
      const o = await open(ep, v, opts, signal);
      sessions.push({ v, id, channel: o.channel, version: o.version, ...(o.refused ? { refused: o.refused } : {}), received: new Set() });
    }
    // A refused connection: every answer is "no"; agreeing only if the model says it cannot connect.
    for (const s of sessions.filter((x) => x.refused)) {
      for (const t of topics) for (const a of ['subscribe', 'write', 'read'] as const) record(s, a, t, false, `could not connect: ${s.refused}`);
    }
    const live = sessions.filter((s) => s.channel);
    const subscribed = new Map<Session, Set<string>>();
    const subscribeAll = async (s: Session, first: boolean) => {
      const ok = new Set<string>();
      for (const t of topics) {
        const ch = s.channel!;
        const messageId = ch.messageId();
        ch.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic: t, qos: 0 }] });
        const ack = await ch.waitFor((p): p is ISubackPacket => p.cmd === 'suback' && p.messageId === messageId, `SUBACK for ${t}`);
        const code = ack.granted[0] as number;
        if (code < 0x80) ok.add(t);
        if (first) record(s, 'subscribe', t, code < 0x80, `SUBACK 0x${code.toString(16).padStart(2, '0')}`);
      }
      subscribed.set(s, ok);
    };
    for (const s of live) await subscribeAll(s, true);
    // Canaries: one per identity and topic; the broker's PUBACK (MQTT 5) or closing the connection answers "write".
    const accepted = new Map<string, boolean>();
    const writeSeen: { s: Session; topic: string; answer?: boolean; how: string }[] = [];
    for (const s of live) {
      for (const t of topics) {
        if (!s.channel) break;
        const ch = s.channel;
        const messageId = ch.messageId();
        ch.send({ cmd: 'publish', topic: t, payload: Buffer.from(`${PAYLOAD} ${nonce} ${s.v.name}`), qos: 1, retain: false, dup: false, messageId });
        try {
          const ack = await ch.waitFor((p): p is IPubackPacket => p.cmd === 'puback' && p.messageId === messageId, `PUBACK for ${t}`);
          const code = ack.reasonCode ?? 0;
          if (s.version === 5) {
            const ok = code < 0x80;
            writeSeen.push({ s, topic: t, answer: ok, how: `PUBACK 0x${code.toString(16).padStart(2, '0')}` });
            if (ok) accepted.set(t, true);
          } else writeSeen.push({ s, topic: t, how: 'PUBACK (MQTT 3.1.1 does not say whether the broker refused it)' });
        } catch (e) {
          if (!(e instanceof ProbeError) || e.kind === 'timeout' || e.kind === 'aborted') throw e;
          // The broker closed the connection after the PUBLISH: its way to refuse (EMQX deny_action = disconnect, Aedes).
          writeSeen.push({ s, topic: t, answer: false, how: `connection closed after PUBLISH (${e.message})` });
          // Keep the canaries the closed connection had already received, then reconnect.
          await ch.collect(0, track(s, nonce));
          const o = await open(ep, s.v, opts, signal);
          s.channel = o.channel;
          if (s.channel) await subscribeAll(s, false);
          else s.lost = o.refused ?? 'reconnect failed';
        }
      }
    }
    // Collect the canaries on every connection.
    await Promise.all(live.map((s) => (s.channel ? s.channel.collect(opts.settleMs, track(s, nonce)) : Promise.resolve(null))));
    for (const s of live) for (const t of s.received) accepted.set(t, true);
    for (const w of writeSeen) {
      if (w.answer !== undefined) record(w.s, 'write', w.topic, w.answer, w.how);
      else {
        const seen = live.some((x) => x.received.has(w.topic));
        record(w.s, 'write', w.topic, seen ? true : undefined, seen ? `${w.how}; a canary arrived` : `${w.how}; no identity received a canary on it`);
      }
    }
    for (const s of live) {
      for (const t of topics) {
        if (s.lost && !s.received.has(t)) {
          record(s, 'read', t, undefined, `could not reconnect after the broker closed the connection (${s.lost})`);
        } else if (!subscribed.get(s)?.has(t)) {
          record(s, 'read', t, undefined, 'its subscription was refused, so delivery cannot be observed');
        } else if (s.received.has(t)) record(s, 'read', t, true, 'a canary arrived');
        else if (accepted.get(t)) record(s, 'read', t, false, 'a canary was published there and did not arrive');
        else record(s, 'read', t, undefined, 'no identity could publish there, so delivery cannot be observed');
      }
    }
  } finally {
    for (const s of sessions) s.channel?.close();
  }
  if (signal.aborted) notes.push(`the run hit its ${opts.maxSeconds} s deadline`);
  const disagreements = observations.filter((o) => o.agrees === false);
  const untested = observations.filter((o) => o.observed === undefined);
  return { observations, disagreements, untested, notes };
}
