/**
 * Collector: the non-intrusive MQTT probe of one endpoint.
 *
 * One anonymous CONNECT (MQTT 5, falling back to 3.1.1), one session with the
 * configured identity that subscribes to `#` and `$SYS/#` and listens for a
 * short bounded window, one publish to a unique `$SYS/mqtt-warden-probe/...`
 * topic, and one CONNECT with a zero-length client ID. Payloads are kept only
 * with showPayloads.
 */
import { randomBytes } from 'node:crypto';
import type { IConnackPacket, IPubackPacket, IPublishPacket, ISubackPacket, Packet } from 'mqtt-packet';
import type { BrokerIdentity, ConnackSummary, MqttProbe, SubscriptionResult, WildcardCanary } from '../../core/facts.js';
import type { Endpoint } from '../../core/types.js';
import {
  ProbeError,
  connackCodeName,
  mqttConnect,
  type ConnectOutcome,
  type MqttChannel,
  type ProtocolVersion,
  type TransportOptions,
} from './channel.js';

export interface Credentials {
  username: string;
  password?: string;
}

export interface ProbeOptions extends TransportOptions {
  credentials?: Credentials;
  /** How long the session listens for messages after subscribing. */
  windowMs: number;
  showPayloads: boolean;
  /** Topic for the wildcard canary; default: a random topic under a random root. */
  canaryTopic?: string;
}

const MAX_SAMPLES = 50;
const MAX_PAYLOAD_SAMPLE = 256;

