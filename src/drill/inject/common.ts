/**
 * What the inject kinds of this directory share: the endpoint and transport of a drill target (bound to
 * one of `ctx.sources`), drill client IDs, one bounded CONNECT attempt classified the way a drill needs
 * it (accepted / refused with a code / dropped without CONNACK / unreachable), and the outcome skeleton.
 *
 * The MQTT conversation itself is src/collectors/mqtt/channel.ts (mqtt-packet over net/tls/ws); nothing
 * here speaks MQTT bytes of its own.
 */
import { randomBytes } from 'node:crypto';
import type { IConnackPacket, IConnectPacket, IDisconnectPacket, Packet } from 'mqtt-packet';
import type { Endpoint } from '../../core/types.js';
import { MqttChannel, ProbeError, connackCodeName, type ProtocolVersion, type TransportOptions } from '../../collectors/mqtt/channel.js';
import type { HandshakeTarget } from '../../collectors/tls/handshake.js';
import { DurationSchema, type DrillTarget, type InjectContext, type InjectOutcome } from '../model.js';
import { z } from 'zod';

/** Every client ID a drill uses starts with this, so that logs, guard and rollback can tell drill traffic apart. */
export const DRILL_CLIENT_PREFIX = 'mqtt-warden-drill-';

export function drillClientId(tag = ''): string {
  return `${DRILL_CLIENT_PREFIX}${tag ? `${tag}-` : ''}${randomBytes(6).toString('hex')}`;
}

/** A random value that is never printed (passwords of guessing injects). */
export function randomSecret(): string {
  return randomBytes(12).toString('base64url');
}

export const MqttVersionSchema = z.union([z.literal(4), z.literal(5)]);

/** Parameters shared by several kinds. */
export const common = {
  /** MQTT protocol level of the inject's CONNECTs: 5 (default; reason codes) or 4 (3.1.1). */
  mqttVersion: MqttVersionSchema.default(5),
  duration: DurationSchema,
};

export function endpointOf(t: DrillTarget): Endpoint {
  return { uri: t.url, scheme: t.scheme, host: t.host, port: t.port, ...(t.path ? { path: t.path } : {}), explicit: true };
}

/** The source for the i-th attempt: round robin over ctx.sources (undefined = the OS's choice). */
export function sourceAt(ctx: InjectContext, i: number): string | undefined {
  return ctx.sources.length ? ctx.sources[i % ctx.sources.length] : undefined;
}

export function transportFor(ctx: InjectContext, source: string | undefined, withClientCert = false): TransportOptions {
  const t = ctx.tls;
  return {
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    ...(source ? { localAddress: source } : {}),
    ...(t?.ca ? { ca: t.ca } : {}),
    ...(withClientCert && t?.cert && t.key ? { cert: t.cert, key: t.key } : {}),
  };
}

/** The target of a raw TLS handshake (collectors/tls/handshake.ts) from the given source. */
export function handshakeTargetFor(ctx: InjectContext, source: string | undefined): HandshakeTarget {
  return { host: ctx.target.host, port: ctx.target.port, timeoutMs: ctx.timeoutMs, signal: ctx.signal, ...(source ? { localAddress: source } : {}) };
}

/** Resolves after `ms` (true), or early with false when the signal aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function hex(code: number): string {
  return `0x${code.toString(16).padStart(2, '0')}`;
}

/** The outcome every run starts from; `finish` stamps the end. */
export function startOutcome(ctx: InjectContext): InjectOutcome {
  return { startedAt: ctx.now(), endedAt: ctx.now(), sources: [], connections: 0, failedLogins: 0, detail: {} };
}

export function useSource(o: InjectOutcome, source: string | undefined): void {
  if (!o.sources.includes(source)) o.sources.push(source);
}

export function finish(ctx: InjectContext, o: InjectOutcome): InjectOutcome {
  if (ctx.signal.aborted && !o.stoppedBy) o.stoppedBy = 'abort';
  o.endedAt = ctx.now();
  return o;
}

/** Counts values into a histogram kept in the outcome's detail (e.g. CONNACK codes by name). */
export function count(map: Record<string, number>, key: string): void {
  map[key] = (map[key] ?? 0) + 1;
}

/**
 * One CONNECT attempt's result.
 * - accepted: CONNACK success, the channel is open (the caller closes it);
 * - refused: a CONNACK with a failure code;
 * - dropped: TCP (and TLS) came up, then the peer closed or reset without any CONNACK, or stayed silent;
 * - unreachable: no transport at all (connection refused or reset, TLS refused, timeout);
 * - aborted: ctx.signal.
 */
export type Attempt =
  | { kind: 'accepted'; code: 0; version: ProtocolVersion; connack: IConnackPacket; channel: MqttChannel; source: string | undefined }
  | { kind: 'refused'; code: number; codeName: string; version: ProtocolVersion; source: string | undefined }
  | { kind: 'dropped'; reason: string; source: string | undefined }
  | { kind: 'unreachable'; reason: string; source: string | undefined }
  | { kind: 'aborted'; source: string | undefined };

