/**
 * Erlang distribution exposure: epmd's NAMES request (port 4369) and the first
 * messages of the distribution handshake on a distribution port — enough to
 * learn that an Erlang node listens, its name and whether it would let us in.
 *
 * Protocol: https://www.erlang.org/doc/apps/erts/erl_dist_protocol.html
 * Hand-written: no maintained npm package speaks the distribution handshake,
 * and only its first few messages are needed. Every read is bounded in size
 * and time; a malformed answer ends the probe with an error.
 *
 * Safety: without `cookie`, we stop after reading the challenge (no digest is
 * sent). With `cookie` (--intrusive), we answer the challenge and read the
 * acknowledgement, then close at once: nothing is ever sent after the
 * handshake, so no code can run on the node.
 */
import { createHash, randomBytes } from 'node:crypto';
import net from 'node:net';
import type { DistProbe, EpmdProbe, ErlangExposure, PortReach } from '../core/facts.js';
import { mapLimit } from '../core/collect.js';

export type { CookieTest, DistProbe, EpmdProbe, PortReach } from '../core/facts.js';

export const EPMD_NAMES_REQ = Buffer.from([0x00, 0x01, 0x6e]);
/** EMQX's shipped `node.cookie` (HARDENING-FACTS.md section 1). */
export const DEFAULT_EMQX_COOKIE = 'emqxsecretcookie';
/** The cookies EMQX packages ship: `emqxsecretcookie` (5.x) and `emqx50elixir` (6.x builds). */
export const DEFAULT_EMQX_COOKIES = [DEFAULT_EMQX_COOKIE, 'emqx50elixir'] as const;

const MAX_HANDSHAKE_MESSAGE = 1024;
const MAX_EPMD_ANSWER = 64 * 1024;

// Distribution flags (erl_dist_protocol "Distribution Flags").
const F = {
  EXTENDED_REFERENCES: 0x4,
  DIST_MONITOR: 0x8,
  FUN_TAGS: 0x10,
  DIST_MONITOR_NAME: 0x20,
  NEW_FUN_TAGS: 0x80,
  EXTENDED_PIDS_PORTS: 0x100,
  EXPORT_PTR_TAG: 0x200,
  BIT_BINARIES: 0x400,
  NEW_FLOATS: 0x800,
  UNICODE_IO: 0x1000,
  SMALL_ATOM_TAGS: 0x4000,
  UTF8_ATOMS: 0x10000,
  MAP_TAG: 0x20000,
  BIG_CREATION: 0x40000,
  SEND_SENDER: 0x80000,
  BIG_SEQTRACE_LABELS: 0x100000,
  EXIT_PAYLOAD: 0x400000,
  FRAGMENTS: 0x800000,
  HANDSHAKE_23: 0x1000000,
  UNLINK_ID: 0x2000000,
  MANDATORY_25_DIGEST: 0x4000000,
} as const;
/** High 32 bits, sent in the complement message: SPAWN (32), V4_NC (34), ALIAS (35). */
const FLAGS_HIGH = (1 << 0) | (1 << 2) | (1 << 3);
/** Not DFLAG_PUBLISHED: the probe connects as a hidden node. */
const FLAGS_LOW = Object.values(F).reduce((a, b) => a | b, 0) >>> 0;

export interface ErlangProbeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