export function randomClientId(prefix = 'mqtt-warden'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function summarize(outcome: Extract<ConnectOutcome, { kind: 'connack' }>): ConnackSummary {
  return {
    protocolVersion: outcome.protocolVersion,
    code: outcome.code,
    codeName: connackCodeName(outcome.code, outcome.protocolVersion),
    accepted: outcome.accepted,
  };
}

/** v5 "unsupported protocol version", or the 3.1.1 code a v3-only broker sends. */
function refusedVersion(o: ConnectOutcome): boolean {
  return o.kind === 'connack' && ((o.protocolVersion === 5 && o.code === 0x84) || (o.protocolVersion === 4 && o.code === 1));
}

/**
 * Finds the protocol version the broker speaks with an anonymous CONNECT.
 * Throws when the endpoint does not answer MQTT at all (that is an ERROR, not a verdict).
 */
async function negotiate(
  ep: Endpoint,
  opts: ProbeOptions,
): Promise<{ version: ProtocolVersion; v5: boolean; outcome: Extract<ConnectOutcome, { kind: 'connack' }>; channel: MqttChannel | null }> {
  const first = await mqttConnect(ep, 5, { clientId: randomClientId() }, opts);
  if (first.outcome.kind === 'connack' && !refusedVersion(first.outcome) && first.outcome.protocolVersion === 5) {
    return { version: 5, v5: true, outcome: first.outcome, channel: first.channel };
  }
  first.channel?.close();
  const second = await mqttConnect(ep, 4, { clientId: randomClientId() }, opts);
  if (second.outcome.kind === 'connack' && !refusedVersion(second.outcome)) {
    return { version: 4, v5: false, outcome: second.outcome, channel: second.channel };
  }
  second.channel?.close();
  const why = (o: ConnectOutcome) => (o.kind === 'connack' ? `CONNACK code ${o.code}` : o.error.message);
  throw new ProbeError(
    'malformed',
    `${ep.uri} does not answer MQTT: MQTT 5 CONNECT → ${why(first.outcome)}; MQTT 3.1.1 CONNECT → ${why(second.outcome)}`,
  );
}

function subAckCode(suback: ISubackPacket, i: number): number {
  const g = suback.granted[i];
  return typeof g === 'number' ? g : ((g as { qos?: number } | undefined)?.qos ?? 0x80);
}

function topicMatches(filter: string, topic: string): boolean {
  if (filter === '#') return !topic.startsWith('$');
  if (filter === '$SYS/#') return topic.startsWith('$SYS/');
  return filter === topic;
}

function identify(connack: IConnackPacket | undefined, sysTopics: Map<string, Buffer>): BrokerIdentity {
  const sources: string[] = [];
  let version: string | undefined;
  let product: BrokerIdentity['product'] = 'unknown';
  const mosq = sysTopics.get('$SYS/broker/version');
  if (mosq) {
    version = mosq.toString('utf8').slice(0, 200);
    sources.push('$SYS/broker/version');
  }
  for (const [topic, payload] of sysTopics) {
    if (!version && /^\$SYS\/brokers\/[^/]+\/version$/.test(topic)) {
      version = `emqx ${payload.toString('utf8').slice(0, 100)}`;
      sources.push(topic);
    }
  }
  const topics = [...sysTopics.keys()];
  if (version && /mosquitto/i.test(version)) product = 'mosquitto';
  else if (version && /^emqx/i.test(version)) product = 'emqx';
  else if (version && /vernemq/i.test(version)) product = 'vernemq';
  else if (topics.some((t) => t.startsWith('$SYS/broker/'))) {
    product = 'mosquitto';
    sources.push('$SYS/broker/* topic layout');
  } else if (topics.some((t) => t.startsWith('$SYS/brokers/'))) {
    product = 'emqx';
    sources.push('$SYS/brokers/* topic layout');
  } else if (topics.some((t) => /^\$SYS\/[^/]+\/(heartbeat|uptime|clients\/total)$/.test(t))) {
    product = 'aedes';
    sources.push('$SYS/<id>/heartbeat topic layout');
  }
  const props = connack?.properties as Record<string, unknown> | undefined;
  if (props && Object.keys(props).length) {
    sources.push('MQTT 5 CONNACK properties');
    const ref = props.assignedClientIdentifier;
    if (product === 'unknown' && typeof ref === 'string' && /^auto-[0-9A-F-]{36}$/i.test(ref)) product = 'mosquitto';
  }
  const connackProperties = props ? Object.fromEntries(Object.entries(props).filter(([k]) => k !== 'authenticationData')) : undefined;
  return { product, ...(version ? { version } : {}), sources, ...(connackProperties ? { connackProperties } : {}) };
}

type SysWrite = MqttProbe['sysWrite'];

function publishQos1(channel: MqttChannel, topic: string, payload: string): Promise<{ code?: number; error?: string }> {
  const messageId = channel.messageId();
  channel.send({ cmd: 'publish', topic, payload: Buffer.from(payload), qos: 1, retain: false, dup: false, messageId });
  return channel
    .waitFor((p): p is IPubackPacket => p.cmd === 'puback' && p.messageId === messageId, 'PUBACK')
    .then((p) => ({ code: p.reasonCode ?? 0 }))
    .catch((e: Error) => ({ error: e.message }));
}

async function subscribe(channel: MqttChannel, topic: string): Promise<number> {
  const messageId = channel.messageId();
  channel.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic, qos: 0 }] });
  const suback = await channel.waitFor((p): p is ISubackPacket => p.cmd === 'suback' && p.messageId === messageId, 'SUBACK');
  return subAckCode(suback, 0);
}

/**
 * Runs the subscription window on an accepted session: `#` and `$SYS/#`, and
 * the wildcard canary (see WildcardCanary).
 */
