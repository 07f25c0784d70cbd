/**
 * A bounded MQTT packet channel over TCP, TLS, WebSocket or secure WebSocket.
 *
 * Packets are encoded and decoded with mqtt-packet; this file only adds what a
 * probe needs and a full client (mqtt.js) hides: exact CONNACK/SUBACK codes,
 * no automatic reconnects or retries, a deadline on every wait, and clean
 * classification of hostile peers (garbage, silence, early close).
 */
import net from 'node:net';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import mqttPacket from 'mqtt-packet';
import type { Packet, IConnackPacket, IConnectPacket } from 'mqtt-packet';
import WebSocket, { createWebSocketStream } from 'ws';
import type { Endpoint } from '../../core/types.js';

export type ProtocolVersion = 4 | 5;

export interface TransportOptions {
  /** Per-operation timeout in milliseconds (connect, handshake, each wait). */
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra CA certificates (PEM) for TLS endpoints. Verification is not enforced by probes. */
  ca?: string | Buffer;
  /** Client certificate and key (PEM) for mutual TLS. */
  cert?: string | Buffer;
  key?: string | Buffer;
  /**
   * An already handshaken TLS connection to carry the conversation (mqtts: the
   * MQTT bytes; wss: the WebSocket upgrade), so that a TLS inspection and its
   * MQTT session share one connection. Used once: the conversation owns it.
   */
  socket?: tls.TLSSocket;
  /** Local address to connect from (drills: `--source ADDR`); default: the OS's choice. */
  localAddress?: string;
}

