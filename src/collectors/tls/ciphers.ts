/**
 * Cipher suites: classification by name, the table of suites the local OpenSSL
 * knows, and enumeration by server-preferred elimination (offer everything,
 * note the server's choice, offer everything but that, ...): one probe per
 * accepted suite plus one per group of key exchanges eliminated side by side,
 * instead of one per suite the client knows (testssl.sh's approach for speed;
 * sslyze's "one each" trips broker connection limits). Each probe is a raw
 * ClientHello answered by the ServerHello (hello.ts), not a full handshake.
 */
import tls from 'node:tls';
import type { CipherWeakness, TlsCipherInfo, TlsVersionCiphers } from '../../core/facts.js';
import { CIPHER_ROWS } from './cipher-table.js';
import type { TlsVersion } from './handshake.js';
import type { HelloOffer, HelloResult } from './hello.js';

/** Everything the local OpenSSL knows, weakest included. */
export const ALL_CIPHERS = 'ALL:COMPLEMENTOFALL:@SECLEVEL=0';
export const TLS13_SUITES = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
/** A bound on one version's enumeration, in probes (OpenSSL 3 offers 89 suites in a TLS 1.2 hello). */
const MAX_PER_VERSION = 200;

/**
 * Families of weak suites and whether the local OpenSSL can still offer them.
 * A family it cannot offer is reported as unprobeable: its absence is unproven.
 */
const FAMILIES: [string, string][] = [
  ['EXPORT', 'EXP'],
  ['RC4', 'RC4'],
  ['DES', 'DES'],
  ['3DES', '3DES'],
  ['NULL', 'eNULL'],
  ['anonymous', 'aNULL'],
  ['MD5', 'MD5'],
];

export function unprobeableFamilies(): string[] {
  return FAMILIES.filter(([, spec]) => {
    try {
      tls.createSecureContext({ ciphers: `${spec}:@SECLEVEL=0`, minVersion: 'TLSv1' });
      return false;
    } catch {
      return true;
    }
  }).map(([name]) => name);
}

/** Classifies an OpenSSL suite name (plus the IANA name when known). Pure, table-free parsing of the naming scheme. */
export function classifyCipher(name: string, standardName?: string): TlsCipherInfo {
  const weaknesses = new Set<CipherWeakness>();
  if (name.startsWith('TLS_')) {
    // TLS 1.3: always (EC)DHE, always AEAD.
    const enc = name.replace(/^TLS_/, '').replace(/_SHA\d+$/, '');
    return { name, ...(standardName ? { standardName } : {}), kex: 'ECDHE/DHE', enc, mac: 'AEAD', forwardSecrecy: true, weaknesses: [] };
  }
  const parts = name.split('-');
  let kex = 'RSA';
  const first = parts[0]!;
  if (first === 'EXP' || first === 'EXP1024') {
    weaknesses.add('export');
    parts.shift();
  }
  const head = parts[0]!;
  const kexNames: Record<string, string> = {
    ECDHE: 'ECDHE',
    DHE: 'DHE',
    EDH: 'DHE',
    ADH: 'DH (anonymous)',
    AECDH: 'ECDH (anonymous)',
    ECDH: 'ECDH (static)',
    DH: 'DH (static)',
    PSK: 'PSK',
    SRP: 'SRP',
    RSA: 'RSA',
  };
  if (head in kexNames && parts.length > 2) {
    kex = kexNames[head]!;
    parts.shift();
    // ECDHE-RSA-..., DHE-PSK-..., RSA-PSK-..., SRP-RSA-...
    if (['RSA', 'ECDSA', 'DSS', 'PSK', 'CHACHA20'].includes(parts[0]!) && parts.length > 2) {
      if (parts[0] === 'PSK') kex = `${kex}-PSK`;
      if (parts[0] !== 'CHACHA20') parts.shift();
    }
  } else if (head === 'PSK') {
    kex = 'PSK';
    parts.shift();
  }
  const mac = parts[parts.length - 1]!;
  const enc = parts.slice(0, -1).join('-') || mac;
  const aead = /GCM|CCM|POLY1305/.test(name);
  if (/anonymous/.test(kex)) weaknesses.add('anonymous');
  if (/^NULL/.test(enc) || name.includes('-NULL-') || name.startsWith('NULL-')) weaknesses.add('null');
  if (/RC4/.test(name)) weaknesses.add('rc4');
  if (/DES-CBC3|3DES/.test(name)) weaknesses.add('3des');
  else if (/(^|-)DES(-CBC)?(-|$)|DES40/.test(name)) weaknesses.add('des');
  if (mac === 'MD5') weaknesses.add('md5');
  const forwardSecrecy = /^(ECDHE|DHE)/.test(kex) && !/anonymous/.test(kex);
  if (!forwardSecrecy && !weaknesses.has('anonymous')) weaknesses.add('no-forward-secrecy');
  const cbc = !aead && !weaknesses.has('rc4') && !weaknesses.has('null');
  if (cbc && mac === 'SHA') weaknesses.add('cbc-sha1');
  return {
    name,
    ...(standardName ? { standardName } : {}),
    kex,
    enc: enc === 'NULL' ? 'NULL' : enc,
    mac: aead ? 'AEAD' : mac === 'SHA' ? 'SHA-1' : mac,
    forwardSecrecy,
    weaknesses: [...weaknesses],
  };
}

