/**
 * Cipher suites: classification by name, and enumeration by server-preferred
 * elimination (offer everything, note the server's choice, offer everything
 * but that, ...): one handshake per accepted suite plus one, instead of one per
 * suite the client knows (testssl.sh's approach for speed; sslyze's "one each"
 * trips broker connection limits).
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

/** Enumerates the suites of one version the server accepts, in the order it chooses them. */
export async function enumerateVersion(version: TlsVersion, run: Handshaker): Promise<TlsVersionCiphers> {
  const v = V[version]!;
  const tls13 = version === 'TLSv1.3';
  const accepted: TlsCipherInfo[] = [];
  const excluded: string[] = [];
  let handshakes = 0;
  const offer = (names?: string[]): string =>
    tls13 ? (names ?? TLS13_SUITES.filter((s) => !excluded.includes(s))).join(':') : names ? `${names.join(':')}:@SECLEVEL=0` : `ALL:COMPLEMENTOFALL${excluded.map((n) => `:!${n}`).join('')}:@SECLEVEL=0`;
  let incomplete: string | undefined;
  for (;;) {
    if (tls13 && excluded.length === TLS13_SUITES.length) break;
    if (handshakes >= MAX_PER_VERSION) {
      incomplete = `stopped after ${MAX_PER_VERSION} handshakes`;
      break;
    }
    handshakes++;
    let r = await run({ minVersion: v, maxVersion: v, ciphers: offer() });
    // A reset or close without an alert may be a busy broker rather than "nothing left": ask once more.
    if (r.kind === 'refused' && !r.alert) {
      handshakes++;
      r = await run({ minVersion: v, maxVersion: v, ciphers: offer() });
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
  let serverOrder: boolean | null = null;
  if (accepted.length >= 2) {
    // Offer the server's first and last choice in reverse order: who decides?
    const first = accepted[0]!.name;
    const last = accepted[accepted.length - 1]!.name;
    handshakes++;
    const r = await run({ minVersion: v, maxVersion: v, ciphers: offer([last, first]) });
    if (r.kind === 'ok') {
      closeSocket(r.socket);
      serverOrder = r.cipher.name === first ? true : r.cipher.name === last ? false : null;
    } else if (r.kind === 'error') throw new EnumerationError(`${version} server order probe: ${r.reason}`);
  }
  return { version, accepted, serverOrder, handshakes, ...(incomplete ? { incomplete } : {}) };
}
