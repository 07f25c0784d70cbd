/**
 * Cipher suites: classification by name, and enumeration by server-preferred
 * elimination (offer everything, note the server's choice, offer everything
 * but that, ...): one handshake per accepted suite plus one per group of key
 * exchanges eliminated side by side, instead of one per suite the client knows
 * (testssl.sh's approach for speed; sslyze's "one each" trips broker
 * connection limits).
 */
import tls from 'node:tls';
import type { CipherWeakness, TlsCipherInfo, TlsVersionCiphers } from '../../core/facts.js';
import { closeSocket, type HandshakeParams, type HandshakeResult, type TlsVersion } from './handshake.js';

/** Everything the local OpenSSL knows, weakest included. */
export const ALL_CIPHERS = 'ALL:COMPLEMENTOFALL:@SECLEVEL=0';
export const TLS13_SUITES = ['TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256', 'TLS_AES_128_GCM_SHA256', 'TLS_AES_128_CCM_SHA256', 'TLS_AES_128_CCM_8_SHA256'];
/** A bound on one version's enumeration (OpenSSL 3 knows about 150 suites for TLS 1.2). */
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

export type Handshaker = (p: HandshakeParams) => Promise<HandshakeResult>;

const V: Record<TlsVersion, tls.SecureVersion | undefined> = { SSLv3: undefined, TLSv1: 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };

/** Thrown when the peer breaks a handshake: the enumeration cannot be trusted. */
export class EnumerationError extends Error {}

/**
 * Key-exchange families that split one version's enumeration into disjoint groups, eliminated concurrently:
 * group i offers family i minus the families before it ("!" deletes for good in an OpenSSL cipher string),
 * the last group offers everything minus all of them, so the groups cover ALL:COMPLEMENTOFALL exactly once.
 * Anonymous DH is a group of its own: with 256-bit ciphers the server picks 3072-bit DH for it, the
 * costliest handshakes of a weak endpoint, which then run beside the others instead of in one chain.
 */
const GROUPS = ['kECDHE', 'aNULL', 'kDHE', 'kRSA'];
export const CIPHER_GROUPS: string[] = [...GROUPS.map((g, i) => [...GROUPS.slice(0, i).map((x) => `!${x}`), g].join(':')), ['ALL:COMPLEMENTOFALL', ...GROUPS.map((x) => `!${x}`)].join(':')];

/**
 * Enumerates the suites of one version the server accepts. TLS 1.3 (five suites) is one elimination chain;
 * TLS 1.2 and older are eliminated in the CIPHER_GROUPS concurrently (the handshaker bounds how many are in
 * flight), each group in the order the server chooses within it. `top` is the server's choice when offered
 * everything of this version (the protocol probe's); without it one more handshake asks. The accepted list
 * starts with that first choice, then the other suites group by group.
 */
export async function enumerateVersion(version: TlsVersion, run: Handshaker, top?: string): Promise<TlsVersionCiphers> {
  const v = V[version]!;
  const tls13 = version === 'TLSv1.3';
  let handshakes = 0;
  let incomplete: string | undefined;
  // ca: [] (an empty trust store): nothing is verified here, and Node then skips loading its root store per handshake.
  const hs = (ciphers: string) => run({ minVersion: v, maxVersion: v, ciphers, ca: [] });
  const chain = async (base: string | null): Promise<TlsCipherInfo[]> => {
    const accepted: TlsCipherInfo[] = [];
    const excluded: string[] = [];
    const offer = (): string => (tls13 ? TLS13_SUITES.filter((s) => !excluded.includes(s)).join(':') : `${base}${excluded.map((n) => `:!${n}`).join('')}:@SECLEVEL=0`);
    for (;;) {
      if (tls13 && excluded.length === TLS13_SUITES.length) break;
      if (handshakes >= MAX_PER_VERSION) {
        incomplete = `stopped after ${MAX_PER_VERSION} handshakes`;
        break;
      }
      handshakes++;
      let r = await hs(offer());
      // A reset or close without an alert may be a busy broker rather than "nothing left": ask once more.
      if (r.kind === 'refused' && !r.alert) {
        handshakes++;
        r = await hs(offer());
      }
      if (r.kind === 'ok') {
        closeSocket(r.socket);
        const name = r.cipher.name;
        if (excluded.includes(name)) throw new EnumerationError(`${version}: the server chose ${name}, which was not offered`);
        excluded.push(name);
        accepted.push(classifyCipher(name, r.cipher.standardName));
        continue;
      }
      if (r.kind === 'refused' || r.kind === 'unsupported') break; // nothing left that both sides have
      throw new EnumerationError(`${version} cipher enumeration: ${r.reason}`);
    }
    return accepted;
  };
  let accepted: TlsCipherInfo[];
  if (tls13) accepted = await chain(null);
  else {
    const [groups, first] = await Promise.all([
      Promise.all(CIPHER_GROUPS.map((g) => chain(g))),
      (async () => {
        if (top) return top;
        handshakes++;
        const r = await hs(ALL_CIPHERS);
        if (r.kind !== 'ok') return undefined;
        closeSocket(r.socket);
        return r.cipher.name;
      })(),
    ]);
    const all = groups.flat();
    const head = all.find((s) => s.name === first);
    accepted = head ? [head, ...all.filter((s) => s !== head)] : all;
  }
  let serverOrder: boolean | null = null;
  if (accepted.length >= 2) {
    // Offer the server's first choice last, after its last-listed suite: who decides?
    const first = accepted[0]!.name;
    const last = accepted[accepted.length - 1]!.name;
    handshakes++;
    const r = await hs(tls13 ? `${last}:${first}` : `${last}:${first}:@SECLEVEL=0`);
    if (r.kind === 'ok') {
      closeSocket(r.socket);
      serverOrder = r.cipher.name === first ? true : r.cipher.name === last ? false : null;
    } else if (r.kind === 'error') throw new EnumerationError(`${version} server order probe: ${r.reason}`);
  }
  return { version, accepted, serverOrder, handshakes, ...(incomplete ? { incomplete } : {}) };
}