export class ProbeError extends Error {
  constructor(
    readonly kind: 'timeout' | 'closed' | 'malformed' | 'transport' | 'aborted',
    message: string,
    /**
     * The TLS server ended the handshake over the client certificate: `required` (none was presented and the
     * server demands one), `refused` (the one presented was not accepted).
     */
    readonly clientCertificate?: 'required' | 'refused',
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

/**
 * OpenSSL's multi-line error text (`8000…:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate
 * required:../deps/openssl/…:SSL alert number 116`) as one short line: `TLS alert certificate required (alert 116)`.
 * Other messages come back as they were, on one line.
 */
export function tlsErrorText(message: string): string {
  const m = /SSL routines:[^:]*:([^:\n]+)(?::[^\n]*?SSL alert number (\d+))?/.exec(message);
  if (!m) return message.replace(/\s*\n\s*/g, ' ').trim();
  const reason = m[1]!.trim().replace(/^(?:sslv3|tlsv1[0-3]?) alert /, '');
  return m[2] ? `TLS alert ${reason} (alert ${m[2]})` : `TLS error: ${reason}`;
}

/** Alerts a server sends when the client certificate is missing or not accepted. */
const CLIENT_CERT_ALERTS = /^(certificate required|bad certificate|unsupported certificate|certificate revoked|certificate expired|certificate unknown|unknown ca|access denied|handshake failure)$/;

/**
 * Whether a TLS error is the server refusing over the client certificate: TLS 1.3 names it ("certificate
 * required"); TLS 1.2 servers send "handshake failure", which means it only after the server has sent its own
 * certificate (so the cipher negotiation succeeded and the server had asked for the client's).
 */
export function clientCertificateRefusal(e: Error & { reason?: string }, s?: tls.TLSSocket, presented?: boolean): 'required' | 'refused' | undefined {
  const reason = (e.reason ?? /alert ([a-z ]+?)(?::|$)/m.exec(e.message)?.[1] ?? '').replace(/^(?:sslv3|tlsv1[0-3]?) alert /, '');
  if (!CLIENT_CERT_ALERTS.test(reason)) return undefined;
  const has = (get: () => object | null | undefined) => {
    try {
      const c = get();
      return Boolean(c && Object.keys(c).length);
    } catch {
      return false;
    }
  };
  // TLS 1.2's "handshake failure" is about the client certificate only once the server has shown its own.
  if (reason === 'handshake failure' && !(s && has(() => s.getPeerCertificate()))) return undefined;
  const gave = presented ?? (s ? has(() => s.getCertificate()) : false);
  return gave ? 'refused' : 'required';
}

const MAX_PACKET_BYTES = 1024 * 1024;
/** Unclaimed packets kept outside a collect() window. */
const MAX_QUEUED_PACKETS = 10_000;
/** A whole probe conversation never buffers more than this from a peer. */
const MAX_CONVERSATION_BYTES = 32 * 1024 * 1024;

function isIp(host: string): boolean {
  return net.isIP(host) !== 0;
}

function abortError(): ProbeError {
  return new ProbeError('aborted', 'aborted: the target deadline was reached');
}

/** Opens the byte stream for an endpoint, bounded by the operation timeout. */
export function openTransport(ep: Endpoint, opts: TransportOptions): Promise<Duplex> {
  return new Promise<Duplex>((resolve, reject) => {
    if (opts.signal?.aborted) return reject(abortError());
    let settled = false;
    let stream: Duplex | undefined;
    let ws: WebSocket | undefined;
    const finish = (err: ProbeError | null, s?: Duplex) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (err) {
        stream?.destroy();
        ws?.terminate();
        reject(err);
      } else resolve(s!);
    };
    const onAbort = () => finish(abortError());
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(
      () => finish(new ProbeError('timeout', `no connection to ${ep.uri} within ${opts.timeoutMs} ms`)),
      opts.timeoutMs,
    );
    const tlsOpts: tls.ConnectionOptions = {
      rejectUnauthorized: false,
      ...(opts.ca ? { ca: opts.ca } : {}),
      ...(opts.cert ? { cert: opts.cert } : {}),
      ...(opts.key ? { key: opts.key } : {}),
      ...(isIp(ep.host) ? {} : { servername: ep.host }),
    };
    const onError = (e: Error) =>
      finish(new ProbeError('transport', `${ep.uri}: ${tlsErrorText(e.message)}`, ep.scheme === 'wss' ? clientCertificateRefusal(e, undefined, Boolean(opts.cert && opts.key)) : undefined));
    const onTlsError = (s: tls.TLSSocket) => (e: Error) =>
      finish(new ProbeError('transport', `${ep.uri}: ${tlsErrorText(e.message)}`, clientCertificateRefusal(e, s, Boolean(opts.cert && opts.key))));

    // net/tls/ws may throw synchronously (bad key material, bad options): that is a transport error too.
    try {
      if (ep.scheme === 'mqtt') {
        const s = net.connect({ host: ep.host, port: ep.port, ...(opts.localAddress && { localAddress: opts.localAddress }) });
        stream = s;
        s.once('connect', () => finish(null, s));
        s.once('error', onError);
      } else if (ep.scheme === 'mqtts' && opts.socket) {
        stream = opts.socket;
        finish(null, opts.socket);
      } else if (ep.scheme === 'mqtts') {
        const s = tls.connect({ host: ep.host, port: ep.port, ...tlsOpts, ...(opts.localAddress && { localAddress: opts.localAddress }) });
        stream = s;
        s.once('secureConnect', () => finish(null, s));
        s.once('error', onTlsError(s));
      } else {
        const host = isIp(ep.host) && net.isIPv6(ep.host) ? `[${ep.host}]` : ep.host;
        const url = `${ep.scheme}://${host}:${ep.port}${ep.path ?? '/mqtt'}`;
        ws = new WebSocket(url, ['mqtt'], {
          handshakeTimeout: opts.timeoutMs,
          maxPayload: MAX_CONVERSATION_BYTES,
          perMessageDeflate: false,
          ...(opts.localAddress && { localAddress: opts.localAddress }),
          ...(ep.scheme === 'wss' ? tlsOpts : {}),
          ...(ep.scheme === 'wss' && opts.socket ? { createConnection: () => opts.socket! } : {}),
        });
        const sock = ws;
        sock.once('open', () => {
          const s = createWebSocketStream(sock);
          s.on('error', () => undefined);
          finish(null, s);
        });
        sock.once('unexpected-response', (_req, res) =>
          finish(new ProbeError('transport', `${ep.uri}: WebSocket upgrade refused with HTTP ${res.statusCode}`)),
        );
        sock.once('error', onError);
      }
    } catch (e) {
      onError(e as Error);
    }
  });
}

/**
 * A connection the peer ended on purpose after our CONNECT: a close, or a TLS
 * alert refusing the client (no or bad certificate). Used to tell "dropped
 * without CONNACK" from silence, resets and garbage.
 */
export function isDeliberateClose(e: ProbeError): boolean {
  if (e.kind === 'closed' || e.clientCertificate) return true;
  return (
    e.kind === 'transport' &&
    /alert (certificate required|bad certificate|handshake failure|unknown ca|certificate unknown|access denied)|peer did not return a certificate/i.test(e.message)
  );
}

type Waiter = {
  match: (p: Packet) => boolean;
  resolve: (p: Packet) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
};

/** One MQTT conversation. Every wait is bounded; the first fatal condition ends it. */
export class MqttChannel {
  private parser: ReturnType<typeof mqttPacket.parser>;
  private queue: Packet[] = [];
  private waiters: Waiter[] = [];
  private fatal: ProbeError | null = null;
  private receivedBytes = 0;
  private connackSeen = false;
  /** The first bytes from the peer, held until the fixed header of its first packet is known. */
  private head: Buffer | null = Buffer.alloc(0);
  private nextId = 1;
  /** While collect() listens with a callback, unclaimed packets go there instead of the queue. */
  private sink: ((p: Packet) => void) | null = null;