export interface ConnectSpec {
  clientId: string;
  version: ProtocolVersion;
  username?: string;
  password?: string;
  clean?: boolean;
  keepalive?: number;
  /** MQTT 5 session expiry (seconds); default 0. */
  sessionExpiry?: number;
  will?: IConnectPacket['will'];
  /** Present the context's client certificate (mqtts/wss). */
  clientCert?: boolean;
  /** A TLS socket already handshaken (bad-client-certificate): carry the conversation on it. */
  socket?: TransportOptions['socket'];
}

/** Short classification of a transport-level failure for the journal (no secrets in these messages). */
function reasonOf(e: unknown): string {
  return e instanceof Error ? e.message.replace(/\s*\n\s*/g, ' ') : String(e);
}

/**
 * Opens a connection from `source` and performs CONNECT/CONNACK, every wait bounded by ctx.timeoutMs.
 * A v5 CONNECT answered by a 3.1.1-only broker comes back as 'refused' with the 3.1.1 code 1
 * (unacceptable protocol version) and version 4: callers switch to 4 for the next attempt.
 */
export async function attemptConnect(ctx: InjectContext, source: string | undefined, spec: ConnectSpec): Promise<Attempt> {
  if (ctx.signal.aborted) return { kind: 'aborted', source };
  let channel: MqttChannel;
  try {
    const opts: TransportOptions = { ...transportFor(ctx, source, spec.clientCert), ...(spec.socket ? { socket: spec.socket } : {}) };
    channel = await MqttChannel.open(endpointOf(ctx.target), spec.version, opts);
  } catch (e) {
    if (e instanceof ProbeError && e.kind === 'aborted') return { kind: 'aborted', source };
    // A TLS alert refusing our client certificate is the peer deciding: a drop, not an unreachable port.
    if (e instanceof ProbeError && e.clientCertificate) return { kind: 'dropped', reason: reasonOf(e), source };
    return { kind: 'unreachable', reason: reasonOf(e), source };
  }
  const connect: IConnectPacket = {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: spec.version,
    clean: spec.clean ?? true,
    clientId: spec.clientId,
    keepalive: spec.keepalive ?? 30,
    ...(spec.username !== undefined ? { username: spec.username } : {}),
    ...(spec.password !== undefined ? { password: Buffer.from(spec.password, 'utf8') } : {}),
    ...(spec.will ? { will: spec.will } : {}),
    ...(spec.version === 5 ? { properties: { sessionExpiryInterval: spec.sessionExpiry ?? 0 } } : {}),
  };
  try {
    channel.send(connect);
    const connack = await channel.waitFor((p): p is IConnackPacket => p.cmd === 'connack', 'CONNACK');
    const version = channel.protocolVersion;
    const code = (version === 5 ? connack.reasonCode : connack.returnCode) ?? 0;
    if (code !== 0) {
      channel.close();
      return { kind: 'refused', code, codeName: connackCodeName(code, version), version, source };
    }
    channel.keepAlive(connack.properties?.serverKeepAlive ?? connect.keepalive ?? 30);
    return { kind: 'accepted', code: 0, version, connack, channel, source };
  } catch (e) {
    channel.close();
    if (e instanceof ProbeError && e.kind === 'aborted') return { kind: 'aborted', source };
    return { kind: 'dropped', reason: reasonOf(e), source };
  }
}

/** The 3.1.1 answer to a v5 CONNECT from a broker that speaks only 3.1.1 (or the v5 code for it). */
export function versionRefused(a: Attempt): boolean {
  return a.kind === 'refused' && ((a.version === 4 && a.code === 1) || (a.version === 5 && a.code === 0x84));
}

/**
 * CONNACK codes a defence gives (a limit, a ban, a quota), as opposed to "these credentials are wrong":
 * 3.1.1: 3 server unavailable; MQTT 5: 0x88 server unavailable, 0x89 server busy, 0x8a banned,
 * 0x97 quota exceeded, 0x9f connection rate exceeded.
 */
export function isDefenceCode(code: number, version: ProtocolVersion): boolean {
  return version === 4 ? code === 3 : [0x88, 0x89, 0x8a, 0x97, 0x9f].includes(code);
}

/** The name of a DISCONNECT reason code the broker sent (MQTT 5), e.g. for session takeover (0x8e). */
export function disconnectName(code: number): string {
  const names: Record<number, string> = {
    0x00: 'normal disconnection',
    0x80: 'unspecified error',
    0x81: 'malformed packet',
    0x82: 'protocol error',
    0x87: 'not authorized',
    0x89: 'server busy',
    0x8b: 'server shutting down',
    0x8d: 'keep alive timeout',
    0x8e: 'session taken over',
    0x90: 'topic name invalid',
    0x93: 'receive maximum exceeded',
    0x97: 'quota exceeded',
    0x98: 'administrative action',
    0x9f: 'connection rate exceeded',
  };
  return names[code] ?? `unknown (${hex(code)})`;
}

