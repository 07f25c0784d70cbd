/**
 * One bounded TLS handshake with explicit protocol versions and cipher list,
 * and the classification of how it ended: the server accepted, the server
 * refused (alert, reset, other version), the local OpenSSL cannot do it, or
 * the peer broke the handshake (timeout, garbage, oversized messages).
 *
 * Node's `tls` (OpenSSL) does the protocol work; this file only adds the
 * deadline, the abort signal and the classification, which no library offers
 * for a scanner's needs (a refusal is an answer, not an error). Oversized
 * handshake messages (a huge certificate chain) are cut by OpenSSL itself: a
 * client accepts at most 100 KiB of certificates (max_cert_list) and ends with
 * "excessive message size", which classifies as an error.
 */
import { createHash } from 'node:crypto';
import dns from 'node:dns';
import net from 'node:net';
import tls from 'node:tls';

export type TlsVersion = 'SSLv3' | 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';

export interface HandshakeTarget {
  host: string;
  port: number;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Local address to connect from (drills: `--source ADDR`); default: the OS's choice. */
  localAddress?: string;
  /** Name resolution for the connections (collectTls passes one that asks the resolver once per target). */
  lookup?: net.LookupFunction;
}

/**
 * A lookup that asks Node's resolver (dns.lookup, the system's getaddrinfo) once per host name and
 * options, and answers the later connections of the same target from that: a target's hundred
 * handshakes otherwise resolve its name a hundred times. Errors are not kept.
 */
export function memoLookup(): net.LookupFunction {
  const cache = new Map<string, Promise<dns.LookupAddress[]>>();
  return ((hostname: string, options: dns.LookupOptions, callback: (err: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void) => {
    const key = `${hostname}\0${options.family ?? 0}\0${options.hints ?? 0}`;
    let p = cache.get(key);
    if (!p) {
      p = dns.promises.lookup(hostname, { ...(options.family ? { family: options.family } : {}), ...(options.hints ? { hints: options.hints } : {}), all: true });
      cache.set(key, p);
      p.catch(() => cache.delete(key));
    }
    p.then(
      (all) => (options.all ? callback(null, all) : all[0] ? callback(null, all[0].address, all[0].family) : callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '')),
      (e: NodeJS.ErrnoException) => callback(e, ''),
    );
  }) as net.LookupFunction;
}

export interface HandshakeParams {
  minVersion: tls.SecureVersion;
  maxVersion: tls.SecureVersion;
  /** OpenSSL cipher string (TLS 1.2 and below; may hold TLS_* names for 1.3). */
  ciphers: string;
  ca?: (string | Buffer)[];
  cert?: string | Buffer;
  key?: string | Buffer;
  requestOCSP?: boolean;
  /**
   * Reuse the secure context of an earlier handshake with the same versions, ciphers, trust anchors and
   * client certificate: building one from a full trust store (Node's roots plus the system bundle) costs
   * tens of milliseconds, more than the handshake itself.
   */
  reuseContext?: boolean;
}

/** Secure contexts kept for reuse, keyed by a digest of what they are made of; a handful at most. */
const contexts = new Map<string, tls.SecureContext>();
const MAX_CONTEXTS = 8;

function secureContext(params: HandshakeParams): tls.SecureContext {
  const h = createHash('sha256');
  for (const part of [params.minVersion, params.maxVersion, params.ciphers, ...(params.ca ?? ['(no ca)']), params.cert ?? '(no cert)', params.key ?? '(no key)']) h.update(part).update('\0');
  const key = h.digest('hex');
  let ctx = contexts.get(key);
  if (!ctx) {
    ctx = tls.createSecureContext({
      minVersion: params.minVersion,
      maxVersion: params.maxVersion,
      ciphers: params.ciphers,
      ...(params.ca ? { ca: params.ca } : {}),
      ...(params.cert ? { cert: params.cert } : {}),
      ...(params.key ? { key: params.key } : {}),
    });
    if (contexts.size >= MAX_CONTEXTS) contexts.delete(contexts.keys().next().value!);
    contexts.set(key, ctx);
  }
  return ctx;
}

export type HandshakeResult =
  | { kind: 'ok'; socket: tls.TLSSocket; protocol: string; cipher: tls.CipherNameAndProtocol; ocsp: Buffer | null; ms: number }
  /** The server said no: its answer to the offer, e.g. an alert "protocol version" or "handshake failure". */
  | { kind: 'refused'; reason: string; alert?: string; ms: number }
  /** The local OpenSSL cannot make this offer at all. */
  | { kind: 'unsupported'; reason: string; ms: number }
  /** The peer broke the handshake, or the deadline was reached. */
  | { kind: 'error'; reason: string; aborted?: boolean; ms: number };

/**
 * OpenSSL messages that mean "the server refused what we offered" rather than
 * "the peer is broken". Anything not listed here is an error (never a PASS).
 */
const REFUSAL = [
  /alert (handshake failure|protocol version|insufficient security|illegal parameter|decode error|unexpected message|certificate required|bad certificate|unknown ca|certificate unknown|access denied|internal error|close notify|unrecognized name|no application protocol)/i,
  /unsupported protocol/i, // the server answered with a version outside our window
  /no shared cipher|no cipher match|wrong cipher returned|sslv3 alert/i,
  /socket disconnected before secure TLS connection was established/i,
  /ECONNRESET/,
  /peer did not return a certificate/i,
  /inappropriate fallback/i,
  /version too low|unsupported ssl version|tlsv1 alert/i,
];

