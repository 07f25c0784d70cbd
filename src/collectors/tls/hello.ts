/**
 * A raw TLS ClientHello prober: one TCP connection, one hand-built ClientHello
 * for one protocol version and a given list of cipher suite codes, and the
 * server's answer read only as far as needed to classify it: a ServerHello
 * (the version and suite it chose), a TLS 1.3 HelloRetryRequest (which already
 * names the suite), an alert, a close or reset, or something broken. Then the
 * connection is closed; no key exchange, no certificate, no secure context.
 *
 * Why hand-written: the cipher enumeration asks one question per connection
 * ("which of these suites do you pick?"), answered by the ServerHello. Node's
 * `tls` can only run OpenSSL's full handshake (its key exchange, certificate
 * parsing and a new secure context per cipher list) and cannot offer suites
 * outside its own cipher-string grammar; no maintained npm package builds a
 * scanner's ClientHello and stops at the ServerHello (the TLS libraries there
 * are full client implementations, the parsers read captured traffic). This is
 * what testssl.sh does with its own sockets. The full handshakes that need the
 * certificate, OCSP, a client certificate or MQTT stay on Node's `tls`
 * (handshake.ts).
 *
 * The hello carries what Node 20's OpenSSL 3 sends for the same version at
 * security level 0 (the extensions, their order, groups and signature
 * algorithms; test/tls-hello.test.ts compares the bytes with Node's own hello),
 * so a server chooses as it chose for the full handshakes. TLS 1.3 hellos carry
 * an empty key_share: a server that supports the version then answers with a
 * HelloRetryRequest naming its suite, without computing a key share or signing.
 *
 * Hostile peers: at most 64 KiB are read, records longer than TLS allows
 * (2^14 + 2048) and handshake messages other than a ServerHello are errors,
 * messages fragmented across records are reassembled, and every probe ends at
 * the target's timeout or abort signal.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { HandshakeTarget, TlsVersion } from './handshake.js';

const VERSION_CODE: Record<TlsVersion, number> = { SSLv3: 0x0300, TLSv1: 0x0301, 'TLSv1.1': 0x0302, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };
const VERSION_NAME = new Map<number, TlsVersion>(Object.entries(VERSION_CODE).map(([k, v]) => [v, k as TlsVersion]));

function versionName(code: number): string {
  return VERSION_NAME.get(code) ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/** TLS_EMPTY_RENEGOTIATION_INFO_SCSV, which OpenSSL appends to every initial hello (secure renegotiation). */
export const SCSV = 0x00ff;
/** The ServerHello.random that marks a HelloRetryRequest (RFC 8446 4.1.3): SHA-256 of "HelloRetryRequest". */
export const HRR_RANDOM = Buffer.from('cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c', 'hex');

/** At most this much is read before the answer is classified. */
export const MAX_ANSWER_BYTES = 64 * 1024;
/** The largest record TLS allows (TLSCiphertext: 2^14 + 2048). */
export const MAX_RECORD = 16384 + 2048;

/** Alert descriptions (RFC 5246 7.2, RFC 8446 6). */
export const ALERTS: Record<number, string> = {
  0: 'close_notify',
  10: 'unexpected_message',
  20: 'bad_record_mac',
  21: 'decryption_failed',
  22: 'record_overflow',
  30: 'decompression_failure',
  40: 'handshake_failure',
  41: 'no_certificate',
  42: 'bad_certificate',
  43: 'unsupported_certificate',
  44: 'certificate_revoked',
  45: 'certificate_expired',
  46: 'certificate_unknown',
  47: 'illegal_parameter',
  48: 'unknown_ca',
  49: 'access_denied',
  50: 'decode_error',
  51: 'decrypt_error',
  60: 'export_restriction',
  70: 'protocol_version',
  71: 'insufficient_security',
  80: 'internal_error',
  86: 'inappropriate_fallback',
  90: 'user_canceled',
  100: 'no_renegotiation',
  109: 'missing_extension',
  110: 'unsupported_extension',
  111: 'certificate_unobtainable',
  112: 'unrecognized_name',
  113: 'bad_certificate_status_response',
  114: 'bad_certificate_hash_value',
  115: 'unknown_psk_identity',
  116: 'certificate_required',
  120: 'no_application_protocol',
};

function alertName(code: number): string {
  return `${ALERTS[code] ?? 'unknown'}(${code})`;
}

