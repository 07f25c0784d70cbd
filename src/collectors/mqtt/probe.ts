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
import type { AnonymousProbe, BrokerIdentity, ConnackSummary, MqttProbe, SubscriptionResult, WildcardCanary } from '../../core/facts.js';
import type { Endpoint } from '../../core/types.js';
import { X509Certificate } from 'node:crypto';
import {
  ProbeError,
  connackCodeName,
  isDeliberateClose,
  mqttConnect,
  refusalKind,
  type ConnectOutcome,
  type ConnectParams,
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
/** After a PUBACK, listen at least this long (or 3 round trips) for the message to come back. */
const ECHO_GRACE_MS = 250;
const SYS_PROBE_PREFIX = '$SYS/mqtt-warden-probe/';
const MAX_PAYLOAD_SAMPLE = 256;

export function randomClientId(prefix = 'mqtt-warden'): string {
  return `${prefix}-${randomBytes(6).toString('hex')}`;
}

export function summarize(outcome: Extract<ConnectOutcome, { kind: 'connack' }>): ConnackSummary {
  const { code, protocolVersion: v, accepted } = outcome;
  return {
    protocolVersion: v,
    code,
    codeName: connackCodeName(code, v),
    accepted,
    ...(accepted ? {} : { refusal: refusalKind(code, v) }),
  };
}

/** v5 "unsupported protocol version", or the 3.1.1 code a v3-only broker sends. */
export function refusedVersion(o: ConnectOutcome): boolean {
  return o.kind === 'connack' && ((o.protocolVersion === 5 && o.code === 0x84) || (o.protocolVersion === 4 && o.code === 1));
}

/** CONNECT parameters that carry the identity (username, password), without the client ID. */
type IdentityParams = Omit<ConnectParams, 'clientId'>;

type Negotiated = { version: ProtocolVersion; v5: boolean; outcome: Extract<ConnectOutcome, { kind: 'connack' }>; channel: MqttChannel | null };

/**
 * Finds the protocol version the broker speaks (MQTT 5 first, then 3.1.1)
 * with one set of CONNECT parameters. Throws when the endpoint answers
 * neither with a CONNACK.
 */
/** One line naming the cause and the next step when a TLS server ended the connection over the client certificate. */
function certificateMessage(ep: Endpoint, errors: readonly ProbeError[]): string {
  if (errors.every((e) => e.clientCertificate === 'required')) return `${ep.uri}: this listener requires a client certificate: give --cert/--key`;
  const alert = /TLS alert [a-z ]+ \(alert \d+\)/.exec(errors[0]!.message)?.[0];
  return `${ep.uri}: this listener refused the client certificate given with --cert/--key${alert ? ` (${alert})` : ''}: check that its CA is in the listener's cafile and that it is valid`;
}

async function negotiate(ep: Endpoint, params: IdentityParams, opts: TransportOptions): Promise<Negotiated> {
  // A TLS refusal before any MQTT byte (TLS 1.2, or the WebSocket upgrade) rejects; over the certificate, say so.
  const connect = async (v: ProtocolVersion) => {
    try {
      return await mqttConnect(ep, v, { clientId: randomClientId(), ...params }, opts);
    } catch (e) {
      if (e instanceof ProbeError && e.clientCertificate) throw new NegotiationError(certificateMessage(ep, [e]), [e]);
      throw e;
    }
  };
  const first = await connect(5);
  if (first.outcome.kind === 'connack' && !refusedVersion(first.outcome) && first.outcome.protocolVersion === 5) {
    return { version: 5, v5: true, outcome: first.outcome, channel: first.channel };
  }
  first.channel?.close();
  const second = await connect(4);
  if (second.outcome.kind === 'connack' && !refusedVersion(second.outcome)) {
    return { version: 4, v5: false, outcome: second.outcome, channel: second.channel };
  }
  second.channel?.close();
  // The TLS server ended both attempts over the client certificate: say that, and what to do, in one line.
  const certErrors = [first.outcome, second.outcome].flatMap((o) => (o.kind === 'no-connack' && o.error.clientCertificate ? [o.error] : []));
  if (certErrors.length === 2) throw new NegotiationError(certificateMessage(ep, certErrors), certErrors);
  const why = (o: ConnectOutcome) => (o.kind === 'connack' ? `CONNACK code ${o.code}` : o.error.message);
  throw new NegotiationError(
    `${ep.uri} does not answer MQTT: MQTT 5 CONNECT → ${why(first.outcome)}; MQTT 3.1.1 CONNECT → ${why(second.outcome)}`,
    [first.outcome, second.outcome].flatMap((o) => (o.kind === 'no-connack' ? [o.error] : [])),
  );
}

/** Neither protocol version got a CONNACK; `causes` are the per-attempt errors (a CONNACK refusing the version has none). */
class NegotiationError extends ProbeError {
  constructor(
    message: string,
    readonly causes: ProbeError[],
  ) {
    super('malformed', message);
  }
}

/**
 * The anonymous attempts were ended on purpose by the broker (closed, or a TLS
 * alert refusing a client without certificate), not lost to silence or garbage.
 */
function deliberatelyDropped(e: unknown): boolean {
  if (e instanceof NegotiationError) return (e.causes.length === 2 || e.causes.some((c) => c.clientCertificate)) && e.causes.every(isDeliberateClose);
  return e instanceof ProbeError && isDeliberateClose(e);
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
 * Once everything awaited is here, the window still waits this long (or 3 round
 * trips) after the last retained message, so that the burst of retained
 * messages a subscription gets is heard to its end.
 */
const QUIET_MS = 100;

/**
 * Listens until what the window waits for has arrived, with `windowMs` as the
 * upper bound: the PUBACK of `ack`; the echo of that publish, or, when it was
 * accepted and did not come back, a grace period after the PUBACK (a few round
 * trips, at least ECHO_GRACE_MS) so that an echo cannot be missed on a slow or
 * remote broker, even past `windowMs`; `settled()` (e.g. the $SYS answer);
 * and a quiet time after the subscriptions and the last retained message (retained
 * messages stopped arriving; live traffic is only sampled). Resolves with the listening time; rejects with the reason when
 * the connection ended before the window did.
 */
async function listen(
  channel: MqttChannel,
  windowMs: number,
  ack: Promise<{ code?: number; error?: string }>,
  echoed: () => boolean,
  onPacket: (p: Packet) => void,
  settled: () => boolean = () => true,
): Promise<{ ms: number; ack: { code?: number; error?: string } }> {
  const t0 = performance.now();
  let ackAt: number | undefined;
  let acked: { code?: number; error?: string } = {};
  const timedAck = ack.then((a) => {
    ackAt = performance.now();
    acked = a;
  });
  let lastAt = t0;
  const sink = (p: Packet) => {
    // Live traffic never stops on a busy broker and the window only samples it; retained messages come once.
    if (p.cmd === 'publish' && p.retain) lastAt = performance.now();
    onPacket(p);
  };
  /** When the window may end, as known now (Infinity: not before the PUBACK). */
  const endAt = (): number => {
    if (ackAt === undefined) return Infinity;
    const rtt = ackAt - t0;
    const accepted = acked.code !== undefined && acked.code < 0x80;
    // An accepted publish gets a few round trips after its PUBACK to come back, whatever the window.
    const echoEnd = accepted && !echoed() ? ackAt + Math.max(ECHO_GRACE_MS, 3 * rtt) : 0;
    const early = settled() ? Math.max(ackAt, lastAt + Math.max(QUIET_MS, 3 * rtt)) : Infinity;
    return Math.max(echoEnd, Math.min(t0 + windowMs, early));
  };
  // Bounded: every turn waits until the end known then, or until the PUBACK (itself bounded
  // by the operation timeout) or a packet brings the end closer.
  let checked = false;
  for (;;) {
    const now = performance.now();
    const end = endAt();
    if (now >= end) {
      // Timers run before pending reads: let what already arrived be read before ending.
      if (checked) break;
      checked = true;
      const cut = await channel.collect(0, sink);
      if (cut) throw cut;
      continue;
    }
    checked = false;
    const wait = Number.isFinite(end) ? end - now : Math.max(t0 + windowMs - now, 100);
    const pending = ackAt === undefined;
    const sooner = () => (pending && ackAt !== undefined) || endAt() < end;
    const cut = await channel.collect(Math.max(1, Math.ceil(wait)), sink, sooner, pending ? timedAck : undefined);
    if (cut) throw cut;
  }
  return { ms: Math.round(performance.now() - t0), ack: acked };
}

/**
 * Runs the subscription window on an accepted session: `#` and `$SYS/#`, and
 * the wildcard canary (see WildcardCanary).
 */
async function sessionProbe(
  channel: MqttChannel,
  opts: ProbeOptions,
): Promise<{ wildcard: SubscriptionResult; sys: SubscriptionResult; canary: WildcardCanary; sysTopics: Map<string, Buffer>; ms: number }> {
  const version = channel.protocolVersion;
  const filters = ['#', '$SYS/#'] as const;
  const codes = await Promise.all(filters.map((f) => subscribe(channel, f)));
  const canaryTopic = opts.canaryTopic ?? `mqtt-warden-canary-${randomBytes(6).toString('hex')}/probe`;
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
  const onPacket = (p: Packet) => {
    if (p.cmd !== 'publish') return;
    const pub = p as IPublishPacket;
    const payload = Buffer.isBuffer(pub.payload) ? pub.payload : Buffer.from(pub.payload);
    if (pub.topic === canaryTopic && !pub.retain) {
      canaryDelivered = true;
      return;
    }
    // Echoes of our own $SYS write test (another connection) are not the broker's $SYS.
    if (pub.topic.startsWith(SYS_PROBE_PREFIX)) return;
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
  };
  // The $SYS answer is awaited while $SYS/# is granted; a broker that filters it per message keeps the whole window.
  const sysAnswered = () => !results[1]!.granted || results[1]!.messages > 0;
  const heard = await listen(channel, opts.windowMs, publishQos1(channel, canaryTopic, 'mqtt-warden wildcard canary'), () => canaryDelivered, onPacket, sysAnswered);
  results.forEach((r, i) => (r.topics = seen[i]!.size));
  const { code } = heard.ack;
  const canary: WildcardCanary = {
    topic: opts.canaryTopic ? canaryTopic : 'mqtt-warden-canary-<random>/probe',
    publish: version === 5 && code !== undefined ? (code >= 0x80 ? 'refused' : 'accepted') : 'unknown',
    ...(version === 5 && code !== undefined ? { pubackCode: code } : {}),
    delivered: canaryDelivered,
  };
  return { wildcard: results[0]!, sys: results[1]!, canary, sysTopics, ms: heard.ms };
}

/**
 * The $SYS write test, on a connection of its own (some brokers, Aedes among
 * them, drop a client that publishes into $SYS): subscribe to one unique
 * $SYS topic, publish one non-retained QoS 1 message to it, watch the outcome.
 * Verdicts: an echo (delivered); a reason code >= 0x80, a DISCONNECT saying
 * "not authorized", or the broker closing the connection after the PUBLISH and
 * before any PUBACK (refused). A granted SUBACK proves no read access on
 * brokers that filter per message, so silence is "unobserved"; everything
 * else broke the test (error).
 */
async function sysWriteProbe(ep: Endpoint, version: ProtocolVersion, params: IdentityParams, opts: TransportOptions): Promise<SysWrite> {
  const r = await mqttConnect(ep, version, { clientId: randomClientId(), ...params }, opts);
  if (!r.channel) {
    const why = r.outcome.kind === 'connack' ? connackCodeName(r.outcome.code, r.outcome.protocolVersion) : r.outcome.error.message;
    return { tested: false, reason: `the identity used could not connect: ${why}`, ...(r.outcome.kind === 'connack' ? {} : { error: true as const }) };
  }
  const channel = r.channel;
  const topic = `${SYS_PROBE_PREFIX}${randomBytes(8).toString('hex')}`;
  const delivered = { tested: true as const, outcome: 'delivered' as const, detail: `a client message to ${topic} was delivered to its $SYS subscriber` };
  let echoed = false;
  let published = false;
  let acked = false;
  try {
    await subscribe(channel, topic);
    published = true;
    const ack = publishQos1(channel, topic, 'mqtt-warden $SYS write probe').then((a) => ((acked = a.code !== undefined), a));
    // The window of this test is the grace after the PUBACK: the session probe already listens for traffic.
    const heard = await listen(channel, 0, ack, () => echoed, (p) => {
      if (p.cmd === 'publish' && (p as IPublishPacket).topic === topic) echoed = true;
    });
    const { code } = heard.ack;
    if (echoed) return delivered;
    if (version === 5 && code !== undefined && code >= 0x80) {
      return { tested: true, outcome: 'refused', detail: `PUBACK reason code 0x${code.toString(16)}` };
    }
    return {
      tested: true,
      outcome: 'unobserved',
      detail:
        code === undefined
          ? `no PUBACK arrived and the message did not come back within ${heard.ms} ms`
          : `the broker acknowledged the publish (PUBACK ${version === 5 ? `0x${code.toString(16)}` : 'without a reason code in 3.1.1'}) but it did not come back within ${heard.ms} ms; a broker that filters reads per message looks the same as one that dropped the publish`,
    };
  } catch (e) {
    if (echoed) return delivered;
    const reason = channel.disconnectReason();
    if (published && reason !== undefined && (reason === 0x87 || reason === 0x90)) {
      return { tested: true, outcome: 'refused', detail: `the broker sent DISCONNECT 0x${reason.toString(16)} after the publish` };
    }
    if (published && !acked && reason === undefined && e instanceof ProbeError && e.kind === 'closed') {
      return { tested: true, outcome: 'refused', detail: `the broker closed the connection after the publish, before any PUBACK (${e.message})` };
    }
    return { tested: false, reason: `the $SYS write test ended early: ${(e as Error).message}${reason !== undefined ? ` (DISCONNECT 0x${reason.toString(16)})` : ''}`, error: true };
  } finally {
    channel.close();
  }
}

function credentialParams(creds: Credentials | undefined): IdentityParams {
  return creds ? { username: creds.username, ...(creds.password !== undefined ? { password: creds.password } : {}) } : {};
}

/** A short name for the client certificate's subject, e.g. "CN=device-17". */
function certificateName(cert: string | Buffer): string {
  try {
    const subject = new X509Certificate(cert).subject;
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(subject)?.[1];
    return cn ? `CN=${cn}` : subject.replace(/\n/g, ', ');
  } catch {
    return 'unparsable certificate';
  }
}

export async function probeEndpoint(ep: Endpoint, opts: ProbeOptions): Promise<MqttProbe> {
  const creds = opts.credentials;
  const tls = ep.scheme === 'mqtts' || ep.scheme === 'wss';
  // A client certificate is an identity, presented only where TLS carries it; the anonymous probe never presents one.
  const certificate = tls && opts.cert && opts.key ? certificateName(opts.cert) : undefined;
  const { cert: _cert, key: _key, ...anonymousTransport } = opts;
  const identityTransport: TransportOptions = certificate ? opts : anonymousTransport;
  const identityKind: MqttProbe['identityKind'] = creds ? 'password' : certificate ? 'certificate' : 'anonymous';
  const hasIdentity = identityKind !== 'anonymous';
  const identityParams = credentialParams(creds);
  const identity = creds ? `${creds.username}${certificate ? ` (client certificate ${certificate})` : ''}` : certificate ? `client certificate ${certificate}` : 'anonymous';

  let neg: Negotiated;
  let anonymous: AnonymousProbe;
  let anonChannel: MqttChannel | null = null;
  try {
    neg = await negotiate(ep, {}, anonymousTransport);
    anonymous = { connack: summarize(neg.outcome) };
    anonChannel = neg.channel;
  } catch (e) {
    // Some brokers end unauthenticated connections without a CONNACK (or a TLS
    // listener refuses clients without a certificate): retry with the identity.
    if (!hasIdentity || !deliberatelyDropped(e)) throw e;
    neg = await negotiate(ep, identityParams, identityTransport);
    // The client certificate was given: only the anonymous probe went without one.
    anonymous = { dropped: (e as Error).message.replace(/: give --cert\/--key$/, ' (the anonymous probe presents none)') };
  }
  const version = neg.version;

  let session: MqttChannel | null = null;
  let sessionConnack: IConnackPacket | undefined;
  let credentialed: ConnackSummary | undefined;
  let noSessionReason = '';
  if (!hasIdentity) {
    if (anonChannel) {
      session = anonChannel;
      sessionConnack = neg.outcome.connack;
    } else {
      noSessionReason = `anonymous clients are refused (${'connack' in anonymous ? anonymous.connack.codeName : 'dropped'}) and no identity was given (--username, --cert)`;
    }
  } else {
    anonChannel?.close();
    // When negotiation already ran with the identity, its session is the one to use.
    const r =
      'dropped' in anonymous
        ? { outcome: neg.outcome as ConnectOutcome, channel: neg.channel }
        : await mqttConnect(ep, version, { clientId: randomClientId(), ...identityParams }, identityTransport);
    if (r.outcome.kind === 'connack') {
      credentialed = summarize(r.outcome);
      if (r.outcome.accepted) {
        session = r.channel;
        sessionConnack = r.outcome.connack;
      } else noSessionReason = `the broker refused the identity ${identity} (${credentialed.codeName})`;
    } else noSessionReason = `no CONNACK for ${identity}: ${r.outcome.error.message}`;
  }

  let sessionResult: MqttProbe['session'];
  let sysTopics = new Map<string, Buffer>();
  if (session) {
    try {
      const s = await sessionProbe(session, opts);
      sessionResult = { tested: true, wildcard: s.wildcard, sys: s.sys, canary: s.canary, windowMs: s.ms };
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

  // The side probes run after the session, one at a time: several connections
  // of one identity at once can end each other (use_username_as_clientid).
  const broke = (what: string) => (e: unknown) => {
    if (e instanceof ProbeError && e.kind === 'aborted') throw e;
    return { tested: false as const, reason: `${what}: ${(e as Error).message}`, error: true as const };
  };
  const sysWrite: SysWrite = session
    ? await sysWriteProbe(ep, version, identityParams, identityTransport).catch(broke('the $SYS write test failed'))
    : { tested: false, reason: noSessionReason };
  const zeroLength = await (async (): Promise<MqttProbe['zeroLengthClientId']> => {
    const r = await mqttConnect(ep, version, { clientId: '', clean: true, ...identityParams }, identityTransport);
    r.channel?.close();
    if (r.outcome.kind !== 'connack') return { tested: false, reason: `no CONNACK: ${r.outcome.error.message}`, error: true };
    const s = summarize(r.outcome);
    // Identifier rejected: 3.1.1 code 2, MQTT 5 0x85 — and Mosquitto 2.0 answers an empty ID refused by
    // allow_zero_length_clientid with MQTT 5 "unspecified error" (0x80), which counts only when the same
    // identity with a random client ID was just accepted (session), so that nothing else can explain it.
    const idRefused = (version === 4 && s.code === 2) || (version === 5 && (s.code === 0x85 || (s.code === 0x80 && session !== null)));
    if (!s.accepted && !idRefused) {
      return { tested: false, reason: `the identity used was refused (${s.codeName}), so client-ID handling could not be observed` };
    }
    const assigned = r.outcome.connack.properties?.assignedClientIdentifier;
    return { tested: true, accepted: s.accepted, code: s.code, codeName: s.codeName, ...(assigned ? { assignedClientId: assigned } : {}) };
  })().catch(broke('the zero-length client ID test failed'));

  return {
    endpoint: ep.uri,
    tls,
    protocol: { v5: neg.v5, used: version },
    anonymous,
    identity,
    identityKind,
    ...(creds ? { username: creds.username } : {}),
    ...(certificate ? { clientCertificate: certificate } : {}),
    ...(credentialed ? { credentialed } : {}),
    randomClientIdAccepted: ('connack' in anonymous && anonymous.connack.accepted) || credentialed?.accepted === true,
    session: sessionResult,
    sysWrite,
    zeroLengthClientId: zeroLength,
    broker: identify(sessionConnack ?? neg.outcome.connack, sysTopics),
  };
}
