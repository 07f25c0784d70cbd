/**
 * Address handling for the guard: normalisation (IPv4-mapped IPv6 → IPv4,
 * canonical IPv6 text) and allowlists. CIDR matching uses Node's own
 * `net.BlockList` instead of hand-written bit arithmetic.
 */
import net from 'node:net';
import os from 'node:os';

export type Family = 4 | 6;

/**
 * The canonical text of an address as the guard stores and bans it, or
 * undefined when `raw` is not an IP address. `::ffff:1.2.3.4` becomes
 * `1.2.3.4` (a dual-stack listener logs IPv4 clients in mapped form, and the
 * ban must hit the IPv4 set); IPv6 is lower-cased and compressed by the URL
 * parser's canonicaliser (`[…]` hosts are serialised per RFC 5952).
 */
export function normaliseIp(raw: string): string | undefined {
  if (isDottedQuad(raw)) return raw;
  let s = raw;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const kind = net.isIP(s);
  if (kind === 4) return s;
  if (kind !== 6) return undefined;
  const lower = s.toLowerCase();
  const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower) ?? /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (mapped && net.isIPv4(mapped[1]!)) return mapped[1]!;
  let canonical: string;
  try {
    canonical = new URL(`http://[${lower}]/`).hostname.slice(1, -1);
  } catch {
    return undefined;
  }
  // The URL serialiser writes mapped addresses as ::ffff:a0b:c0d; undo that.
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(canonical);
  if (hexMapped) {
    const hi = parseInt(hexMapped[1]!, 16);
    const lo = parseInt(hexMapped[2]!, 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return canonical;
}

/**
 * Strict dotted-quad test without a regex or allocation (the parsers call it
 * for every connection line): four decimal octets 0–255, no leading zeros —
 * the same set net.isIPv4 accepts.
 */
export function isDottedQuad(s: string): boolean {
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let dots = 0;
  let octet = 0;
  let digits = 0;
  let lead0 = false;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (digits === 0 || ++dots > 3) return false;
      octet = 0;
      digits = 0;
    } else if (c >= 48 && c <= 57) {
      if (digits === 0) lead0 = c === 48;
      else if (lead0) return false;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return false;
    } else return false;
  }
  return dots === 3 && digits > 0;
}

export function familyOf(ip: string): Family {
  return ip.includes(':') ? 6 : 4;
}

/**
 * Split `host:port` as Mosquitto prints it. IPv6 hosts are printed without
 * brackets (`::1:39698`, verified on 2.0.11), so the port is whatever follows
 * the last colon; bracketed forms (`[::1]:39698`) are accepted too.
 */
export function splitHostPort(s: string): { host: string; port: number } | undefined {
  const colon = s.lastIndexOf(':');
  if (colon <= 0) return undefined;
  const port = Number(s.slice(colon + 1));
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  let host = s.slice(0, colon);
  if (host.startsWith('[') && host.endsWith(']')) host = host.slice(1, -1);
  return { host, port };
}

/** 1.2.3.4 → unsigned 32-bit integer; the input must be a valid dotted quad. */
export function ipv4ToInt(ip: string): number {
  let n = 0;
  let part = 0;
  for (let i = 0; i < ip.length; i++) {
    const c = ip.charCodeAt(i);
    if (c === 46) {
      n = n * 256 + part;
      part = 0;
    } else part = part * 10 + (c - 48);
  }
  return n * 256 + part;
}