/** Errors raised by our own OpenSSL before anything was sent. */
const LOCAL = [/no protocols available/i, /no ciphers available/i, /no cipher match/i, /is not a valid (minimum|maximum) TLS protocol version/i];

/**
 * OpenSSL's error text without its noise: "80CC…:error:0A00042E:SSL routines:ssl3_read_bytes:tlsv1 alert
 * protocol version:../ssl/record/rec_layer_s3.c:1601:SSL alert number 70" → "tlsv1 alert protocol version (alert 70)".
 */
export function opensslReason(message: string): string {
  const m = /error:[0-9A-F]+:[A-Za-z0-9 ]+ routines:[^:]*:([^:]+)(?::.*?SSL alert number (\d+))?/.exec(message);
  return m ? `${m[1]!.trim()}${m[2] ? ` (alert ${m[2]})` : ''}` : message.trim();
}

function classify(message: string): 'refused' | 'error' {
  return REFUSAL.some((r) => r.test(message)) ? 'refused' : 'error';
}

function alertName(message: string): string | undefined {
  return /alert ([a-z ]+?)(?:[:)]|$)/i.exec(message)?.[1];
}

/**
 * Performs one handshake. On success the socket is open and handed to the
 * caller, who must end it (or speak MQTT over it). Never rejects.
 */
export function handshake(target: HandshakeTarget, params: HandshakeParams): Promise<HandshakeResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise<HandshakeResult>((resolve) => {
    if (target.signal?.aborted) return resolve({ kind: 'error', reason: 'aborted: the target deadline was reached', aborted: true, ms: 0 });
    let socket: tls.TLSSocket | undefined;
    let settled = false;
    const finish = (r: HandshakeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline.timer);
      target.signal?.removeEventListener('abort', onAbort);
      if (r.kind !== 'ok') socket?.destroy();
      resolve(r);
    };
    const onAbort = () => finish({ kind: 'error', reason: 'aborted: the target deadline was reached', aborted: true, ms: ms() });
    target.signal?.addEventListener('abort', onAbort, { once: true });
    // Started once the socket exists: building the context (parsing the trust store) is our time, not the peer's.
    const deadline: { timer?: NodeJS.Timeout } = {};
    let ocsp: Buffer | null = null;
    try {
      socket = tls.connect({
        host: target.host,
        port: target.port,
        ...(target.localAddress ? { localAddress: target.localAddress } : {}),
        ...(target.lookup ? { lookup: target.lookup } : {}),
        ...(net.isIP(target.host) ? {} : { servername: target.host }),
        ...(params.reuseContext ? { secureContext: secureContext(params) } : {}),
        minVersion: params.minVersion,
        maxVersion: params.maxVersion,
        ciphers: params.ciphers,
        rejectUnauthorized: false,
        // Node folds a host name mismatch into authorizationError; the chain verdict must be OpenSSL's alone (TLS-008 judges the name).
        checkServerIdentity: () => undefined,
        ...(params.ca ? { ca: params.ca } : {}),
        ...(params.cert ? { cert: params.cert } : {}),
        ...(params.key ? { key: params.key } : {}),
        ...(params.requestOCSP ? { requestOCSP: true } : {}),
        // The session cache would turn later probes into resumptions that skip the choices we test.
        session: undefined,
      });
    } catch (e) {
      const message = (e as Error).message;
      return finish({ kind: LOCAL.some((r) => r.test(message)) ? 'unsupported' : 'error', reason: message, ms: ms() });
    }
    const s = socket;
    deadline.timer = setTimeout(() => finish({ kind: 'error', reason: `no TLS handshake within ${target.timeoutMs} ms`, ms: ms() }), target.timeoutMs);
    s.on('OCSPResponse', (r: Buffer) => (ocsp = r));
    s.once('secureConnect', () => {
      const cipher = s.getCipher();
      finish({ kind: 'ok', socket: s, protocol: s.getProtocol() ?? 'unknown', cipher, ocsp: ocsp && ocsp.length ? ocsp : null, ms: ms() });
    });
    s.once('error', (e: NodeJS.ErrnoException) => {
      const message = opensslReason(e.message);
      if (LOCAL.some((r) => r.test(message)) && !/alert/i.test(message)) return finish({ kind: 'unsupported', reason: message, ms: ms() });
      if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EHOSTUNREACH' || e.code === 'ENETUNREACH') {
        return finish({ kind: 'error', reason: `${target.host}:${target.port}: ${message}`, ms: ms() });
      }
      const kind = classify(message);
      const alert = alertName(message);
      finish(kind === 'refused' ? { kind, reason: message, ...(alert ? { alert } : {}), ms: ms() } : { kind, reason: message, ms: ms() });
    });
    s.once('close', () => finish({ kind: 'refused', reason: 'the server closed the connection during the handshake', ms: ms() }));
  });
}

/** Ends a socket from a successful handshake politely (close_notify), bounded. */
export function closeSocket(s: tls.TLSSocket): void {
  s.end();
  setTimeout(() => s.destroy(), 200).unref();
}