class Reader {
  private buf = Buffer.alloc(0);
  /** The first bytes the peer sent, kept for telling foreign protocols apart. */
  head = Buffer.alloc(0);
  private waiting?: () => void;
  private ended?: string;
  constructor(private readonly socket: net.Socket, private readonly limit: number) {
    socket.on('data', (d: Buffer) => {
      if (this.ended) return;
      if (this.head.length < 8) this.head = Buffer.concat([this.head, d]).subarray(0, 8);
      if (this.buf.length + d.length > limit) {
        // Stop reading at once: a flood must not grow in memory until the deadline.
        this.ended = `answer longer than ${limit} bytes`;
        socket.destroy();
      } else this.buf = Buffer.concat([this.buf, d]);
      this.waiting?.();
    });
    socket.on('end', () => {
      this.ended ??= 'connection closed';
      this.waiting?.();
    });
    socket.on('error', (e) => {
      this.ended ??= `connection error: ${e.message}`;
      this.waiting?.();
    });
  }
  get received(): number {
    return this.buf.length;
  }
  /** Exactly n bytes, or throws with why they did not come. */
  async take(n: number): Promise<Buffer> {
    if (n > this.limit) throw new ProbeError(`announced length ${n} exceeds ${this.limit} bytes`);
    while (this.buf.length < n) {
      if (this.ended) throw new ProbeError(this.ended);
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
  /** Everything until the peer closes (bounded). */
  async rest(): Promise<Buffer> {
    while (!this.ended) {
      await new Promise<void>((r) => (this.waiting = r));
      this.waiting = undefined;
    }
    if (this.ended.startsWith('answer longer')) throw new ProbeError(this.ended);
    return this.buf;
  }
}

class ProbeError extends Error {}

/** Connect with a deadline covering the whole exchange; `closed`/`filtered` when no connection is made. */
async function withConnection<T>(
  host: string,
  port: number,
  opts: ErlangProbeOptions,
  limit: number,
  talk: (socket: net.Socket, reader: Reader) => Promise<T>,
): Promise<T | PortReach> {
  if (opts.signal?.aborted) return { state: 'error', detail: 'aborted before the probe started (deadline reached)' };
  const socket = net.connect({ host, port });
  socket.setNoDelay(true);
  const reader = new Reader(socket, limit);
  let timer: NodeJS.Timeout | undefined;
  const abort = () => socket.destroy(new Error('aborted'));
  opts.signal?.addEventListener('abort', abort, { once: true });
  try {
    const connected = await new Promise<PortReach | undefined>((resolve) => {
      timer = setTimeout(() => resolve({ state: 'filtered' }), opts.timeoutMs);
      socket.once('connect', () => resolve(undefined));
      socket.once('error', (e: NodeJS.ErrnoException) =>
        resolve(e.code === 'ECONNREFUSED' ? { state: 'closed' } : e.code === 'ETIMEDOUT' || e.code === 'EHOSTUNREACH' ? { state: 'filtered' } : { state: 'error', detail: e.message }),
      );
    });
    clearTimeout(timer);
    if (connected) return connected;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new ProbeError(`no complete answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    });
    return await Promise.race([talk(socket, reader), deadline]);
  } catch (e) {
    return { state: 'error', detail: (e as Error).message };
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', abort);
    socket.destroy();
  }
}

/** epmd NAMES: a 4-byte epmd port, then "name NAME at port PORT\n" lines until epmd closes. */
export async function probeEpmd(host: string, port: number, opts: ErlangProbeOptions): Promise<EpmdProbe> {
  return withConnection(host, port, opts, MAX_EPMD_ANSWER, async (socket, reader) => {
    socket.write(EPMD_NAMES_REQ);
    const all = await reader.rest();
    if (all.length < 4) throw new ProbeError(all.length ? `not epmd: ${all.length}-byte answer to NAMES` : 'closed without answering NAMES');
    const text = all.subarray(4).toString('latin1');
    const nodes: { name: string; port: number }[] = [];
    for (const line of text.split('\n')) {
      if (!line) continue;
      const m = /^name (\S{1,255}) at port (\d{1,5})$/.exec(line);
      if (!m || Number(m[2]) > 65535) throw new ProbeError(`not an epmd NAMES answer: ${JSON.stringify(line.slice(0, 60))}`);
      nodes.push({ name: m[1]!, port: Number(m[2]) });
    }
    return { state: 'epmd' as const, nodes: nodes.slice(0, 100) };
  });
}

/** MD5(cookie ++ decimal challenge): the distribution digest. */
export function distDigest(cookie: string, challenge: number): Buffer {
  return createHash('md5').update(cookie + String(challenge >>> 0), 'latin1').digest();
}

function frame(tag: string, body: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(body.length + 1);
  return Buffer.concat([len, Buffer.from(tag, 'latin1'), body]);
}

async function message(reader: Reader): Promise<Buffer> {
  const len = (await reader.take(2)).readUInt16BE(0);
  if (len === 0) throw new ProbeError('empty handshake message');
  return reader.take(len);
}

function printable(b: Buffer): string {
  const s = b.toString('latin1');
  if (!/^[\x20-\x7e]*$/.test(s)) throw new ProbeError('node name or status is not printable text');
  return s;
}

/**
 * The distribution handshake up to the challenge (and, with a cookie, to the
 * acknowledgement). The new send_name ('N', OTP 23+) goes first: OTP 25.0–25.2
 * drop the old one ('n'; see the OTP 25.3 comment in dist_util.erl). A port that
 * closes without a word gets one more try with the old 'n', for OTP 22 and older.
 */
export async function probeDistribution(host: string, port: number, opts: ErlangProbeOptions & { cookie?: string; probeName?: string }): Promise<DistProbe> {
  const probeName = opts.probeName ?? `mqtt_warden_${randomBytes(3).toString('hex')}@mqtt-warden.invalid`;
  const first = await handshake(host, port, opts, probeName, 'N');
  if (first.state === 'error' && first.detail.startsWith(SILENT)) {
    const old = await handshake(host, port, opts, probeName, 'n');
    if (old.state !== 'error' || !old.detail.startsWith(SILENT)) return old;
  }
  return first;
}

const SILENT = 'the port accepted the connection but did not answer the distribution handshake';

async function handshake(
  host: string,
  port: number,
  opts: ErlangProbeOptions & { cookie?: string },
  probeName: string,
  format: 'N' | 'n',
): Promise<DistProbe> {
  return withConnection(host, port, opts, MAX_HANDSHAKE_MESSAGE + 2, async (socket, reader) => {
    const name = Buffer.from(probeName, 'latin1');
    if (format === 'N') {
      // 'N', Flags:64, Creation:32, NameLen:16, Name
      const body = Buffer.alloc(14);
      body.writeUInt32BE(FLAGS_HIGH, 0);
      body.writeUInt32BE(FLAGS_LOW, 4);
      body.writeUInt32BE(randomBytes(4).readUInt32BE(0) || 1, 8);
      body.writeUInt16BE(name.length, 12);
      socket.write(frame('N', Buffer.concat([body, name])));
    } else {
      // 'n', Version:16 = 5, Flags:32 (with DFLAG_HANDSHAKE_23), Name
      const body = Buffer.alloc(6);
      body.writeUInt16BE(5, 0);
      body.writeUInt32BE(FLAGS_LOW, 2);
      socket.write(frame('n', Buffer.concat([body, name])));
    }
    let first: Buffer;
    try {
      first = await message(reader);
    } catch (e) {
      if (reader.received === 0) throw new ProbeError(`${SILENT} (${(e as Error).message})`);
      // A TLS record (alert 0x15 / handshake 0x16, version 3.x) in answer to a plain send_name.
      if ((reader.head[0] === 0x15 || reader.head[0] === 0x16) && reader.head[1] === 0x03) {
        throw new ProbeError('the port answers with TLS (Erlang distribution over TLS, cluster.proto_dist = inet_tls?): the plain handshake cannot tell more');
      }
      throw e;
    }
    if (first[0] !== 0x73 /* 's' */) throw new ProbeError(`not an Erlang distribution port: the first answer starts with 0x${first[0]!.toString(16)}, not 's'`);
    const status = printable(first.subarray(1));
    if (!/^(ok|ok_simultaneous|nok|not_allowed|alive|named:.*)$/.test(status)) throw new ProbeError(`unknown handshake status ${JSON.stringify(status.slice(0, 40))}`);
    if (!status.startsWith('ok') && !status.startsWith('named:')) {
      return { state: 'erlang' as const, status, cookie: { tested: false as const, reason: `the node refused the handshake (status ${status})` } };
    }
    const ch = await message(reader);
    let node: string;
    let challenge: number;
    let version: 5 | 6;
    let flags: string;
    if (ch[0] === 0x4e /* 'N' */ && ch.length >= 19) {
      version = 6;
      flags = ch.readBigUInt64BE(1).toString(16);
      challenge = ch.readUInt32BE(9);
      const nlen = ch.readUInt16BE(17);
      if (19 + nlen !== ch.length) throw new ProbeError('malformed challenge: name length does not match');
      node = printable(ch.subarray(19, 19 + nlen));
    } else if (ch[0] === 0x6e /* 'n' */ && ch.length >= 11) {
      version = 5;
      flags = ch.readUInt32BE(3).toString(16);
      challenge = ch.readUInt32BE(7);
      node = printable(ch.subarray(11));
    } else {
      throw new ProbeError(`malformed challenge message (tag 0x${(ch[0] ?? 0).toString(16)}, ${ch.length} bytes)`);
    }
    if (!/^[^@\s]+@[^@\s]+$/.test(node)) throw new ProbeError(`the challenge carries no node name (${JSON.stringify(node.slice(0, 40))})`);
    const seen = { state: 'erlang' as const, status, node, version, flags };
    if (opts.cookie === undefined) return { ...seen, cookie: { tested: false as const, reason: 'intrusive check: run with --intrusive to test the default cookie' } };

    if (version === 6 && format === 'n') {
      // send_complement: the high flag word and our creation, after an 'N' challenge to our 'n' name.
      const c = Buffer.alloc(8);
      c.writeUInt32BE(FLAGS_HIGH, 0);
      c.writeUInt32BE(randomBytes(4).readUInt32BE(0) || 1, 4);
      socket.write(frame('c', c));
    }
    const ours = randomBytes(4).readUInt32BE(0);
    const reply = Buffer.alloc(4);
    reply.writeUInt32BE(ours);
    socket.write(frame('r', Buffer.concat([reply, distDigest(opts.cookie, challenge)])));
    let ack: Buffer;
    try {
      ack = await message(reader);
    } catch (e) {
      if (e instanceof ProbeError && /closed|reset|ECONNRESET/i.test(e.message)) {
        return { ...seen, cookie: { tested: true as const, accepted: false, detail: `${node} closed the connection after our challenge reply: the cookie was rejected` } };
      }
      throw e;
    }
    if (ack[0] !== 0x61 /* 'a' */ || ack.length !== 17) throw new ProbeError(`malformed challenge acknowledgement (tag 0x${(ack[0] ?? 0).toString(16)}, ${ack.length} bytes)`);
    const theirs = ack.subarray(1);
    // The node proves it knows the same cookie: its digest of our challenge must match.
    const proven = theirs.equals(distDigest(opts.cookie, ours));
    return {
      ...seen,
      cookie: {
        tested: true as const,
        accepted: proven,
        detail: proven
          ? `${node} accepted the cookie and proved it knows it (challenge acknowledged); the connection was closed at once`
          : `${node} acknowledged our challenge reply with a digest that does not match the cookie`,
      },
    };
  });
}

/** Distribution ports tried on every audited host: EMQX nodes named emqx, emqx1 … emqx3 (4370 + suffix). */
export const DEFAULT_DIST_PORTS = [4370, 4371, 4372, 4373] as const;
export const EPMD_PORT = 4369;
/**
 * With --intrusive: the packaged cookies one after the other (one handshake each, at most two per port),
 * stopping at the first the node accepts or at an answer that is not a cookie verdict.
 */
async function tryPackagedCookies(host: string, port: number, opts: ErlangProbeOptions): Promise<DistProbe> {
  const refused: string[] = [];
  let last: DistProbe | undefined;
  for (const cookie of DEFAULT_EMQX_COOKIES) {
    const r = await probeDistribution(host, port, { ...opts, cookie });
    if (r.state !== 'erlang' || !r.cookie.tested) return last && refused.length ? last : r;
    if (r.cookie.accepted) return { ...r, cookie: { ...r.cookie, cookie } };
    refused.push(cookie);
    last = { ...r, cookie: { ...r.cookie, cookie: refused.join(', ') } };
  }
  return last!;
}

/** At most this many distribution ports per host (epmd may name many nodes). */
export const MAX_DIST_PORTS = 16;

/**
 * The host-scope fact: epmd NAMES, then the distribution handshake on EMQX's
 * usual ports, the ports epmd named and those of a port plan (bounded), a few
 * at a time. The default cookie is only tried when `intrusive`.
 */
export async function collectErlangExposure(
  host: string,
  opts: ErlangProbeOptions & { intrusive: boolean; planPorts?: readonly number[] },
): Promise<ErlangExposure> {
  const epmd = await probeEpmd(host, EPMD_PORT, opts);
  const ports = new Map<number, 'default' | 'epmd' | 'plan'>();
  for (const p of opts.planPorts ?? []) if (!ports.has(p)) ports.set(p, 'plan');
  if (epmd.state === 'epmd') for (const n of epmd.nodes) if (!ports.has(n.port)) ports.set(n.port, 'epmd');
  for (const p of DEFAULT_DIST_PORTS) if (!ports.has(p)) ports.set(p, 'default');
  const list = [...ports].slice(0, MAX_DIST_PORTS);
  const dist = await mapLimit(list, 4, async ([port, source]) => ({
    port,
    source,
    result: opts.intrusive ? await tryPackagedCookies(host, port, opts) : await probeDistribution(host, port, opts),
  }));
  return { host, epmd: { port: EPMD_PORT, result: epmd }, dist, cookieTested: opts.intrusive };
}
