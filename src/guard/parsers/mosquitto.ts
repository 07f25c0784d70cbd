/**
 * Mosquitto 2.x log parser with connection-level correlation.
 *
 * Lines that matter (with `connection_messages true`; see docs/guard.md):
 *   New connection from <ip>:<port> on port <listener>.            every version, first line of a connection
 *   New client connected from <ip>:<port> as <id> (…).             login succeeded: the connection is resolved
 *   Sending CONNACK to <ip|id> (<flags>, <rc>)                      debug logging; rc 4/5 (v3) or 134/135 (v5) = refused login
 *   Client <unknown> disconnected, not authorised.                  2.0.0–2.0.12 (verified on 2.0.11)
 *   Client <id> disconnected, not authorised.                       2.0.13–2.0.x (no address)
 *   Client <id> disconnected, bad username or password.            2.1.0 (no address)
 *   Client <id> [<ip>:<port>] disconnected: not authorised.         2.1.1+
 *   Client <id> [<ip>:<port>] disconnected: bad username or password.  2.1.1+
 *   Client <id> disconnected due to protocol error.                 2.0.x (verified on 2.0.11), 2.1.0
 *   Client <id> [<ip>:<port>] disconnected: protocol error.         2.1.1+
 *   Client <id> [<ip>:<port>] disconnected: non-matching http origin.  2.1.1+ (websockets_origin refused it)
 *   Client from <ip>:<port> appears to be using TLS to connect to a non-TLS listener.   2.1.x
 *   Protocol error from <ip>:<port>: CONNECT with <what>.             2.1.x (a family of lines)
 *   Bad client <ip>:<port> sending multiple CONNECT messages.        2.1.x
 * (format strings of src/handle_connect.c, src/net.c and src/loop.c of v2.1.0 and v2.1.2).
 * The bundled password-file and dynamic-security plugins refuse with "not authorised";
 * "bad username or password" comes from other plugins. Both are authentication failures.
 * The protocol tag of "New client connected … (p5, …)" is p3/p4/p5 in 2.1 (p1/p2 in 2.0);
 * this parser does not read it.
 *
 * With `enable_proxy_protocol` (2.1) there is no "New connection" line: the 2.1.1+ lines
 * above carry the client's address themselves, so they are counted (and banned) without
 * one; the address-less 2.0/2.1.0 lines cannot be attributed on such listeners.
 *
 * A protocol error named with its address (TLS on a plain listener, "Protocol error from",
 * "Bad client") is followed by the disconnect line of the same connection: that line is
 * the same event and is not counted again.
 *
 * IPv6 clients are printed without brackets (`New connection from ::1:39698 on
 * port 18832.`, verified on 2.0.11): the port follows the last colon.
 *
 * Correlation: a refused login is one event however many lines describe it. A
 * debug CONNACK line with a refusal code counts the failure and the disconnect
 * line that Mosquitto prints right after it (same call chain) is consumed
 * without counting. A failure line without an address is attributed to the
 * open connections (those with a "New connection" line and no outcome yet) only
 * when they all come from ONE address; otherwise it is counted as
 * unattributed and nobody is banned for it (never ban the wrong address).
 *
 * Hot path: a line costs a charCode test and one indexOf for the timestamp
 * separator; only lines starting with "N", "C" or "S" after the prefix are
 * compared further with startsWith at an offset (no substring, no regex).
 */
import type { EventSink, LineParser } from '../events.js';
import { normaliseIp, splitHostPort } from '../ip.js';