/** One suite of the table (src/collectors/tls/cipher-table.ts, generated from `openssl ciphers -V`). */
export interface Suite {
  code: number;
  /** OpenSSL name, as Node's getCipher().name gives it. */
  name: string;
  standardName: string;
  /** The lowest protocol version the suite is defined for (OpenSSL's column: SSLv3, TLSv1, TLSv1.2, TLSv1.3). */
  minVersion: string;
  /** Key exchange and authentication as `openssl ciphers -V` prints them (Kx=ECDH is ECDHE, Au=None anonymous). */
  kx: string;
  au: string;
  /** Position in OpenSSL's order of the suites selected family by family (see scripts/gen-cipher-table.ts). */
  rank: number;
}

/** Every suite of the table, in the order of `openssl ciphers -V 'ALL:COMPLEMENTOFALL'` (TLS 1.3 first). */
export const SUITES: readonly Suite[] = CIPHER_ROWS.map(([code, name, standardName, minVersion, kx, au, rank]) => ({ code, name, standardName, minVersion, kx, au, rank }));
const BY_CODE = new Map(SUITES.map((s) => [s.code, s]));

export function codeName(code: number): string {
  return BY_CODE.get(code)?.name ?? `0x${code.toString(16).padStart(4, '0')}`;
}

/** OpenSSL as a client offers neither PSK nor SRP suites without a PSK or SRP identity, which the audit has not. */
function clientOffers(s: Suite): boolean {
  return !/PSK|SRP/.test(s.kx) && s.au !== 'PSK' && s.au !== 'SRP';
}

/** OpenSSL's minimum versions that a hello of each version may carry (the table's protocol column). */
const MIN_VERSIONS: Record<TlsVersion, string[]> = { SSLv3: ['SSLv3'], TLSv1: ['SSLv3', 'TLSv1'], 'TLSv1.1': ['SSLv3', 'TLSv1'], 'TLSv1.2': ['SSLv3', 'TLSv1', 'TLSv1.2'], 'TLSv1.3': ['TLSv1.3'] };

/** The suites the local OpenSSL offers in a hello of exactly this version (ALL:COMPLEMENTOFALL at @SECLEVEL=0), in its order. */
export function versionSuites(version: TlsVersion): Suite[] {
  return SUITES.filter((s) => MIN_VERSIONS[version].includes(s.minVersion) && clientOffers(s));
}

/** Whether OpenSSL would send its elliptic-curve extensions with these suites (ECDHE key exchange or ECDSA). */
export function usesEcc(suites: readonly Suite[]): boolean {
  return suites.some((s) => s.kx === 'ECDH' || s.kx === 'ECDHEPSK' || s.au === 'ECDSA' || s.minVersion === 'TLSv1.3');
}

/**
 * Key-exchange families that split one version's enumeration into disjoint groups, eliminated concurrently:
 * group i holds the suites of family i not in an earlier family, the last group everything else, so the groups
 * cover the version's suites exactly once. They are the OpenSSL cipher strings kECDHE, aNULL, kDHE and kRSA
 * (the full-handshake enumeration offered "!kECDHE:aNULL" and so on), recognised by the table's Kx/Au.
 * Anonymous DH is a group of its own: with 256-bit ciphers the server picks 3072-bit DH for it, the
 * costliest handshakes of a weak endpoint, which then run beside the others instead of in one chain.
 */
export const CIPHER_FAMILIES: { name: string; member: (s: Suite) => boolean }[] = [
  { name: 'kECDHE', member: (s) => s.kx === 'ECDH' },
  { name: 'aNULL', member: (s) => s.au === 'None' },
  { name: 'kDHE', member: (s) => s.kx === 'DH' },
  { name: 'kRSA', member: (s) => s.kx === 'RSA' },
];