  private constructor(
    private readonly stream: Duplex,
    private version: ProtocolVersion,
    private readonly uri: string,
    private readonly timeoutMs: number,
    private readonly signal?: AbortSignal,
  ) {
    this.parser = this.makeParser(version);
    stream.on('data', (chunk: Buffer) => this.onData(chunk));
    // TLS 1.3: the server's verdict on the client certificate arrives after the client's handshake is done.
    stream.on('error', (e: Error) =>
      this.fail(new ProbeError('transport', `${uri}: ${tlsErrorText(e.message)}`, stream instanceof tls.TLSSocket ? clientCertificateRefusal(e, stream) : undefined)),
    );
    // 'end' too: a WebSocket stream (ws's createWebSocketStream) ends its readable side when the peer
    // closes, but emits 'close' only once our writable side has finished as well, which a probe waiting
    // for a PUBACK never does; a TCP or TLS socket emits both.
    const peerClosed = () => this.fail(new ProbeError('closed', `${uri}: connection closed by the peer`));
    stream.on('end', peerClosed);
    stream.on('close', peerClosed);
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async open(ep: Endpoint, version: ProtocolVersion, opts: TransportOptions): Promise<MqttChannel> {
    const stream = await openTransport(ep, opts);
    return new MqttChannel(stream, version, ep.uri, opts.timeoutMs, opts.signal);
  }

  get protocolVersion(): ProtocolVersion {
    return this.version;
  }

  /** The reason code of a DISCONNECT the peer sent (MQTT 5), if one is queued. */
  disconnectReason(): number | undefined {
    const d = this.queue.find((p) => p.cmd === 'disconnect');
    return d && d.cmd === 'disconnect' ? (d.reasonCode ?? 0) : undefined;
  }

  /** Why the conversation ended, or null while it is open. */
  get failure(): ProbeError | null {
    return this.fatal;
  }

  // Declared before `ended`: class fields initialise in order, and a later
  // declaration would reset what the promise executor assigned.
  private resolveEnded!: (e: ProbeError) => void;
  /** Settles with the reason once the conversation ends, whoever ends it. */
  readonly ended: Promise<ProbeError> = new Promise((resolve) => (this.resolveEnded = resolve));

  private readonly onAbort = () => this.fail(abortError());

  private makeParser(version: ProtocolVersion) {
    const p = mqttPacket.parser({ protocolVersion: version });
    p.on('packet', (packet: Packet) => this.onPacket(packet));
    p.on('error', (e: Error) => this.fail(new ProbeError('malformed', `${this.uri}: malformed MQTT from the peer: ${e.message}`)));
    return p;
  }

  private onData(chunk: Buffer) {
    if (this.fatal) return;
    this.receivedBytes += chunk.length;
    if (this.receivedBytes > MAX_PACKET_BYTES && !this.connackSeen) {
      this.fail(new ProbeError('malformed', `${this.uri}: peer sent ${this.receivedBytes} bytes without a CONNACK`));
      return;
    }
    if (this.receivedBytes > MAX_CONVERSATION_BYTES) {
      this.fail(new ProbeError('malformed', `${this.uri}: peer sent more than ${MAX_CONVERSATION_BYTES} bytes in one probe conversation`));
      return;
    }
    // A broker that only speaks MQTT 3.1.1 answers a v5 CONNECT with a 2-byte
    // 3.1.1 CONNACK (0x20 0x02 ...). Decode that one with a 3.1.1 parser. The
    // fixed header may arrive split (one WebSocket frame per write), so the
    // first two bytes are held back until both are here.
    if (this.head !== null) {
      this.head = Buffer.concat([this.head, chunk]);
      if (this.head.length < 2) return;
      chunk = this.head;
      this.head = null;
      if (this.version === 5 && chunk[0] === 0x20 && chunk[1] === 0x02) {
        this.version = 4;
        this.parser = this.makeParser(4);
      }
    }
    this.parser.parse(chunk);
  }

  private onPacket(packet: Packet) {
    if (packet.cmd === 'connack') this.connackSeen = true;
    const i = this.waiters.findIndex((w) => w.match(packet));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      clearTimeout(w!.timer);
      w!.resolve(packet);
    } else if (this.sink) {
      this.sink(packet);
    } else if (this.queue.length < MAX_QUEUED_PACKETS) {
      this.queue.push(packet);
    }
  }

