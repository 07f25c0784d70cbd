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
import type { BrokerIdentity, ConnackSummary, MqttProbe, SubscriptionResult, Tested, WildcardCanary } from '../../core/facts.js';
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

/** Runs the subscription window on an accepted session. */
async function sessionProbe(
  channel: MqttChannel,
  opts: ProbeOptions,
): Promise<{
  wildcard: SubscriptionResult;
  sys: SubscriptionResult;
  canary: WildcardCanary;
  sysWrite: Tested<{ outcome: 'delivered' | 'refused' | 'not-delivered' | 'unknown'; detail: string }>;
  sysTopics: Map<string, Buffer>;
}> {
  const version = channel.protocolVersion;
  const filters = ['#', '$SYS/#'];
  const subIds = filters.map(() => channel.messageId());
  filters.forEach((topic, i) =>
    channel.send({ cmd: 'subscribe', messageId: subIds[i]!, subscriptions: [{ topic, qos: 0 }] }),
  );
  const subacks = await Promise.all(
    subIds.map((id) => channel.waitFor((p): p is ISubackPacket => p.cmd === 'suback' && p.messageId === id, 'SUBACK')),
  );
  const codes = subacks.map((s) => subAckCode(s, 0));
  // $SYS write test: a unique, non-retained QoS 1 message.
  const probeTopic = `$SYS/mqtt-warden-probe/${randomBytes(8).toString('hex')}`;
  const pubId = channel.messageId();
  channel.send({
    cmd: 'publish',
    topic: probeTopic,
    payload: Buffer.from('mqtt-warden $SYS write probe'),
    qos: 1,
    retain: false,
    dup: false,
    messageId: pubId,
  });
  // Wildcard canary: an arbitrary topic the identity should not be able to read back through `#`.
  const canaryTopic = opts.canaryTopic ?? `mqtt-warden-canary-${randomBytes(6).toString('hex')}/probe`;
  const canaryId = channel.messageId();
  channel.send({
    cmd: 'publish',
    topic: canaryTopic,
    payload: Buffer.from('mqtt-warden wildcard canary'),
    qos: 1,
    retain: false,
    dup: false,
    messageId: canaryId,
  });
  const puback = (id: number) =>
    channel
      .waitFor((p): p is IPubackPacket => p.cmd === 'puback' && p.messageId === id, 'PUBACK')
      .then((p) => ({ code: p.reasonCode ?? 0, error: undefined }))
      .catch((e: Error) => ({ code: undefined, error: e.message }));
  const acks = Promise.all([puback(pubId), puback(canaryId)]);
  const packets: Packet[] = await channel.collect(opts.windowMs);
  const [sysAck, canaryAck] = await acks;
  const pubackCode = sysAck.code;
  const pubackError = sysAck.error;

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
  let echoed = false;
  let canaryDelivered = false;
  for (const p of packets) {
    if (p.cmd !== 'publish') continue;
    const pub = p as IPublishPacket;
    const payload = Buffer.isBuffer(pub.payload) ? pub.payload : Buffer.from(pub.payload);
    if (pub.topic === probeTopic) {
      echoed = true;
      continue;
    }
    if (pub.topic === canaryTopic && !pub.retain) {
      canaryDelivered = true;
      continue;
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
  }
  results.forEach((r, i) => (r.topics = seen[i]!.size));

  let sysWrite: Tested<{ outcome: 'delivered' | 'refused' | 'not-delivered' | 'unknown'; detail: string }>;
  if (echoed) {
    sysWrite = { tested: true, outcome: 'delivered', detail: `a client message to ${probeTopic} was delivered to $SYS subscribers` };
  } else if (version === 5 && pubackCode !== undefined && pubackCode >= 0x80) {
    sysWrite = { tested: true, outcome: 'refused', detail: `PUBACK reason code 0x${pubackCode.toString(16)}` };
  } else if (results[1]!.granted && pubackError === undefined) {
    sysWrite = {
      tested: true,
      outcome: 'not-delivered',
      detail: `the broker acknowledged the publish but did not deliver it to the granted $SYS/# subscription within ${opts.windowMs} ms`,
    };
  } else {
    sysWrite = {
      tested: true,
      outcome: 'unknown',
      detail: pubackError ?? 'the $SYS/# subscription was refused, so delivery could not be observed (MQTT 3.1.1 has no PUBACK reason code)',
    };
  }
  const canary: WildcardCanary = {
    topic: opts.canaryTopic ? canaryTopic : 'mqtt-warden-canary-<random>/probe',
    publish: version === 5 && canaryAck.code !== undefined ? (canaryAck.code >= 0x80 ? 'refused' : 'accepted') : 'unknown',
    ...(canaryAck.code !== undefined && version === 5 ? { pubackCode: canaryAck.code } : {}),
    delivered: canaryDelivered,
  };
  return { wildcard: results[0]!, sys: results[1]!, canary, sysWrite, sysTopics };
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
    const r = await mqttConnect(ep, version, { clientId: randomClientId(), username: creds.username, ...(creds.password !== undefined ? { password: creds.password } : {}) }, opts);
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

  const zeroLength = (async (): Promise<MqttProbe['zeroLengthClientId']> => {
    const r = await mqttConnect(ep, version, { clientId: '', clean: true, ...(creds ? { username: creds.username, ...(creds.password !== undefined ? { password: creds.password } : {}) } : {}) }, opts);
    r.channel?.close();
    if (r.outcome.kind !== 'connack') return { tested: false, reason: `no CONNACK: ${r.outcome.error.message}` };
    const s = summarize(r.outcome);
    const idRefused = (version === 4 && s.code === 2) || (version === 5 && s.code === 0x85);
    if (!s.accepted && !idRefused) {
      return { tested: false, reason: `the identity used was refused (${s.codeName}), so client-ID handling could not be observed` };
    }
    const assigned = r.outcome.connack.properties?.assignedClientIdentifier;
    return { tested: true, accepted: s.accepted, code: s.code, codeName: s.codeName, ...(assigned ? { assignedClientId: assigned } : {}) };
  })();

  let sessionResult: MqttProbe['session'];
  let sysWrite: MqttProbe['sysWrite'];
  let sysTopics = new Map<string, Buffer>();
  if (session) {
    try {
      const s = await sessionProbe(session, opts);
      sessionResult = { tested: true, wildcard: s.wildcard, sys: s.sys, canary: s.canary, windowMs: opts.windowMs };
      sysWrite = s.sysWrite;
      sysTopics = s.sysTopics;
    } catch (e) {
      if (e instanceof ProbeError && e.kind === 'aborted') throw e;
      const reason = `the session ended during the subscription probe: ${(e as Error).message}`;
      sessionResult = { tested: false, reason };
      sysWrite = { tested: false, reason };
    } finally {
      session.close();
    }
  } else {
    sessionResult = { tested: false, reason: noSessionReason };
    sysWrite = { tested: false, reason: noSessionReason };
  }

  return {
    endpoint: ep.uri,
    tls: ep.scheme === 'mqtts' || ep.scheme === 'wss',
    protocol: { v5: neg.v5, used: version },
    anonymous,
    identity: creds ? creds.username : 'anonymous',
    ...(credentialed ? { credentialed } : {}),
    session: sessionResult,
    sysWrite,
    zeroLengthClientId: await zeroLength,
    broker: identify(sessionConnack ?? neg.outcome.connack, sysTopics),
  };
}