async function sessionProbe(
  channel: MqttChannel,
  opts: ProbeOptions,
): Promise<{ wildcard: SubscriptionResult; sys: SubscriptionResult; canary: WildcardCanary; sysTopics: Map<string, Buffer> }> {
  const version = channel.protocolVersion;
  const filters = ['#', '$SYS/#'] as const;
  const codes = await Promise.all(filters.map((f) => subscribe(channel, f)));
  const canaryTopic = opts.canaryTopic ?? `mqtt-warden-canary-${randomBytes(6).toString('hex')}/probe`;
  const canaryAck = publishQos1(channel, canaryTopic, 'mqtt-warden wildcard canary');
  const sysTopics = new Map<string, Buffer>();
  const results = filters.map((filter, i): SubscriptionResult => ({
    filter,
    granted: codes[i]! < 0x80,
    code: codes[i]!,
    messages: 0,
    topics: 0,
    retained: 0,
    ...(opts.showPayloads ? { samples: [] } : {}),
  }));
  const seen = filters.map(() => new Set<string>());
  let canaryDelivered = false;
  await channel.collect(opts.windowMs, (p: Packet) => {
    if (p.cmd !== 'publish') return;
    const pub = p as IPublishPacket;
    const payload = Buffer.isBuffer(pub.payload) ? pub.payload : Buffer.from(pub.payload);
    if (pub.topic === canaryTopic && !pub.retain) {
      canaryDelivered = true;
      return;
    }
    if (pub.topic.startsWith('$SYS/') && sysTopics.size < 2000) sysTopics.set(pub.topic, payload);
    filters.forEach((f, i) => {
      if (!topicMatches(f, pub.topic)) return;
      const r = results[i]!;
      r.messages++;
      seen[i]!.add(pub.topic);
      if (pub.retain) r.retained++;
      if (r.samples && r.samples.length < MAX_SAMPLES) {
        r.samples.push({ topic: pub.topic, payload: payload.subarray(0, MAX_PAYLOAD_SAMPLE).toString('utf8'), retain: pub.retain });
      }
    });
  });
  const ack = await canaryAck;
  results.forEach((r, i) => (r.topics = seen[i]!.size));
  const canary: WildcardCanary = {
    topic: opts.canaryTopic ? canaryTopic : 'mqtt-warden-canary-<random>/probe',
    publish: version === 5 && ack.code !== undefined ? (ack.code >= 0x80 ? 'refused' : 'accepted') : 'unknown',
    ...(version === 5 && ack.code !== undefined ? { pubackCode: ack.code } : {}),
    delivered: canaryDelivered,
  };
  return { wildcard: results[0]!, sys: results[1]!, canary, sysTopics };
}

/**
 * The $SYS write test, on a connection of its own (some brokers, Aedes among
 * them, drop a client that publishes into $SYS): subscribe to one unique
 * $SYS topic, publish one non-retained QoS 1 message to it, watch the outcome.
 */
async function sysWriteProbe(ep: Endpoint, version: ProtocolVersion, creds: Credentials | undefined, opts: ProbeOptions): Promise<SysWrite> {
  const r = await mqttConnect(ep, version, { clientId: randomClientId(), ...credentialParams(creds) }, opts);
  if (!r.channel) {
    const why = r.outcome.kind === 'connack' ? connackCodeName(r.outcome.code, r.outcome.protocolVersion) : r.outcome.error.message;
    return { tested: false, reason: `the identity used could not connect: ${why}`, ...(r.outcome.kind === 'connack' ? {} : { error: true as const }) };
  }
  const channel = r.channel;
  try {
    const topic = `$SYS/mqtt-warden-probe/${randomBytes(8).toString('hex')}`;
    const subCode = await subscribe(channel, topic);
    const ack = publishQos1(channel, topic, 'mqtt-warden $SYS write probe');
    let echoed = false;
    await channel.collect(opts.windowMs, (p) => {
      if (p.cmd === 'publish' && (p as IPublishPacket).topic === topic) echoed = true;
    });
    const { code, error } = await ack;
    if (echoed) return { tested: true, outcome: 'delivered', detail: `a client message to ${topic} was delivered to its $SYS subscriber` };
    if (version === 5 && code !== undefined && code >= 0x80) {
      return { tested: true, outcome: 'refused', detail: `PUBACK reason code 0x${code.toString(16)}` };
    }
    if (channel.closed && error) return { tested: true, outcome: 'refused', detail: `the broker dropped the connection after the publish (${error})` };
    if (subCode < 0x80 && code !== undefined) {
      return {
        tested: true,
        outcome: 'not-delivered',
        detail: `the broker acknowledged the publish but did not deliver it to the granted $SYS subscription within ${opts.windowMs} ms`,
      };
    }
    return {
      tested: true,
      outcome: 'unknown',
      detail: error ?? 'the $SYS subscription was refused, so delivery could not be observed (MQTT 3.1.1 has no PUBACK reason code)',
    };
  } catch (e) {
    return { tested: false, reason: `the $SYS write test ended early: ${(e as Error).message}`, error: true };
  } finally {
    channel.close();
  }
}

function credentialParams(creds: Credentials | undefined) {
  return creds ? { username: creds.username, ...(creds.password !== undefined ? { password: creds.password } : {}) } : {};
}