/** x25519, secp256r1, x448, secp521r1, secp384r1: OpenSSL 3's default groups for TLS 1.2 and older. */
const EC_GROUPS = [0x001d, 0x0017, 0x001e, 0x0019, 0x0018];
/** ffdhe2048 … ffdhe8192, offered by OpenSSL 3 only in hellos that allow TLS 1.3. */
const FFDHE_GROUPS = [0x0100, 0x0101, 0x0102, 0x0103, 0x0104];
/** OpenSSL 3's signature algorithms for TLS 1.3: ECDSA, Ed25519/Ed448, RSA-PSS, RSA PKCS#1 (SHA-256 and up). */
const SIGALGS_13 = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601];
/** …and for TLS 1.2 at security level 0 also SHA-224 and SHA-1 (ECDSA, RSA, DSA) and DSA with SHA-2. */
const SIGALGS_12 = [...SIGALGS_13, 0x0303, 0x0203, 0x0301, 0x0201, 0x0302, 0x0202, 0x0402, 0x0502, 0x0602];

export interface HelloOffer {
  version: TlsVersion;
  /** Cipher suite codes in order of preference (the SCSV is appended). */
  suites: readonly number[];
  /** Whether a suite with elliptic-curve key exchange or authentication is offered (OpenSSL then sends its groups). */
  ecc?: boolean;
}

export interface HelloOptions {
  /** SNI: only for a host name, never for an IP address. */
  servername?: string;
  /** Fixed random and session id for byte-exact tests; random otherwise. */
  random?: Buffer;
  sessionId?: Buffer;
}

const u8 = (n: number) => Buffer.from([n & 0xff]);
const u16 = (n: number) => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number) => Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec16 = (b: Buffer) => Buffer.concat([u16(b.length), b]);
const vec8 = (b: Buffer) => Buffer.concat([u8(b.length), b]);
const list16 = (ns: readonly number[]) => vec16(Buffer.concat(ns.map(u16)));
const ext = (type: number, body: Buffer) => Buffer.concat([u16(type), vec16(body)]);

/** The ClientHello record for an offer: the extensions OpenSSL 3 sends for that version, in its order. */
export function buildClientHello(offer: HelloOffer, opts: HelloOptions = {}): Buffer {
  const v = offer.version;
  const tls13 = v === 'TLSv1.3';
  const exts: Buffer[] = [];
  if (v !== 'SSLv3') {
    if (opts.servername && !net.isIP(opts.servername)) {
      const name = Buffer.from(opts.servername, 'ascii');
      exts.push(ext(0x0000, vec16(Buffer.concat([u8(0), vec16(name)]))));
    }
    if (offer.ecc || tls13) {
      exts.push(ext(0x000b, vec8(Buffer.from([0, 1, 2])))); // ec_point_formats: uncompressed, ansiX962_compressed_prime, _char2
      exts.push(ext(0x000a, list16(tls13 ? [...EC_GROUPS, ...FFDHE_GROUPS] : EC_GROUPS))); // supported_groups
    }
    exts.push(ext(0x0023, Buffer.alloc(0))); // session_ticket
    exts.push(ext(0x0016, Buffer.alloc(0))); // encrypt_then_mac
    exts.push(ext(0x0017, Buffer.alloc(0))); // extended_master_secret
    if (v === 'TLSv1.2' || tls13) exts.push(ext(0x000d, list16(tls13 ? SIGALGS_13 : SIGALGS_12))); // signature_algorithms
    if (tls13) {
      exts.push(ext(0x002b, vec8(u16(0x0304)))); // supported_versions: TLS 1.3 only
      exts.push(ext(0x002d, vec8(u8(1)))); // psk_key_exchange_modes: psk_dhe_ke
      exts.push(ext(0x0033, vec16(Buffer.alloc(0)))); // key_share: none, so the server answers with a HelloRetryRequest
    }
  }
  const body = Buffer.concat([
    u16(tls13 ? 0x0303 : VERSION_CODE[v]),
    opts.random ?? randomBytes(32),
    vec8(opts.sessionId ?? (tls13 ? randomBytes(32) : Buffer.alloc(0))), // TLS 1.3: a legacy session id, as OpenSSL (middlebox compatibility)
    list16([...offer.suites, SCSV]),
    vec8(u8(0)), // compression: null only
    ...(exts.length ? [vec16(Buffer.concat(exts))] : []),
  ]);
  const hs = Buffer.concat([u8(1), u24(body.length), body]);
  return Buffer.concat([u8(0x16), u16(v === 'SSLv3' ? 0x0300 : 0x0301), u16(hs.length), hs]);
}

/** The parts of a ServerHello the prober needs. */
export interface ServerHello {
  /** legacy_version, or the supported_versions extension's choice when present. */
  version: number;
  suite: number;
  compression: number;
  helloRetry: boolean;
}