/** The eight 16-bit groups of a valid IPv6 address (as normaliseIp returns it) as one 128-bit integer. */
export function ipv6ToBigInt(ip: string): bigint {
  let s = ip;
  // A trailing dotted quad (::ffff:… is IPv4 after normaliseIp, but ::1.2.3.4 and 64:ff9b::1.2.3.4 remain).
  const dot = s.lastIndexOf('.');
  if (dot >= 0) {
    const colon = s.lastIndexOf(':');
    const v4 = ipv4ToInt(s.slice(colon + 1));
    s = `${s.slice(0, colon + 1)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = s.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...new Array<string>(8 - h.length - t.length).fill('0'), ...t];
  let n = 0n;
  for (const g of groups) n = (n << 16n) | BigInt(parseInt(g, 16));
  return n;
}

function bigIntToIpv6(n: bigint): string {
  const groups: string[] = [];
  for (let i = 7; i >= 0; i--) groups.push(((n >> BigInt(16 * i)) & 0xffffn).toString(16));
  return normaliseIp(groups.join(':'))!;
}

export function intToIpv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** An IPv4 or IPv6 network: `net` is the address with the host bits cleared. */
export interface Cidr {
  family: Family;
  net: bigint;
  len: number;
  /** Canonical text, `10.1.2.0/24`, `2001:db8:1:2::/64`. */
  text: string;
}

export function isCidr(target: string): boolean {
  return target.includes('/');
}

/** The network of `ip` (normalised) with a prefix of `len` bits. */
export function prefixOf(ip: string, len: number): Cidr {
  const family = familyOf(ip);
  const max = family === 4 ? 32 : 128;
  const value = family === 4 ? BigInt(ipv4ToInt(ip)) : ipv6ToBigInt(ip);
  const net = len === 0 ? 0n : (value >> BigInt(max - len)) << BigInt(max - len);
  const addr = family === 4 ? intToIpv4(Number(net)) : bigIntToIpv6(net);
  return { family, net, len, text: `${addr}/${len}` };
}

/**
 * A ban target as the guard stores and bans it: a normalised address, or a
 * network in canonical form (`10.1.2.7/24` → `10.1.2.0/24`; a full-length
 * prefix is the address itself). Undefined when `raw` is neither.
 */
export function normaliseTarget(raw: string): string | undefined {
  const slash = raw.indexOf('/');
  if (slash < 0) return normaliseIp(raw.trim());
  const ip = normaliseIp(raw.slice(0, slash).trim());
  const bits = raw.slice(slash + 1).trim();
  if (!ip || !/^\d{1,3}$/.test(bits)) return undefined;
  let len = Number(bits);
  if (familyOf(ip) === 4 && raw.slice(0, slash).includes(':')) len -= 96;
  const max = familyOf(ip) === 4 ? 32 : 128;
  if (len < 0 || len > max) return undefined;
  return len === max ? ip : prefixOf(ip, len).text;
}

/** Parse a canonical target (normaliseTarget's output) as a network; an address is its full-length prefix. */
export function parseTarget(target: string): Cidr {
  const slash = target.indexOf('/');
  if (slash < 0) return prefixOf(target, familyOf(target) === 4 ? 32 : 128);
  return prefixOf(target.slice(0, slash), Number(target.slice(slash + 1)));
}

/** Does the target (address or network, canonical) contain the normalised address `ip`? */
export function targetContains(target: string, ip: string): boolean {
  if (!isCidr(target)) return target === ip;
  const c = parseTarget(target);
  if (familyOf(ip) !== c.family) return false;
  return prefixOf(ip, c.len).net === c.net;
}

/**
 * IPv6 prefixes are matched by Node's net.BlockList. IPv4 ones (the hot case:
 * every event is checked) by integer masks, because BlockList.check builds a
 * SocketAddress object per call, which dominated a profile of 1M events.
 */
export class AllowList {
  private readonly list = new net.BlockList();
  private readonly v4: { net: number; mask: number }[] = [];
  /** Every entry as a network, for overlap tests of prefix bans (rare: not on the per-event path). */
  private readonly nets: Cidr[] = [];
  readonly entries: string[] = [];

  /** Add an address or CIDR (IPv4 or IPv6); throws with the entry on bad input. */
  add(entry: string): void {
    const [addr, bits, ...rest] = entry.trim().split('/');
    const ip = addr === undefined ? undefined : normaliseIp(addr);
    if (!ip || rest.length) throw new Error(`not an IP address or CIDR: "${entry}"`);
    const family = familyOf(ip);
    const max = family === 4 ? 32 : 128;
    // An IPv4-mapped prefix (::ffff:10.0.0.0/104) is the IPv4 prefix /8.
    let prefix = bits === undefined ? max : Number(bits);
    if (family === 4 && addr!.includes(':') && bits !== undefined) prefix -= 96;
    if (!Number.isInteger(prefix) || prefix < 0 || prefix > max || (bits !== undefined && !/^\d+$/.test(bits))) {
      throw new Error(`bad prefix length in "${entry}"`);
    }
    if (family === 4) {
      const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
      this.v4.push({ net: (ipv4ToInt(ip) & mask) >>> 0, mask });
    } else this.list.addSubnet(ip, prefix, 'ipv6');
    this.nets.push(prefixOf(ip, prefix));
    this.entries.push(`${ip}/${prefix}`);
  }

  /**
   * The first allowlist entry that overlaps the network `c` (an allowlisted address or network inside
   * it, or one containing it), or undefined. Two prefixes overlap when they agree on the shorter's bits.
   */
  overlapping(c: Cidr): string | undefined {
    for (let i = 0; i < this.nets.length; i++) {
      const e = this.nets[i]!;
      if (e.family !== c.family) continue;
      const len = Math.min(e.len, c.len);
      const shift = BigInt((c.family === 4 ? 32 : 128) - len);
      if (e.net >> shift === c.net >> shift) return this.entries[i];
    }
    return undefined;
  }

  /** `ip` must already be normalised. */
  has(ip: string): boolean {
    if (familyOf(ip) === 6) return this.list.check(ip, 'ipv6');
    const n = ipv4ToInt(ip);
    for (const e of this.v4) if (((n & e.mask) >>> 0) === e.net) return true;
    return false;
  }
}

/** Loopback ranges and every address of this host's interfaces. */
export function defaultAllow(): string[] {
  const out = ['127.0.0.0/8', '::1/128'];
  for (const addrs of Object.values(os.networkInterfaces())) {
    for (const a of addrs ?? []) {
      const ip = normaliseIp(a.address);
      if (ip) out.push(ip);
    }
  }
  return out;
}