const NEW_CONN = 'New connection from ';
const NEW_CLIENT = 'New client connected from ';
const CONNACK = 'Sending CONNACK to ';
const CLIENT = 'Client ';
const NOT_AUTH_20 = ' disconnected, not authorised.';
const NOT_AUTH_21 = '] disconnected: not authorised.';
const PROTO_20 = ' disconnected due to protocol error.';
const PROTO_21 = '] disconnected: protocol error.';
const BAD_PW_210 = ' disconnected, bad username or password.';
const BAD_PW_21 = '] disconnected: bad username or password.';
const ORIGIN_21 = '] disconnected: non-matching http origin.';
const TLS_ON_PLAIN = ' appears to be using TLS to connect to a non-TLS listener.';
const PROTO_FROM = 'Protocol error from ';
const CONNECT_WITH = ': CONNECT with ';
const BAD_CLIENT = 'Bad client ';
const MULTI_CONNECT = ' sending multiple CONNECT messages.';
/** Connections whose protocol error was already counted, remembered at most (their disconnect line comes right after). */
const MAX_EXPLAINED = 1024;
const ON_PORT = ' on port ';
/** CONNACK return codes meaning "bad credentials / not authorised": MQTT 3.1.1 (4, 5) and MQTT 5 (0x86, 0x87). */
const REFUSED = new Set([4, 5, 134, 135]);
/** The same texts as bytes, for lineBytes (the log is read as bytes; most lines are never decoded). */
const NEW_CONN_B = Buffer.from(NEW_CONN, 'latin1');
const NEW_CLIENT_B = Buffer.from(NEW_CLIENT, 'latin1');
const CLIENT_B = Buffer.from(CLIENT, 'latin1');
const UNKNOWN_B = Buffer.from('<unknown> ', 'latin1');
const NOT_AUTH_20_B = Buffer.from(NOT_AUTH_20, 'latin1');
const BAD_PW_210_B = Buffer.from(BAD_PW_210, 'latin1');
const ON_PORT_B = Buffer.from(ON_PORT, 'latin1');
const AS_B = Buffer.from(' as ', 'latin1');

interface Conn {
  ip: string;
  opened: number;
}

export interface MosquittoParserOptions {
  /** Open connections remembered at most (oldest dropped first). */
  maxOpen?: number;
  /** Open connections without an outcome are forgotten after this long (ms of log time). */
  openTtlMs?: number;
  /**
   * Addresses banned right now (daemon only). Their new connections are not
   * tracked: the firewall drops their packets, so such a connection may never
   * get an outcome line and would make every later failure ambiguous.
   */
  isBanned?: (ip: string) => boolean;
}

export class MosquittoParser implements LineParser {
  readonly format = 'mosquitto';
  unattributed = 0;
  /**
   * The open connections. Fast path for the common case of one open connection
   * at a time: it lives in `slot` and the maps stay empty (invariant: slot set ⇒
   * maps empty), which saves four Map operations per connection.
   */
  private slot: Slot | undefined;
  /** The one Slot object, reused for every connection (no object per connection line). */
  private readonly slotObj: Slot = new Slot();
  private readonly open = new Map<string, Conn>();
  private readonly openPerIp = new Map<string, number>();
  /** Failures counted from a CONNACK line whose disconnect line is still to come. */
  private pendingConnack = 0;
  /** ip:port of connections whose protocol error was counted from a line with the address; their disconnect line is not counted again. */
  private readonly explained = new Map<string, number>();
  /** Time of the last such line, for the address-less disconnect lines (2.0, 2.1.0) in the same second. */
  private lastExplained = -Infinity;
  private readonly maxOpen: number;
  private readonly openTtlMs: number;
  private lastSweep = 0;
  private readonly isBanned: ((ip: string) => boolean) | undefined;
  /** IPv4 address texts by their number (see v4Text). */
  private readonly v4Names = new Map<number, string>();

  constructor(private readonly sink: EventSink, opts: MosquittoParserOptions = {}) {
    this.isBanned = opts.isBanned;
    this.maxOpen = opts.maxOpen ?? 4096;
    this.openTtlMs = opts.openTtlMs ?? 30_000;
  }

  snapshot(): string {
    if (!this.open.size && !this.slot && !this.pendingConnack) return '';
    const o = [...this.open].map(([k, c]) => [k, c.ip, c.opened]);
    if (this.slot) o.push([this.slot.keyText(), this.slot.ip, this.slot.opened]);
    return JSON.stringify({ p: this.pendingConnack, o });
  }

