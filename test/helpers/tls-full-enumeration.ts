/**
 * The cipher enumeration as it was before the raw ClientHello prober (src/collectors/tls/hello.ts): the same
 * elimination with OpenSSL's full handshakes through Node's tls, offering OpenSSL cipher strings. Kept for the
 * tests only, as the reference the raw enumeration must agree with (test/tls-hello.test.ts) and as the source
 * of the ClientHellos Node sends for the same offers. Not used by the tool.
 */
import tls from 'node:tls';
import type { TlsCipherInfo, TlsVersionCiphers } from '../../src/core/facts.js';
import { ALL_CIPHERS, classifyCipher, EnumerationError, TLS13_SUITES } from '../../src/collectors/tls/ciphers.js';
import { closeSocket, type HandshakeParams, type HandshakeResult, type TlsVersion } from '../../src/collectors/tls/handshake.js';

const MAX_PER_VERSION = 200;

export type Handshaker = (p: HandshakeParams) => Promise<HandshakeResult>;

const V: Record<TlsVersion, tls.SecureVersion | undefined> = { SSLv3: undefined, TLSv1: 'TLSv1', 'TLSv1.1': 'TLSv1.1', 'TLSv1.2': 'TLSv1.2', 'TLSv1.3': 'TLSv1.3' };


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
export async function enumerateVersionFullHandshakes(version: TlsVersion, run: Handshaker, top?: string): Promise<TlsVersionCiphers> {
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