  private pinger: NodeJS.Timeout | null = null;

  /** Sends PINGREQ at half the keep-alive interval, so long windows and waits are not cut by the broker. */
  keepAlive(seconds: number): void {
    if (this.pinger || this.fatal || seconds <= 0) return;
    this.pinger = setInterval(() => {
      try {
        this.send({ cmd: 'pingreq' });
      } catch {
        /* the conversation ended; fail() clears the timer */
      }
    }, seconds * 500);
    this.pinger.unref();
  }

  private fail(err: ProbeError) {
    if (this.fatal) return;
    this.fatal = err;
    if (this.pinger) clearInterval(this.pinger);
    this.resolveEnded(err);
    for (const w of this.waiters.splice(0)) {
      clearTimeout(w.timer);
      w.reject(err);
    }
    this.signal?.removeEventListener('abort', this.onAbort);
    this.stream.destroy();
  }

  send(packet: Packet): void {
    if (this.fatal) throw this.fatal;
    this.stream.write(mqttPacket.generate(packet, { protocolVersion: this.version }));
  }

  messageId(): number {
    const id = this.nextId;
    this.nextId = (this.nextId % 65535) + 1;
    return id;
  }

  /** Resolves with the first packet (queued or future) that matches; rejects on timeout or end of connection. */
  waitFor<T extends Packet>(match: (p: Packet) => p is T, what: string, timeoutMs = this.timeoutMs): Promise<T> {
    const i = this.queue.findIndex(match);
    if (i >= 0) return Promise.resolve(this.queue.splice(i, 1)[0] as T);
    if (this.fatal) return Promise.reject(this.fatal);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (p) => resolve(p as T),
        reject,
        timer: setTimeout(() => {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          reject(new ProbeError('timeout', `${this.uri}: no ${what} within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  /**
   * Listens for `ms` (or until the connection ends) and hands every packet not
   * claimed by a waiter to `onPacket`, the queued ones first. Nothing is
   * buffered, so a busy broker is counted exactly without growing memory.
   * Ends early once `until` holds (checked after every packet, and when
   * `wake` settles). Resolves with null when the window ran (or ended early
   * by `until`), else with why the connection cut it.
   */
  async collect(ms: number, onPacket: (p: Packet) => void, until?: () => boolean, wake?: Promise<unknown>): Promise<ProbeError | null> {
    for (const p of this.queue.splice(0)) onPacket(p);
    if (this.fatal || until?.()) return this.fatal;
    try {
      await new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(t);
          this.stream.off('close', done);
          this.stream.off('end', done);
          resolve();
        };
        const t = setTimeout(done, ms);
        this.stream.once('close', done);
        this.stream.once('end', done);
        this.sink = (p) => {
          onPacket(p);
          if (until?.()) done();
        };
        void wake?.then(() => until?.() && done());
      });
    } finally {
      this.sink = null;
    }
    return this.fatal;
  }

  /** Sends DISCONNECT when possible and ends the stream. Never throws. */
  close(): void {
    if (!this.fatal) {
      try {
        this.send({ cmd: 'disconnect' });
      } catch {
        /* the connection is already gone */
      }
      this.stream.end();
    }
    this.fail(new ProbeError('closed', `${this.uri}: closed by mqtt-warden`));
  }

  /**
   * Ends the connection without DISCONNECT, the way a crashed client does (drills: abnormal termination):
   * a TCP reset where the stream is a TCP socket, else a plain destroy. Never throws.
   */
  abandon(): void {
    if (!this.fatal && this.stream instanceof net.Socket && !(this.stream instanceof tls.TLSSocket) && typeof this.stream.resetAndDestroy === 'function') {
      this.stream.resetAndDestroy();
    }
    this.fail(new ProbeError('closed', `${this.uri}: abandoned by mqtt-warden`));
  }
}

export interface ConnectParams {
  clientId: string;
  username?: string;
  password?: string;
  clean?: boolean;
  keepalive?: number;
}

export type ConnectOutcome =
  | { kind: 'connack'; code: number; accepted: boolean; protocolVersion: ProtocolVersion; connack: IConnackPacket; ms: number }
  | { kind: 'no-connack'; error: ProbeError; ms: number };

/**
 * Opens a connection and performs CONNECT/CONNACK. With an accepted CONNACK the
 * channel stays open for the caller (who must close it); otherwise it is closed.
 * Transport failures before any MQTT byte (refused, TLS failure, timeout) reject.
 */
export async function mqttConnect(
  ep: Endpoint,
  version: ProtocolVersion,
  params: ConnectParams,
  opts: TransportOptions,
): Promise<{ outcome: ConnectOutcome; channel: MqttChannel | null }> {
  const channel = await MqttChannel.open(ep, version, opts);
  const started = performance.now();
  const connect: IConnectPacket = {
    cmd: 'connect',
    protocolId: 'MQTT',
    protocolVersion: version,
    clean: params.clean ?? true,
    clientId: params.clientId,
    keepalive: params.keepalive ?? 30,
    ...(params.username !== undefined ? { username: params.username } : {}),
    ...(params.password !== undefined ? { password: Buffer.from(params.password, 'utf8') } : {}),
    ...(version === 5 ? { properties: { sessionExpiryInterval: 0 } } : {}),
  };
  try {
    channel.send(connect);
    const connack = await channel.waitFor((p): p is IConnackPacket => p.cmd === 'connack', 'CONNACK');
    const pv = channel.protocolVersion;
    const code = (pv === 5 ? connack.reasonCode : connack.returnCode) ?? 0;
    const ms = performance.now() - started;
    if (code !== 0) {
      channel.close();
      return { outcome: { kind: 'connack', code, accepted: false, protocolVersion: pv, connack, ms }, channel: null };
    }
    channel.keepAlive(connack.properties?.serverKeepAlive ?? connect.keepalive ?? 30);
    return { outcome: { kind: 'connack', code, accepted: true, protocolVersion: pv, connack, ms }, channel };
  } catch (e) {
    channel.close();
    const error = e instanceof ProbeError ? e : new ProbeError('transport', String(e));
    if (error.kind === 'aborted') throw error;
    return { outcome: { kind: 'no-connack', error, ms: performance.now() - started }, channel: null };
  }
}

/** Human names of CONNACK codes, for evidence. */
export function connackCodeName(code: number, version: ProtocolVersion): string {
  if (version === 4) {
    return (
      ['accepted', 'unacceptable protocol version', 'identifier rejected', 'server unavailable', 'bad user name or password', 'not authorized'][code] ??
      `unknown (${code})`
    );
  }
  const v5: Record<number, string> = {
    0x00: 'success',
    0x80: 'unspecified error',
    0x81: 'malformed packet',
    0x82: 'protocol error',
    0x83: 'implementation specific error',
    0x84: 'unsupported protocol version',
    0x85: 'client identifier not valid',
    0x86: 'bad user name or password',
    0x87: 'not authorized',
    0x88: 'server unavailable',
    0x89: 'server busy',
    0x8a: 'banned',
    0x8c: 'bad authentication method',
    0x90: 'topic name invalid',
    0x95: 'packet too large',
    0x97: 'quota exceeded',
    0x99: 'payload format invalid',
    0x9a: 'retain not supported',
    0x9b: 'qos not supported',
    0x9c: 'use another server',
    0x9d: 'server moved',
    0x9f: 'connection rate exceeded',
  };
  return v5[code] ?? `unknown (0x${code.toString(16)})`;
}

/** CONNACK codes that mean "your credentials/identity are not accepted". */
export function isAuthRefusal(code: number, version: ProtocolVersion): boolean {
  return refusalKind(code, version) !== 'other';
}

/**
 * 'auth': the credentials were refused (3.1.1: 4; MQTT 5: 0x86, 0x8C).
 * 'not-authorized' (3.1.1: 5; MQTT 5: 0x87): the client was refused, for its
 * credentials or for anything else about it. Mosquitto answers wrong passwords
 * this way, and also a client ID outside `clientid_prefixes`, so on its own it
 * proves an authentication refusal only once a random client ID was accepted.
 * 'other': busy, banned, identifier rejected, ...: nothing about authentication.
 */
export function refusalKind(code: number, version: ProtocolVersion): 'auth' | 'not-authorized' | 'other' {
  if (version === 4) return code === 4 ? 'auth' : code === 5 ? 'not-authorized' : 'other';
  return code === 0x86 || code === 0x8c ? 'auth' : code === 0x87 ? 'not-authorized' : 'other';
}