  restore(snapshot: string): void {
    if (!snapshot) return;
    try {
      const s = JSON.parse(snapshot) as { p?: number; o?: [string, string, number][] };
      this.pendingConnack = Number(s.p) || 0;
      for (const [k, ip, opened] of s.o ?? []) {
        if (typeof k !== 'string' || typeof ip !== 'string') continue;
        this.forget(k);
        this.add(k, ip, Number(opened) || 0);
      }
    } catch {
      // a damaged snapshot only costs attribution of the connections open at the restart
    }
  }

  line(text: string, start: number, end: number, now: number): void {
    let m = start;
    let time = now;
    const c0 = text.charCodeAt(start);
    if (c0 >= 48 && c0 <= 57) {
      // "1795957574: …" (log_timestamp true): the digits and the separator read in one pass.
      let i = start;
      let n = 0;
      let c = c0;
      while (c >= 48 && c <= 57 && i < end) {
        n = n * 10 + (c - 48);
        c = text.charCodeAt(++i);
      }
      if (c === 58 && i < end && text.charCodeAt(i + 1) === 32) {
        time = n * 1000;
        m = i + 2;
      } else {
        // a log_timestamp_format prefix ("2024-05-02T10:11:12: …")
        const sep = text.indexOf(': ', start);
        if (sep < 0 || sep >= end) return;
        const parsed = Date.parse(text.slice(start, sep));
        if (!Number.isNaN(parsed)) time = parsed;
        m = sep + 2;
      }
    } else if (c0 !== 78 && c0 !== 67 && c0 !== 83 && c0 !== 80 && c0 !== 66) {
      // syslog-style prefix ("Nov 29 13:00:00 host mosquitto[1]: …")
      const sep = text.indexOf(': ', start);
      if (sep < 0 || sep >= end) return;
      m = sep + 2;
    }
    const c = text.charCodeAt(m);
    if (c === 78 /* N */) {
      // "New connection from " and "New client connected from " differ at their sixth character.
      const c5 = text.charCodeAt(m + 5);
      if (c5 === 111 /* o */) {
        if (text.startsWith(NEW_CONN, m)) this.newConnection(text, m + NEW_CONN.length, end, time);
      } else if (c5 === 108 /* l */ && text.startsWith(NEW_CLIENT, m)) this.newClient(text, m + NEW_CLIENT.length, end);
    } else if (c === 67 /* C */) {
      if (text.startsWith(CLIENT, m)) this.client(text, m + CLIENT.length, end, time);
    } else if (c === 83 /* S */) {
      if (text.startsWith(CONNACK, m)) this.connack(text, m + CONNACK.length, end, time);
    } else if (c === 80 /* P */) {
      if (text.startsWith(PROTO_FROM, m)) {
        const colon = text.indexOf(CONNECT_WITH, m + PROTO_FROM.length);
        // "Protocol error from <client id>: Will with empty topic." names no address: not this family.
        if (colon > 0 && colon < end) this.protocolErrorAt(text.slice(m + PROTO_FROM.length, colon), time);
      }
    } else if (c === 66 /* B */) {
      if (text.startsWith(BAD_CLIENT, m) && endsWithAt(text, end, MULTI_CONNECT)) this.protocolErrorAt(text.slice(m + BAD_CLIENT.length, end - MULTI_CONNECT.length), time);
    }
  }

  /**
   * The common lines read straight from the bytes of an ASCII chunk, without a string per line:
   * "New connection from a.b.c.d:port on port N.", "New client connected from a.b.c.d:port as …",
   * "Client … disconnected." and "Client … disconnected, not authorised." after an optional
   * "<epoch>: " prefix. Returns false for every other line (and for unusual forms of these, such as
   * IPv6 or leading zeros); the caller then decodes the line and calls line(), which stays the one
   * reference for every format. Both give the same events and the same state.
   */
  lineBytes(b: Uint8Array, start: number, end: number, now: number): boolean {
    let m = start;
    let time = now;
    let c = b[start]!;
    if (c >= 48 && c <= 57) {
      let i = start;
      let n = 0;
      while (c >= 48 && c <= 57 && i < end) {
        n = n * 10 + (c - 48);
        c = b[++i]!;
      }
      if (c !== 58 || i >= end || b[i + 1] !== 32) return false;
      time = n * 1000;
      m = i + 2;
    } else if (c !== 78 && c !== 67) return false;
    c = b[m]!;
    if (c === 78 /* N */) {
      const c5 = b[m + 5];
      if (c5 === 111 /* o */ && startsAt(b, m, end, NEW_CONN_B)) return this.newConnectionBytes(b, m + NEW_CONN_B.length, end, time);
      if (c5 === 108 /* l */ && startsAt(b, m, end, NEW_CLIENT_B)) return this.newClientBytes(b, m + NEW_CLIENT_B.length, end);
      return false;
    }
    if (c === 67 /* C */ && startsAt(b, m, end, CLIENT_B)) return this.clientBytes(b, m + CLIENT_B.length, end, time);
    return false;
  }

