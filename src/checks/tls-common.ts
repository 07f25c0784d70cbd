/** Pure helpers shared by the TLS checks (no I/O, no clock: times come from the facts). */
import type { TlsCertInfo, TlsCertificate } from '../core/facts.js';
import type { Policy } from '../config/policy.js';

export const DAY_MS = 86_400_000;

/** Whole days from `now` to `when` (negative: in the past). */
export function daysBetween(now: string, when: string): number {
  return Math.floor((Date.parse(when) - Date.parse(now)) / DAY_MS);
}

/** The leaf and the certificates that the server sent after it (the trust anchors added by OpenSSL excluded). */
export function servedChain(c: TlsCertificate): TlsCertInfo[] {
  return c.chain.filter((x) => x.source === 'served');
}

/** The certificate name for messages: CN, else the subject. */
export function certName(c: TlsCertInfo): string {
  return c.cn !== undefined ? `CN=${c.cn}` : c.subject;
}

/** RFC 6125 host matching: one left-most wildcard label, not for IP addresses, case-insensitive. */
export function dnsMatches(pattern: string, host: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  const h = host.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === h;
  const rest = p.slice(2);
  const i = h.indexOf('.');
  return i > 0 && h.slice(i + 1) === rest && rest.includes('.');
}

function normalizeIp(ip: string): string {
  // Node prints IPv6 SAN entries expanded; compare lower-case without brackets.
  return ip.toLowerCase().replace(/^\[|\]$/g, '');
}

export function isIpAddress(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

/** How the leaf names the host: via a SAN entry, via the CN only (no SAN of that type), or not at all. */
export function hostMatch(leaf: TlsCertInfo, host: string): 'san' | 'cn' | 'none' {
  if (isIpAddress(host)) {
    if (leaf.san.ip.some((ip) => normalizeIp(ip) === normalizeIp(host) || expandV6(ip) === expandV6(host))) return 'san';
    // Clients (OpenSSL, Node) do not match IP addresses against the CN when SANs exist; without any SAN some legacy clients do.
    if (!leaf.san.ip.length && !leaf.san.dns.length && leaf.cn === host) return 'cn';
    return 'none';
  }
  if (leaf.san.dns.some((d) => dnsMatches(d, host))) return 'san';
  if (!leaf.san.dns.length && leaf.cn !== undefined && dnsMatches(leaf.cn, host)) return 'cn';
  return 'none';
}

function expandV6(ip: string): string {
  const a = normalizeIp(ip);
  if (!a.includes(':')) return a;
  const [head, tail] = a.split('::');
  const h = head ? head.split(':') : [];
  const t = tail !== undefined ? (tail ? tail.split(':') : []) : [];
  const fill = tail !== undefined ? Array(8 - h.length - t.length).fill('0') : [];
  return [...h, ...fill, ...t].map((x) => parseInt(x || '0', 16).toString(16)).join(':');
}

/** Remediation fragments naming the concrete settings. */
export const MOSQUITTO_TLS_REF = 'https://mosquitto.org/man/mosquitto-conf-5.html';
export const EMQX_TLS_REF = 'https://docs.emqx.com/en/emqx/latest/network/emqx-mqtt-tls.html';
export const TESTSSL_REF = 'https://testssl.sh/';

/**
 * Why a key of this type and size is weak, or undefined. The minimums are the policy's `tls.minRsaBits` and
 * `tls.minEcBits` (defaults from NIST SP 800-57: RSA/DH ≥ 2048, EC ≥ 256, P-224 deprecated).
 */
export function keyWeakness(type: string, bits: number | undefined, tls: Policy['tls']): { why: string; severity: 'high' | 'medium' } | undefined {
  if (type === 'dsa') return { why: 'DSA is deprecated for TLS', severity: 'medium' };
  if (bits === undefined) return undefined;
  if ((type === 'rsa' || type === 'rsa-pss' || type === 'dh') && bits < tls.minRsaBits) return { why: `${bits}-bit ${type.toUpperCase()} (< ${tls.minRsaBits}, the policy's tls.minRsaBits)`, severity: bits < 1024 ? 'high' : 'medium' };
  if (type === 'ec' && bits < tls.minEcBits) return { why: `${bits}-bit EC (< ${tls.minEcBits}, the policy's tls.minEcBits)`, severity: 'medium' };
  return undefined;
}