export function isDisconnect(p: Packet): p is IDisconnectPacket {
  return p.cmd === 'disconnect';
}

/**
 * Runs `fn(i)` for i in [0, n) with at most `limit` at once, stopping to start new ones once `stop()`
 * holds or the signal aborts. Every started call is awaited.
 */
export async function boundedParallel(n: number, limit: number, signal: AbortSignal, stop: () => boolean, fn: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < n && !signal.aborted && !stop()) {
      const i = next++;
      await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, n)) }, worker));
}

/** The protocol version an inject speaks, learned on its first CONNECT (a 3.1.1-only broker turns it to 4). */
export interface VersionState {
  version: 4 | 5;
}

/** The known client's credentials as CONNECT fields (the password never leaves this object). */
export function knownIdentity(ctx: InjectContext): Pick<ConnectSpec, 'username' | 'password'> {
  const c = ctx.client;
  return { ...(c?.username !== undefined ? { username: c.username } : {}), ...(c?.password !== undefined ? { password: c.password } : {}) };
}

/**
 * One connection drawn from the budget (null: the budget said no), counted in the outcome, from `source`.
 * When a v5 CONNECT is answered "unacceptable protocol version", one more connection (also drawn from
 * the budget) retries with 3.1.1 and `state` remembers it: demand() of a kind adds 1 for this.
 */
export async function connectCounted(ctx: InjectContext, o: InjectOutcome, state: VersionState, source: string | undefined, spec: Omit<ConnectSpec, 'version'>): Promise<Attempt | null> {
  for (;;) {
    if (!(await ctx.budget.connection())) {
      o.stoppedBy ??= ctx.signal.aborted ? 'abort' : 'budget';
      return null;
    }
    useSource(o, source);
    o.connections++;
    const a = await attemptConnect(ctx, source, { ...spec, version: state.version });
    if (versionRefused(a) && state.version === 5) {
      state.version = 4;
      continue;
    }
    return a;
  }
}

/** A short text of a non-accepted attempt for the journal. */
export function attemptText(a: Attempt): string {
  switch (a.kind) {
    case 'accepted':
      return 'accepted';
    case 'refused':
      return `CONNACK ${a.codeName}`;
    case 'dropped':
      return `closed without CONNACK (${a.reason})`;
    case 'unreachable':
      return `no connection (${a.reason})`;
    case 'aborted':
      return 'aborted';
  }
}

/** What became of one QoS 1 PUBLISH: its PUBACK code, or how the connection ended before one came. */
export interface PublishResult {
  /** PUBACK reason code (MQTT 5), or 0 for a 3.1.1 PUBACK. */
  code?: number;
  /** DISCONNECT reason code the broker sent instead (MQTT 5). */
  disconnect?: number;
  /** The broker closed the connection before any PUBACK. */
  closed?: boolean;
  /** No PUBACK within the operation timeout, connection still open. */
  timeout?: boolean;
  aborted?: boolean;
}

export async function publishQos1(channel: MqttChannel, topic: string, payload: Buffer, retain: boolean, timeoutMs: number): Promise<PublishResult> {
  const messageId = channel.messageId();
  try {
    channel.send({ cmd: 'publish', topic, payload, qos: 1, retain, dup: false, messageId });
    const ack = await channel.waitFor((p): p is Extract<Packet, { cmd: 'puback' }> => p.cmd === 'puback' && p.messageId === messageId, 'PUBACK', timeoutMs);
    return { code: ack.reasonCode ?? 0 };
  } catch (e) {
    if (e instanceof ProbeError && e.kind === 'aborted') return { aborted: true };
    if (e instanceof ProbeError && e.kind === 'timeout') return { timeout: true };
    const reason = channel.disconnectReason();
    return reason !== undefined ? { disconnect: reason, closed: true } : { closed: true };
  }
}

/** SUBSCRIBE one filter at QoS 0; resolves with the SUBACK code (>= 0x80: refused) or null when none came. */
export async function subscribeOne(channel: MqttChannel, filter: string, timeoutMs: number): Promise<number | null> {
  const messageId = channel.messageId();
  try {
    channel.send({ cmd: 'subscribe', messageId, subscriptions: [{ topic: filter, qos: 0 }] });
    const suback = await channel.waitFor((p): p is Extract<Packet, { cmd: 'suback' }> => p.cmd === 'suback' && p.messageId === messageId, 'SUBACK', timeoutMs);
    const g = suback.granted[0];
    return typeof g === 'number' ? g : ((g as { qos?: number } | undefined)?.qos ?? 0x80);
  } catch {
    return null;
  }
}