  private newConnectionBytes(b: Uint8Array, from: number, end: number, time: number): boolean {
    const at = readV4Port(b, from, end);
    if (at < 0 || !startsAt(b, at, end, ON_PORT_B)) return false;
    for (let i = at + ON_PORT_B.length; i < end; i++) {
      const c = b[i]!;
      if (c !== 46 && (c < 48 || c > 57)) return false;
    }
    const v4 = scanV4;
    const port = scanPort;
    const ip = this.v4Text(v4);
    // = opened(key, ip, time) with the key kept as numbers
    if (this.open.size >= this.maxOpen || time - this.lastSweep > 10_000) this.sweep(time);
    const slot = this.slot;
    if (slot) {
      if (slot.numeric ? slot.v4 === v4 && slot.port === port : slot.keyText() === `${ip}:${port}`) this.slot = undefined;
    } else if (this.open.size) this.forget(`${ip}:${port}`);
    if (!this.isBanned?.(ip)) this.addV4(v4, port, ip, time);
    this.sink.event('connect', ip, time);
    return true;
  }

  private newClientBytes(b: Uint8Array, from: number, end: number): boolean {
    const at = readV4Port(b, from, end);
    if (at < 0 || !startsAt(b, at, end, AS_B)) return false;
    const slot = this.slot;
    if (slot) {
      if (!slot.numeric) return false;
      if (slot.v4 === scanV4 && slot.port === scanPort) this.slot = undefined;
      return true;
    }
    return this.open.size === 0; // nothing open to forget; otherwise line() looks it up by its text
  }

  private clientBytes(b: Uint8Array, from: number, end: number, time: number): boolean {
    // as client(): the fourth character from the end rules out every outcome suffix
    const c4 = b[end - 4];
    if (c4 !== 115 && c4 !== 114 && c4 !== 111 && c4 !== 103 && c4 !== 110) {
      if (startsAt(b, from, end, UNKNOWN_B)) this.unknownClosed();
      return true;
    }
    if (!endsAt(b, end, NOT_AUTH_20_B) && !endsAt(b, end, BAD_PW_210_B)) return false;
    if (this.pendingConnack > 0) this.pendingConnack--;
    else this.failureWithoutAddress('auth-failure', time);
    return true;
  }

  /** A protocol error on a connection named by "ip:port": counted once, and its disconnect line is not counted again. */
  private protocolErrorAt(key: string, time: number): void {
    const hp = splitHostPort(key);
    const ip = hp && normaliseIp(hp.host);
    if (!ip) return;
    if (!this.forget(key)) this.closeOldestOf(ip);
    if (this.explained.size >= MAX_EXPLAINED) this.explained.delete(this.explained.keys().next().value!);
    this.explained.set(key, time);
    this.lastExplained = time;
    this.sink.event('protocol-error', ip, time);
  }

  /** The disconnect line of a connection whose protocol error was already counted (see protocolErrorAt). */
  private alreadyCounted(key: string | undefined, time: number): boolean {
    if (key !== undefined) return this.explained.delete(key);
    if (time - this.lastExplained > 1000) return false;
    this.lastExplained = -Infinity;
    return true;
  }