export async function probeEndpoint(ep: Endpoint, opts: ProbeOptions): Promise<MqttProbe> {
  const neg = await negotiate(ep, opts);
  const version = neg.version;
  const anonymous = summarize(neg.outcome);
  const creds = opts.credentials;
  let session: MqttChannel | null = null;
  let sessionConnack: IConnackPacket | undefined;
  let credentialed: ConnackSummary | undefined;
  let noSessionReason = '';

  if (creds) {
    neg.channel?.close();
    const r = await mqttConnect(ep, version, { clientId: randomClientId(), ...credentialParams(creds) }, opts);
    if (r.outcome.kind === 'connack') {
      credentialed = summarize(r.outcome);
      if (r.outcome.accepted) {
        session = r.channel;
        sessionConnack = r.outcome.connack;
      } else noSessionReason = `the broker refused the credentials of "${creds.username}" (${credentialed.codeName})`;
    } else noSessionReason = `no CONNACK for "${creds.username}": ${r.outcome.error.message}`;
  } else if (neg.channel) {
    session = neg.channel;
    sessionConnack = neg.outcome.connack;
  } else {
    noSessionReason = `anonymous clients are refused (${anonymous.codeName}) and no credentials were given (--username)`;
  }

  // These two run beside the session probe. They never reject: a rejection
  // left unawaited while the session probe throws would end the process.
  const broke = (what: string) => (e: unknown) => ({ tested: false as const, reason: `${what}: ${(e as Error).message}`, error: true as const });
  const zeroLength = (async (): Promise<MqttProbe['zeroLengthClientId']> => {
    const r = await mqttConnect(ep, version, { clientId: '', clean: true, ...credentialParams(creds) }, opts);
    r.channel?.close();
    if (r.outcome.kind !== 'connack') return { tested: false, reason: `no CONNACK: ${r.outcome.error.message}`, error: true };
    const s = summarize(r.outcome);
    const idRefused = (version === 4 && s.code === 2) || (version === 5 && s.code === 0x85);
    if (!s.accepted && !idRefused) {
      return { tested: false, reason: `the identity used was refused (${s.codeName}), so client-ID handling could not be observed` };
    }
    const assigned = r.outcome.connack.properties?.assignedClientIdentifier;
    return { tested: true, accepted: s.accepted, code: s.code, codeName: s.codeName, ...(assigned ? { assignedClientId: assigned } : {}) };
  })().catch(broke('the zero-length client ID test failed'));

  const sysWrite: Promise<SysWrite> = session
    ? sysWriteProbe(ep, version, creds, opts).catch(broke('the $SYS write test failed'))
    : Promise.resolve({ tested: false, reason: noSessionReason });

  let sessionResult: MqttProbe['session'];
  let sysTopics = new Map<string, Buffer>();
  if (session) {
    try {
      const s = await sessionProbe(session, opts);
      sessionResult = { tested: true, wildcard: s.wildcard, sys: s.sys, canary: s.canary, windowMs: opts.windowMs };
      sysTopics = s.sysTopics;
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') throw e;
      sessionResult = { tested: false, reason: `the session ended during the subscription probe: ${(e as Error).message}`, error: true };
    } finally {
      session.close();
    }
  } else {
    sessionResult = { tested: false, reason: noSessionReason };
  }

  const [sysWriteResult, zeroLengthResult] = await Promise.all([sysWrite, zeroLength]);
  // A deadline that struck a side probe makes the whole probe fail, as it does for the session.
  if (opts.signal?.aborted) throw new ProbeError('aborted', 'aborted: the target deadline was reached');
  return {
    endpoint: ep.uri,
    tls: ep.scheme === 'mqtts' || ep.scheme === 'wss',
    protocol: { v5: neg.v5, used: version },
    anonymous,
    identity: creds ? creds.username : 'anonymous',
    ...(credentialed ? { credentialed } : {}),
    session: sessionResult,
    sysWrite: sysWriteResult,
    zeroLengthClientId: zeroLengthResult,
    broker: identify(sessionConnack ?? neg.outcome.connack, sysTopics),
  };
}
