/** Address and network handling for the port planner (ipaddr.js does the parsing). */
import ipaddr from 'ipaddr.js';

export interface Network {
  /** Canonical text: an address, or a network as address/prefix (host bits cleared). */
  text: string;
  family: 4 | 6;
  /** A single address (/32, /128). */
  single: boolean;
  range: [ipaddr.IPv4 | ipaddr.IPv6, number];
}

export class NetworkError extends Error {}

/**
 * Parse an address or CIDR. IPv4-mapped IPv6 addresses become IPv4; a network
 * with host bits set is refused (10.0.0.5/24 is almost always a typo).
 */
export function parseNetwork(input: string, where: string): Network {
  const s = input.trim();
  try {
    if (s.includes('/')) {
      let [addr, len] = ipaddr.parseCIDR(s);
      if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress() && len >= 96) {
        addr = (addr as ipaddr.IPv6).toIPv4Address();
        len -= 96;
      }
      const family = addr.kind() === 'ipv4' ? 4 : 6;
      if (family === 4 && !s.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(s.split('/')[0]!)) throw new NetworkError(`${where}: ${s} is not a dotted IPv4 network`);
      const cidr = `${addr.toString()}/${len}`;
      const network = family === 4 ? ipaddr.IPv4.networkAddressFromCIDR(cidr) : ipaddr.IPv6.networkAddressFromCIDR(cidr);
      if (network.toString() !== addr.toString()) {
        throw new NetworkError(`${where}: ${s} has host bits set (did you mean ${network.toString()}/${len}?)`);
      }
      const max = family === 4 ? 32 : 128;
      return { text: len === max ? addr.toString() : `${addr.toString()}/${len}`, family, single: len === max, range: [addr, len] };
    }
    let addr = ipaddr.parse(s);
    if (addr.kind() === 'ipv6' && (addr as ipaddr.IPv6).isIPv4MappedAddress()) addr = (addr as ipaddr.IPv6).toIPv4Address();
    const family = addr.kind() === 'ipv4' ? 4 : 6;
    if (family === 4 && !s.includes(':') && !ipaddr.IPv4.isValidFourPartDecimal(s)) throw new NetworkError(`${where}: ${s} is not a dotted IPv4 address`);
    return { text: addr.toString(), family, single: true, range: [addr, family === 4 ? 32 : 128] };
  } catch (e) {
    if (e instanceof NetworkError) throw e;
    throw new NetworkError(`${where}: ${JSON.stringify(s)} is not an IP address or CIDR network`);
  }
}

export function isIpAddress(s: string): boolean {
  return ipaddr.isValid(s) && (s.includes(':') || ipaddr.IPv4.isValidFourPartDecimal(s));
}

/** Whether network a contains network b (same family). */
export function contains(a: Network, b: Network): boolean {
  if (a.family !== b.family) return false;
  if (b.range[1] < a.range[1]) return false;
  return (b.range[0] as ipaddr.IPv4).match(a.range as [ipaddr.IPv4, number]);
}

export function overlaps(a: Network, b: Network): boolean {
  return contains(a, b) || contains(b, a);
}

/** Canonical, deduplicated, without networks contained in others, sorted by family then text. */
export function normalizeNetworks(list: readonly Network[]): Network[] {
  const out: Network[] = [];
  for (const n of list) {
    if (out.some((o) => contains(o, n))) continue;
    for (let i = out.length - 1; i >= 0; i--) if (contains(n, out[i]!)) out.splice(i, 1);
    out.push(n);
  }
  return out.sort((a, b) => a.family - b.family || compareBytes(a, b));
}

function compareBytes(a: Network, b: Network): number {
  const x = a.range[0].toByteArray();
  const y = b.range[0].toByteArray();
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return a.range[1] - b.range[1];
}

/** The whole address space of a family, for "anyone". */
export function anyNetwork(family: 4 | 6): Network {
  return parseNetwork(family === 4 ? '0.0.0.0/0' : '::/0', 'any');
}

export function isLoopbackAddress(s: string): boolean {
  try {
    const a = ipaddr.process(s);
    return a.range() === 'loopback';
  } catch {
    return s === 'localhost';
  }
}

export function isWildcardAddress(s: string): boolean {
  return s === '0.0.0.0' || s === '::' || s === '*' || s === '';
}