  private newConnection(text: string, from: number, end: number, time: number): void {
    // Fast path, the usual line: "a.b.c.d:port on port N." read in one pass, the address taken from a
    // table of the addresses already seen (no substring, no lastIndexOf). Anything else: the general path.
    let i = from;
    let v4 = 0;
    let octet = 0;
    let digits = 0;
    let dots = 0;
    let lead0 = false;
    let c = 0;
    for (; i < end; i++) {
      c = text.charCodeAt(i);
      if (c === 46) {
        if (digits === 0 || ++dots > 3) break;
        v4 = v4 * 256 + octet;
        octet = 0;
        digits = 0;
      } else if (c >= 48 && c <= 57) {
        if (digits === 0) lead0 = c === 48;
        else if (lead0) break;
        octet = octet * 10 + (c - 48);
        if (++digits > 3 || octet > 255) break;
      } else break;
    }
    if (c === 58 && dots === 3 && digits > 0 && i > from) {
      let j = i + 1;
      while (j < end && isDigit(text.charCodeAt(j))) j++;
      if (j > i + 1 && text.startsWith(ON_PORT, j) && digitsAndDots(text, j + ON_PORT.length, end)) {
        this.opened(text.slice(from, j), this.v4Text((v4 * 256 + octet) | 0), time);
        return;
      }
    }
    const on = text.lastIndexOf(ON_PORT, end);
    if (on < from) return;
    const key = text.slice(from, on);
    const colon = key.lastIndexOf(':');
    if (colon <= 0) return;
    const ip = normaliseIp(key.slice(0, colon));
    if (!ip) return;
    this.opened(key, ip, time);
  }