/** A version's suites split into the elimination groups, each in the order OpenSSL lists that family alone. */
export function cipherGroups(version: TlsVersion): Suite[][] {
  const groups: Suite[][] = [...CIPHER_FAMILIES.map(() => []), []];
  for (const s of versionSuites(version)) {
    const i = CIPHER_FAMILIES.findIndex((f) => f.member(s));
    groups[i < 0 ? CIPHER_FAMILIES.length : i]!.push(s);
  }
  return groups.map((g) => g.sort((a, b) => a.rank - b.rank));
}

/** Sends one ClientHello offering `suites` at `version` (probeHello bound to a target, behind the target's limiter). */
export type HelloProber = (offer: HelloOffer) => Promise<HelloResult>;

/** Thrown when the peer breaks a probe: the enumeration cannot be trusted. */
export class EnumerationError extends Error {}

/**
 * Enumerates the suites of one version the server accepts, with one raw ClientHello per question (hello.ts:
 * the answer is the ServerHello, no handshake is completed). TLS 1.3 (five suites) is one elimination chain;
 * TLS 1.2 and older are eliminated in the family groups concurrently (the prober bounds how many are in
 * flight), each group in the order the server chooses within it. `top` is the server's choice when offered
 * everything of this version (the protocol probe's); without it one more probe asks. The accepted list
 * starts with that first choice, then the other suites group by group. `handshakes` counts the probes made.
 */
export async function enumerateVersion(version: TlsVersion, probe: HelloProber, top?: string): Promise<TlsVersionCiphers> {
  let handshakes = 0;
  let incomplete: string | undefined;
  const offer = (suites: readonly Suite[]) => probe({ version, suites: suites.map((s) => s.code), ecc: usesEcc(suites) });
  /** The suite the server chose out of `offered`; a suite it was not offered breaks the enumeration. */
  const chosen = (r: Extract<HelloResult, { kind: 'accepted' }>, offered: readonly Suite[], what: string): Suite => {
    const s = offered.find((x) => x.code === r.suite);
    if (!s) throw new EnumerationError(`${version}${what}: the server chose ${codeName(r.suite)}, which was not offered`);
    return s;
  };
  const chain = async (candidates: Suite[]): Promise<TlsCipherInfo[]> => {
    const accepted: TlsCipherInfo[] = [];
    let left = candidates;
    while (left.length) {
      if (handshakes >= MAX_PER_VERSION) {
        incomplete = `stopped after ${MAX_PER_VERSION} probes`;
        break;
      }
      handshakes++;
      let r = await offer(left);
      // A reset or close without an alert may be a busy broker rather than "nothing left": ask once more.
      if (r.kind === 'refused' && !r.alert) {
        handshakes++;
        r = await offer(left);
      }
      if (r.kind === 'accepted') {
        const s = chosen(r, left, '');
        left = left.filter((x) => x !== s);
        accepted.push(classifyCipher(s.name, s.standardName));
        continue;
      }
      if (r.kind === 'refused') break; // nothing left that both sides have
      throw new EnumerationError(`${version} cipher enumeration: ${r.reason}`);
    }
    return accepted;
  };
  let accepted: TlsCipherInfo[];
  if (version === 'TLSv1.3') accepted = await chain(versionSuites(version));
  else {
    const [groups, first] = await Promise.all([
      Promise.all(cipherGroups(version).map((g) => chain(g))),
      (async () => {
        if (top) return top;
        handshakes++;
        const all = versionSuites(version);
        const r = await offer(all);
        return r.kind === 'accepted' ? chosen(r, all, ' first choice').name : undefined;
      })(),
    ]);
    const all = groups.flat();
    const head = all.find((s) => s.name === first);
    accepted = head ? [head, ...all.filter((s) => s !== head)] : all;
  }
  let serverOrder: boolean | null = null;
  if (accepted.length >= 2) {
    // Offer the server's first choice last, after its last-listed suite: who decides?
    const pair = [accepted[accepted.length - 1]!, accepted[0]!].map((a) => SUITES.find((s) => s.name === a.name)!);
    handshakes++;
    const r = await offer(pair);
    if (r.kind === 'accepted') {
      const s = chosen(r, pair, ' server order probe');
      serverOrder = s === pair[1] ? true : s === pair[0] ? false : null;
    } else if (r.kind === 'error') throw new EnumerationError(`${version} server order probe: ${r.reason}`);
  }
  return { version, accepted, serverOrder, handshakes, ...(incomplete ? { incomplete } : {}) };
}