/** Parses a ServerHello body (without the handshake header); throws with the reason when malformed. */
export function parseServerHello(b: Buffer): ServerHello {
  if (b.length < 38) throw new Error(`ServerHello of ${b.length} bytes is shorter than its fixed fields`);
  let p = 0;
  const legacy = b.readUInt16BE(p);
  p += 2;
  const helloRetry = b.subarray(p, p + 32).equals(HRR_RANDOM);
  p += 32;
  const sid = b[p]!;
  if (sid > 32) throw new Error(`ServerHello session id of ${sid} bytes (at most 32)`);
  p += 1 + sid;
  if (b.length < p + 3) throw new Error('ServerHello ends inside its cipher suite');
  const suite = b.readUInt16BE(p);
  const compression = b[p + 2]!;
  p += 3;
  let version = legacy;
  if (p < b.length) {
    if (b.length < p + 2) throw new Error('ServerHello ends inside its extensions length');
    const len = b.readUInt16BE(p);
    p += 2;
    if (p + len !== b.length) throw new Error(`ServerHello extensions of ${len} bytes in ${b.length - p} remaining`);
    while (p < b.length) {
      if (b.length < p + 4) throw new Error('ServerHello extension header cut short');
      const type = b.readUInt16BE(p);
      const l = b.readUInt16BE(p + 2);
      p += 4;
      if (p + l > b.length) throw new Error(`ServerHello extension ${type} of ${l} bytes overruns the message`);
      if (type === 0x002b) {
        if (l !== 2) throw new Error(`supported_versions in a ServerHello must hold 2 bytes, not ${l}`);
        version = b.readUInt16BE(p);
      }
      p += l;
    }
  }
  return { version, suite, compression, helloRetry };
}

export type HelloResult =
  /** The server chose `suite` at `version` (from a ServerHello or a TLS 1.3 HelloRetryRequest). */
  | { kind: 'accepted'; version: TlsVersion; suite: number; helloRetry: boolean; ms: number }
  /** The server said no: an alert, a close or reset without one, or another protocol version. */
  | { kind: 'refused'; reason: string; alert?: string; ms: number }
  /** The peer broke the exchange (garbage, oversized records, wrong messages), or the deadline was reached. */
  | { kind: 'error'; reason: string; aborted?: boolean; ms: number };

type Verdict = { kind: 'accepted'; version: TlsVersion; suite: number; helloRetry: boolean } | { kind: 'refused'; reason: string; alert?: string } | { kind: 'error'; reason: string };

/**
 * Reads the server's answer to one ClientHello incrementally: `push` returns undefined while more bytes are
 * needed, then the verdict. Pure (no I/O), so the byte-level cases are tested directly.
 */
export class AnswerReader {
  private pending: Buffer = Buffer.alloc(0);
  private handshake: Buffer = Buffer.alloc(0);
  private total = 0;
  private records = 0;

  constructor(private readonly offered: TlsVersion) {}

  push(chunk: Buffer): Verdict | undefined {
    this.total += chunk.length;
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    for (;;) {
      const p = this.pending;
      if (p.length < 5) break;
      const type = p[0]!;
      if (type < 20 || type > 23 || p[1] !== 3) {
        return { kind: 'error', reason: `not a TLS record: the server sent ${p.subarray(0, Math.min(8, p.length)).toString('hex')}… (${this.records === 0 ? 'first bytes' : `after ${this.records} records`})` };
      }
      const len = p.readUInt16BE(3);
      if (len > MAX_RECORD) return { kind: 'error', reason: `a TLS record of ${len} bytes (more than TLS allows, ${MAX_RECORD})` };
      if (len === 0 && type !== 23) return { kind: 'error', reason: 'an empty TLS record' };
      if (p.length < 5 + len) break;
      const frag = p.subarray(5, 5 + len);
      this.pending = p.subarray(5 + len);
      this.records++;
      if (type === 21) {
        if (len !== 2) return { kind: 'error', reason: `an alert record of ${len} bytes (2 expected)` };
        const [level, desc] = [frag[0]!, frag[1]!];
        // A warning other than close_notify (e.g. unrecognized_name from an SNI callback) does not end the handshake.
        if (level === 1 && desc !== 0) continue;
        return { kind: 'refused', reason: `the server answered with alert ${alertName(desc)}`, alert: ALERTS[desc] ?? `alert ${desc}` };
      }
      if (type !== 22) return { kind: 'error', reason: `${type === 20 ? 'a ChangeCipherSpec' : 'application data'} record before the ServerHello` };
      this.handshake = this.handshake.length ? Buffer.concat([this.handshake, frag]) : frag;
      if (this.handshake.length >= 4) {
        const msg = this.handshake[0]!;
        if (msg !== 2) return { kind: 'error', reason: `handshake message type ${msg} where the ServerHello (2) belongs` };
        const mlen = this.handshake.readUIntBE(1, 3);
        if (mlen > MAX_ANSWER_BYTES) return { kind: 'error', reason: `a ServerHello of ${mlen} bytes` };
        if (this.handshake.length >= 4 + mlen) return this.judge(this.handshake.subarray(4, 4 + mlen));
      }
    }
    if (this.total > MAX_ANSWER_BYTES) return { kind: 'error', reason: `more than ${MAX_ANSWER_BYTES} bytes without a complete ServerHello` };
    return undefined;
  }