  /** The text of an IPv4 address (as a 32-bit number), one string per address however often it appears. */
  private v4Text(n: number): string {
    let s = this.v4Names.get(n);
    if (s === undefined) {
      if (this.v4Names.size >= 65_536) this.v4Names.clear();
      // Built from the octets, so the table never holds on to a slice of a whole read chunk.
      s = `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
      this.v4Names.set(n, s);
    }
    return s;
  }

  private opened(key: string, ip: string, time: number): void {
    if (this.open.size >= this.maxOpen || time - this.lastSweep > 10_000) this.sweep(time);
    this.forget(key);
    if (!this.isBanned?.(ip)) this.add(key, ip, time);
    this.sink.event('connect', ip, time);
  }

  private newClient(text: string, from: number, end: number): void {
    const as = text.indexOf(' as ', from);
    if (as < 0 || as >= end) return;
    const slot = this.slot;
    if (slot) {
      // The one open connection: compared in place, without cutting the key out of the line.
      const key = slot.keyText();
      if (key.length === as - from && text.startsWith(key, from)) this.slot = undefined;
      return;
    }
    this.forget(text.slice(from, as));
  }

  private connack(text: string, from: number, end: number, time: number): void {
    // "<ip|id> (<session present>, <rc>)"
    if (text.charCodeAt(end - 1) !== 41 /* ) */) return;
    const comma = text.lastIndexOf(', ', end);
    if (comma < from) return;
    const rc = Number(text.slice(comma + 2, end - 1));
    if (!REFUSED.has(rc)) return;
    const paren = text.lastIndexOf(' (', comma);
    if (paren < from) return;
    const who = text.slice(from, paren);
    const ip = normaliseIp(who);
    this.pendingConnack++;
    if (ip) {
      this.closeOldestOf(ip);
      this.sink.event('auth-failure', ip, time);
    } else {
      // 2.0.13+ prints the client id here: fall back to the open connections.
      this.failureWithoutAddress('auth-failure', time);
    }
  }

  private client(text: string, from: number, end: number, time: number): void {
    // The outcome suffixes end in "authorised.", "error.", "password.", "origin." or "listener.": the
    // fourth character from the end rules them out for every other line ("… disconnected.") before any comparison.
    const c4 = text.charCodeAt(end - 4);
    if (c4 !== 115 /* s */ && c4 !== 114 /* r */ && c4 !== 111 /* o */ && c4 !== 103 /* g */ && c4 !== 110 /* n */) {
      if (text.startsWith('<unknown> ', from)) this.unknownClosed();
      return;
    }
    if (endsWithAt(text, end, NOT_AUTH_20) || endsWithAt(text, end, BAD_PW_210)) {
      if (this.pendingConnack > 0) {
        this.pendingConnack--;
        return;
      }
      this.failureWithoutAddress('auth-failure', time);
    } else if (endsWithAt(text, end, NOT_AUTH_21) || endsWithAt(text, end, BAD_PW_21)) {
      if (this.pendingConnack > 0) {
        this.pendingConnack--;
        return;
      }
      const suffix = endsWithAt(text, end, NOT_AUTH_21) ? NOT_AUTH_21 : BAD_PW_21;
      this.failureWithBracket(text, from, end - suffix.length, 'auth-failure', time);
    } else if (endsWithAt(text, end, PROTO_20)) {
      if (!this.alreadyCounted(undefined, time)) this.failureWithoutAddress('protocol-error', time);
    } else if (endsWithAt(text, end, PROTO_21)) {
      this.failureWithBracket(text, from, end - PROTO_21.length, 'protocol-error', time);
    } else if (endsWithAt(text, end, ORIGIN_21)) {
      // A websockets client from a web origin the listener does not allow (websockets_origin).
      this.failureWithBracket(text, from, end - ORIGIN_21.length, 'protocol-error', time);
    } else if (text.startsWith('from ', from) && endsWithAt(text, end, TLS_ON_PLAIN)) {
      this.protocolErrorAt(text.slice(from + 5, end - TLS_ON_PLAIN.length), time);
    } else if (text.startsWith('<unknown> ', from)) this.unknownClosed();
  }

  /** "Client <unknown> closed its connection", "… has exceeded timeout": a connection without a login ended. */
  private unknownClosed(): void {
    const only = this.soleOpenIp();
    if (only) this.closeOldestOf(only);
  }

  /** 2.1 format: the address is in the LAST "[ip:port]" before the suffix (client ids may contain brackets). */
  private failureWithBracket(text: string, from: number, close: number, kind: 'auth-failure' | 'protocol-error', time: number): void {
    const open = text.lastIndexOf(' [', close);
    if (open < from) return;
    const key = text.slice(open + 2, close);
    if (kind === 'protocol-error' && this.alreadyCounted(key, time)) return;
    const hp = splitHostPort(key);
    const ip = hp && normaliseIp(hp.host);
    if (!ip) {
      this.unattributed++;
      this.sink.event(kind, undefined, time);
      return;
    }
    if (!this.forget(key)) this.closeOldestOf(ip);
    this.sink.event(kind, ip, time);
  }

  private failureWithoutAddress(kind: 'auth-failure' | 'protocol-error', time: number): void {
    const ip = this.soleOpenIp();
    if (ip) {
      this.closeOldestOf(ip);
      this.sink.event(kind, ip, time);
    } else {
      this.unattributed++;
      this.sink.event(kind, undefined, time);
    }
  }

  forgetAddress(ip: string): void {
    if (this.slot?.ip === ip) this.slot = undefined;
    if (!this.openPerIp.has(ip)) return;
    for (const [key, conn] of this.open) if (conn.ip === ip) this.open.delete(key);
    this.openPerIp.delete(ip);
  }

  private add(key: string, ip: string, opened: number): void {
    if (!this.slot && !this.open.size) {
      this.slot = this.slotObj.set(key, ip, opened);
      return;
    }
    this.slotToMaps();
    this.open.set(key, { ip, opened });
    this.openPerIp.set(ip, (this.openPerIp.get(ip) ?? 0) + 1);
  }

  /** add() for an IPv4 connection read from bytes: the key text is built only if it is ever needed. */
  private addV4(v4: number, port: number, ip: string, opened: number): void {
    if (!this.slot && !this.open.size) {
      this.slot = this.slotObj.setV4(v4, port, ip, opened);
      return;
    }
    this.add(`${ip}:${port}`, ip, opened);
  }

  /** A second connection opens: the one in the slot moves into the maps. */
  private slotToMaps(): void {
    const s = this.slot;
    if (!s) return;
    this.slot = undefined;
    this.open.set(s.keyText(), { ip: s.ip, opened: s.opened });
    this.openPerIp.set(s.ip, 1);
  }

  private soleOpenIp(): string | undefined {
    if (this.slot) return this.slot.ip;
    if (this.openPerIp.size !== 1) return undefined;
    return this.openPerIp.keys().next().value;
  }

  private forget(key: string): boolean {
    if (this.slot) {
      if (this.slot.keyText() !== key) return false;
      this.slot = undefined;
      return true;
    }
    const conn = this.open.get(key);
    if (!conn) return false;
    this.open.delete(key);
    this.dec(conn.ip);
    return true;
  }

  private closeOldestOf(ip: string): void {
    if (this.slot) {
      if (this.slot.ip === ip) this.slot = undefined;
      return;
    }
    for (const [key, conn] of this.open) {
      if (conn.ip === ip) {
        this.open.delete(key);
        this.dec(ip);
        return;
      }
    }
  }

  private dec(ip: string): void {
    const n = (this.openPerIp.get(ip) ?? 1) - 1;
    if (n <= 0) this.openPerIp.delete(ip);
    else this.openPerIp.set(ip, n);
  }

  private sweep(time: number): void {
    this.lastSweep = time;
    if (this.slot && time - this.slot.opened > this.openTtlMs) this.slot = undefined;
    for (const [key, conn] of this.open) {
      if (this.open.size < this.maxOpen && time - conn.opened <= this.openTtlMs) break;
      this.open.delete(key);
      this.dec(conn.ip);
    }
  }
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Only digits and dots in [from, end) (the rest of a "… on port 1883." line). */
function digitsAndDots(text: string, from: number, end: number): boolean {
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c !== 46 && (c < 48 || c > 57)) return false;
  }
  return true;
}

function endsWithAt(text: string, end: number, suffix: string): boolean {
  return text.startsWith(suffix, end - suffix.length);
}

/** The one open connection of the fast path, reused; its key text ("ip:port") is built only when needed. */
class Slot {
  ip = '';
  opened = 0;
  /** The key is IPv4 number + port (from lineBytes) rather than text. */
  numeric = false;
  v4 = 0;
  port = 0;
  private key: string | undefined = undefined;

  set(key: string, ip: string, opened: number): this {
    this.key = key;
    this.ip = ip;
    this.opened = opened;
    this.numeric = false;
    return this;
  }

  setV4(v4: number, port: number, ip: string, opened: number): this {
    this.key = undefined;
    this.numeric = true;
    this.v4 = v4;
    this.port = port;
    this.ip = ip;
    this.opened = opened;
    return this;
  }

  keyText(): string {
    return (this.key ??= `${this.ip}:${this.port}`);
  }
}

/** Results of readV4Port (module variables: no object per line). */
let scanV4 = 0;
let scanPort = 0;

/**
 * "a.b.c.d:port" at `from`, in its canonical form only (no leading zeros, port of at most 9 digits),
 * so that numbers compare exactly as the texts would; sets scanV4 (as v4Text's key) and scanPort and
 * returns the offset after the port, or -1.
 */
function readV4Port(b: Uint8Array, from: number, end: number): number {
  let v4 = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = from;
  for (; i < end; i++) {
    const c = b[i]!;
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      v4 = v4 * 256 + octet;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return -1;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else break;
  }
  if (i >= end || b[i] !== 58 || dots !== 3 || digits === 0) return -1;
  let port = 0;
  let j = i + 1;
  for (; j < end; j++) {
    const c = b[j]!;
    if (c < 48 || c > 57) break;
    if (j > i + 1 && port === 0) return -1;
    port = port * 10 + (c - 48);
    if (j - i > 9) return -1;
  }
  if (j === i + 1) return -1;
  scanV4 = (v4 * 256 + octet) | 0;
  scanPort = port;
  return j;
}

function startsAt(b: Uint8Array, at: number, end: number, pat: Uint8Array): boolean {
  const n = pat.length;
  if (at + n > end) return false;
  for (let k = 0; k < n; k++) if (b[at + k] !== pat[k]) return false;
  return true;
}

function endsAt(b: Uint8Array, end: number, pat: Uint8Array): boolean {
  const at = end - pat.length;
  return at >= 0 && startsAt(b, at, end, pat);
}