  /** Bytes of a record or handshake message that has begun but not ended (a close then cuts it: an error, not a refusal). */
  partial(): number {
    return this.pending.length + this.handshake.length;
  }

  private judge(body: Buffer): Verdict {
    let sh: ServerHello;
    try {
      sh = parseServerHello(body);
    } catch (e) {
      return { kind: 'error', reason: `malformed ServerHello: ${(e as Error).message}` };
    }
    const want = VERSION_CODE[this.offered];
    if (sh.version !== want) {
      // Another version is the server's refusal of ours, as OpenSSL pinned to one version reports it ("unsupported protocol");
      // a higher one than offered also breaks the protocol, which the reason says.
      if (!VERSION_NAME.has(sh.version)) return { kind: 'error', reason: `the server answered a ${this.offered} hello with version ${versionName(sh.version)}` };
      return { kind: 'refused', reason: `the server answered with ${versionName(sh.version)} instead of ${this.offered}${sh.version > want ? ' (higher than offered: a protocol violation)' : ''}` };
    }
    if (sh.compression !== 0) return { kind: 'error', reason: `the server chose compression method ${sh.compression}, which was not offered` };
    if (sh.helloRetry && this.offered !== 'TLSv1.3') return { kind: 'error', reason: `a HelloRetryRequest in answer to a ${this.offered} hello` };
    return { kind: 'accepted', version: this.offered, suite: sh.suite, helloRetry: sh.helloRetry };
  }
}

/** After the verdict the connection is half-closed and drained for this long, then destroyed. */
const LINGER_MS = 200;

/**
 * Sends one ClientHello to the target and classifies the answer. Never rejects. The connection is closed with
 * a FIN once the answer is known (the server then sees an end of stream rather than a reset) and destroyed
 * after a short drain.
 */
export function probeHello(target: HandshakeTarget, offer: HelloOffer): Promise<HelloResult> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise<HelloResult>((resolve) => {
    if (target.signal?.aborted) return resolve({ kind: 'error', reason: 'aborted: the target deadline was reached', aborted: true, ms: 0 });
    const reader = new AnswerReader(offer.version);
    let settled = false;
    const socket = net.connect({
      host: target.host,
      port: target.port,
      ...(target.localAddress ? { localAddress: target.localAddress } : {}),
      ...(target.lookup ? { lookup: target.lookup } : {}),
    });
    const finish = (r: HelloResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      target.signal?.removeEventListener('abort', onAbort);
      if (r.kind === 'error' || socket.destroyed) socket.destroy();
      else {
        socket.removeAllListeners('data');
        socket.on('data', () => undefined);
        socket.end();
        setTimeout(() => socket.destroy(), LINGER_MS).unref();
      }
      resolve(r);
    };
    const onAbort = () => finish({ kind: 'error', reason: 'aborted: the target deadline was reached', aborted: true, ms: ms() });
    target.signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => finish({ kind: 'error', reason: `no ServerHello within ${target.timeoutMs} ms`, ms: ms() }), target.timeoutMs);
    /** The connection ended before a verdict: a refusal without an alert, unless it cut a record or message short. */
    const ended = (how: string) =>
      reader.partial()
        ? finish({ kind: 'error', reason: `the server ${how} the connection in the middle of its answer (${reader.partial()} bytes of an unfinished record or message)`, ms: ms() })
        : finish({ kind: 'refused', reason: `the server ${how} the connection during the handshake`, ms: ms() });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'ECONNRESET' || e.code === 'EPIPE') return ended('reset');
      finish({ kind: 'error', reason: `${target.host}:${target.port}: ${e.message}`, ms: ms() });
    });
    socket.once('connect', () => {
      socket.setNoDelay(true);
      socket.write(buildClientHello(offer, { servername: target.host }));
    });
    socket.on('data', (chunk: Buffer) => {
      const v = reader.push(chunk);
      if (v) finish({ ...v, ms: ms() });
    });
    socket.once('end', () => ended('closed'));
    socket.once('close', () => ended('closed'));
  });
}
