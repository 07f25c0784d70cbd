/**
 * Collector: the TLS audit of one mqtts:// or wss:// endpoint.
 *
 * 1. The certificate handshake (TLS 1.0–1.3, every cipher, no client
 *    certificate, OCSP stapling requested, Node's roots, the system CA bundle and --ca as trust
 *    anchors), followed by an MQTT CONNECT/CONNACK and DISCONNECT on the same
 *    connection, so the broker logs a normal session. Its CONNACK tells whether
 *    the endpoint takes clients with neither certificate nor password.
 * 2. One handshake per protocol version (SSLv3, which OpenSSL 3 cannot send:
 *    a raw ClientHello), then the cipher suites of every offered version by
 *    elimination with raw ClientHellos that stop at the ServerHello
 *    (hello.ts), with at most `concurrency` handshakes or probes in flight
 *    per target.
 * 3. With --cert/--key: a handshake with the client certificate, and CONNECT.
 * 4. Revocation: --crl files, the stapled OCSP response, and with
 *    --revocation-online the CRL distribution points and OCSP responders.
 *
 * Every handshake and probe has the operation timeout and the per-target signal.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs it loaded first
import { readTextFile } from '../../io/read.js';
import tls from 'node:tls';
import * as x509 from '@peculiar/x509';
import { collect, mapLimit } from '../../core/collect.js';
import type { FactTypes, TlsAttempt, TlsCertInfo, TlsProtocolProbe } from '../../core/facts.js';
import type { Endpoint, Fact } from '../../core/types.js';
import { mqttConnect, ProbeError, type TransportOptions } from '../mqtt/channel.js';
import { randomClientId, refusedVersion, summarize, type Credentials } from '../mqtt/probe.js';
import { ALL_CIPHERS, codeName, EnumerationError, enumerateVersion, TLS13_SUITES, unprobeableFamilies, versionSuites } from './ciphers.js';
import { describeCertificate } from './certificate.js';
import { probeHello, type HelloOffer } from './hello.js';
import { closeSocket, handshake, memoLookup, opensslReason, type HandshakeParams, type HandshakeResult, type TlsVersion } from './handshake.js';
import { collectRevocationSources, parseCertificates, type CrlInput } from './revocation.js';
import { ab } from './bytes.js';

export interface TlsAuditOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  /** Extra trust anchors and client certificate (PEM). */
  ca?: string | Buffer;
  cert?: string | Buffer;
  key?: string | Buffer;
  credentials?: Credentials;
  /** Handshakes in flight at most for this target. */
  concurrency: number;
  crlFiles: CrlInput[];
  revocationOnline: boolean;
  expiryWarnDays: number[];
  /** Collection time; defaults to the clock (tests pass a fixed one). */
  now?: Date;
}

export type TlsFacts = { [K in 'tls.protocols' | 'tls.ciphers' | 'tls.certificate' | 'tls.revocation' | 'tls.clientAuth']: Fact<FactTypes[K]> };

const VERSIONS: TlsVersion[] = ['SSLv3', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3'];
const CERT_ALERT = /alert (certificate required|bad certificate|handshake failure|unknown ca|certificate unknown|access denied)|peer did not return a certificate/i;

/** A counting semaphore: at most `n` handshakes of one target at once. */
function limiter(n: number) {
  let active = 0;
  const queue: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((r) => queue.push(r));
    active++;
    try {
      return await fn();
    } finally {
      active--;
      queue.shift()?.();
    }
  };
}

/** The distribution's CA bundle, read once (Node's own store is Mozilla's, bundled at build time). */
const SYSTEM_BUNDLES = ['/etc/ssl/certs/ca-certificates.crt', '/etc/pki/tls/certs/ca-bundle.crt', '/etc/ssl/cert.pem'];
let systemCache: { file: string; pem: string } | null | undefined;
function systemBundle(): { file: string; pem: string } | null {
  if (systemCache !== undefined) return systemCache;
  systemCache = null;
  for (const file of SYSTEM_BUNDLES) {
    try {
      const pem = readTextFile(file, 'tls', { label: 'CA bundle' });
      if (pem.includes('BEGIN CERTIFICATE')) {
        systemCache = { file, pem };
        break;
      }
    } catch {
      // not on this distribution
    }
  }
  return systemCache;
}

function chainOf(socket: tls.TLSSocket): Buffer[] {
  const out: Buffer[] = [];
  let c: tls.DetailedPeerCertificate | undefined = socket.getPeerCertificate(true);
  const seen = new Set<string>();
  while (c && c.raw && !seen.has(c.fingerprint256) && out.length < 16) {
    seen.add(c.fingerprint256);
    out.push(c.raw);
    c = c.issuerCertificate;
  }
  return out;
}

/** MQTT over a handshaken socket: CONNECT, CONNACK (or the alert/close instead), DISCONNECT. */
/**
 * MQTT on a TLS connection that held: MQTT 5 first; a broker that refuses the protocol version (a 3.1.1-only
 * broker such as Aedes) is asked again with MQTT 3.1.1 on a new connection from `reconnect`, as the session
 * probe does, so that "TLS held and MQTT answered" is judged on the answer to a CONNECT it understands.
 */
async function speakMqtt(
  ep: Endpoint,
  socket: tls.TLSSocket,
  protocol: string,
  creds: Credentials | undefined,
  opts: TlsAuditOptions,
  reconnect?: () => Promise<tls.TLSSocket | undefined>,
): Promise<TlsAttempt> {
  const transport: TransportOptions = { timeoutMs: opts.timeoutMs, socket, ...(opts.signal ? { signal: opts.signal } : {}) };
  try {
    const params = { clientId: randomClientId(), ...(creds ? { username: creds.username, ...(creds.password !== undefined ? { password: creds.password } : {}) } : {}) };
    let r = await mqttConnect(ep, 5, params, transport);
    r.channel?.close();
    let older = '';
    if (refusedVersion(r.outcome) && reconnect) {
      const again = await reconnect();
      if (again) {
        r = await mqttConnect(ep, 4, params, { ...transport, socket: again });
        r.channel?.close();
        older = ' (MQTT 3.1.1: the broker refused MQTT 5)';
      }
    }
    if (r.outcome.kind === 'connack') {
      const connack = summarize(r.outcome);
      return { outcome: 'accepted', protocol, connack, detail: `TLS held and MQTT answered: CONNACK ${connack.codeName}${older}` };
    }
    const message = opensslReason(r.outcome.error.message);
    if (CERT_ALERT.test(message)) return { outcome: 'refused-after-handshake', protocol, detail: `the server ended the connection after the handshake: ${message}` };
    return { outcome: 'no-connack', protocol, detail: message };
  } catch (e) {
    if (e instanceof ProbeError && e.kind === 'aborted') throw e;
    const message = opensslReason((e as Error).message);
    if (CERT_ALERT.test(message)) return { outcome: 'refused-after-handshake', protocol, detail: `the server ended the connection after the handshake: ${message}` };
    return { outcome: 'no-connack', protocol, detail: message };
  }
}

export async function collectTls(ep: Endpoint, opts: TlsAuditOptions): Promise<TlsFacts> {
  const now = (opts.now ?? new Date()).toISOString();
  const openssl = process.versions.openssl ?? 'unknown';
  const target = { host: ep.host, port: ep.port, timeoutMs: opts.timeoutMs, lookup: memoLookup(), ...(opts.signal ? { signal: opts.signal } : {}) };
  const limit = limiter(Math.max(1, opts.concurrency));
  const run = (p: HandshakeParams): Promise<HandshakeResult> => limit(() => handshake(target, p));
  /** A new connection with the same handshake, for the MQTT 3.1.1 retry (undefined when it does not hold). */
  const fresh = async (p: HandshakeParams): Promise<tls.TLSSocket | undefined> => {
    const r = await run(p);
    return r.kind === 'ok' ? r.socket : undefined;
  };
  const extraCa = opts.ca ? [opts.ca] : [];
  const system = systemBundle();
  const anchors = [...tls.rootCertificates, ...(system ? [system.pem] : []), ...extraCa];
  const anchorsName = [system ? `system trust store (${system.file})` : "Node's root store", ...(opts.ca ? ['--ca'] : [])].join(' and ');
  const fail = (error: string) => ({ state: 'error' as const, error, ms: 0 });

  // 1. The certificate handshake, then MQTT on the same connection.
  const t0 = performance.now();
  const everything = `${ALL_CIPHERS.replace(':@SECLEVEL=0', '')}:${TLS13_SUITES.join(':')}:@SECLEVEL=0`;
  const mainParams: HandshakeParams = { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: everything, ca: anchors, requestOCSP: true, reuseContext: true };
  const main = await run(mainParams);
  let certParams = mainParams;
  let viaClientCertificate = false;
  let withoutCertificate: TlsAttempt;
  let certSocket: tls.TLSSocket | undefined;
  let certHandshake: Extract<HandshakeResult, { kind: 'ok' }> | undefined;
  if (main.kind === 'ok') {
    certHandshake = main;
    certSocket = main.socket;
  } else if (main.kind === 'refused' && CERT_ALERT.test(main.reason)) {
    // TLS 1.2 and older refuse a missing client certificate inside the handshake.
    withoutCertificate = { outcome: 'refused-handshake', detail: `handshake without a client certificate refused: ${main.reason}` };
    if (opts.cert && opts.key) {
      certParams = { ...mainParams, cert: opts.cert, key: opts.key };
      const again = await run(certParams);
      if (again.kind === 'ok') {
        certHandshake = again;
        certSocket = again.socket;
        viaClientCertificate = true;
      }
    }
  }
  let certificate: Fact<FactTypes['tls.certificate']>;
  let chainDer: Buffer[] = [];
  let stapled: Buffer | null = null;
  if (certHandshake && certSocket) {
    const s = certSocket;
    chainDer = chainOf(s);
    stapled = certHandshake.ocsp;
    const trust = { verified: s.authorized, ...(s.authorizationError ? { error: String(s.authorizationError) } : {}), anchors: anchorsName };
    certificate = {
      state: 'ok',
      ms: 0,
      value: { host: ep.host, now, warnDays: opts.expiryWarnDays, protocol: certHandshake.protocol, cipher: certHandshake.cipher.name, chain: [], trust, ...(viaClientCertificate ? { viaClientCertificate } : {}) },
    };
    const attempt = await speakMqtt(ep, s, certHandshake.protocol, viaClientCertificate ? opts.credentials : undefined, opts, () => fresh(certParams));
    if (!viaClientCertificate) withoutCertificate = attempt;
  } else {
    const why = main.kind === 'ok' ? '' : main.reason;
    certificate =
      main.kind === 'refused' && CERT_ALERT.test(main.reason)
        ? { state: 'skipped', reason: `the server refuses handshakes without a client certificate (${why.split('\n')[0]}); give --cert/--key to inspect its certificate` }
        : main.kind === 'unsupported'
          ? fail(`the local OpenSSL cannot start a handshake: ${why}`)
          : fail(`${ep.host}:${ep.port}: ${why.trim()}`);
    withoutCertificate ??= main.kind === 'refused' ? { outcome: 'refused-handshake', detail: main.reason } : { outcome: 'no-connack', detail: why };
  }
  const certMs = Math.round(performance.now() - t0);

  const clientCert = opts.cert && opts.key ? { cert: opts.cert, key: opts.key } : {};
  const certDemanded = withoutCertificate!.outcome === 'refused-handshake' || withoutCertificate!.outcome === 'refused-after-handshake';
  // 2. Protocols, then ciphers per offered version (the served chain comes from these: empty trust store, no completion).
  const t1 = performance.now();
  const served = new Set<string>();
  const protocolProbes: TlsProtocolProbe[] = await mapLimit(VERSIONS, VERSIONS.length, async (version): Promise<TlsProtocolProbe> => {
    if (version === 'SSLv3') {
      // OpenSSL 3 (and Node with it) cannot send SSLv3: our own ClientHello (hello.ts) asks, answered by the ServerHello.
      const suites = versionSuites('SSLv3');
      const missing = unprobeableFamilies();
      const what = `an SSLv3 ClientHello of our own with the ${suites.length} SSLv3 suites of the cipher table${missing.length ? ` (no ${missing.join(', ')} suites: the local OpenSSL has none)` : ''}`;
      const r = await limit(() => probeHello(target, { version, suites: suites.map((s) => s.code) }));
      if (r.kind === 'accepted') {
        const s = suites.find((x) => x.code === r.suite);
        if (!s) return { version, state: 'error', detail: `the server answered ${what} choosing ${codeName(r.suite)}, which was not offered` };
        return { version, state: 'offered', detail: `the server answered ${what} with an SSLv3 ServerHello choosing ${s.name}`, cipher: s.name };
      }
      if (r.kind === 'refused') return { version, state: 'not-offered', detail: `${r.reason}, to ${what}` };
      return { version, state: 'error', detail: r.reason };
    }
    const v = version as tls.SecureVersion;
    // ca: [] is an empty trust store: OpenSSL then reports the chain exactly as served, without completing it.
    const r = await run({ minVersion: v, maxVersion: v, ciphers: version === 'TLSv1.3' ? TLS13_SUITES.join(':') : ALL_CIPHERS, ca: [], ...clientCert });
    if (r.kind === 'ok') {
      if (r.protocol === certHandshake?.protocol) for (const der of chainOf(r.socket)) served.add(der.toString('hex'));
      closeSocket(r.socket);
      return { version, state: 'offered', detail: `handshake completed with ${r.cipher.name}`, cipher: r.cipher.name };
    }
    if (r.kind === 'refused') {
      if (/certificate/i.test(r.reason) && CERT_ALERT.test(r.reason)) return { version, state: 'offered', detail: `handshake reached the client certificate request: ${r.reason}` };
      // Without a certificate, a server that demands one answers TLS 1.2 and older with "handshake failure", like a version it refuses.
      if (certDemanded && !clientCert.cert && /handshake failure/i.test(r.reason)) {
        return { version, state: 'unprobeable', detail: `the server demands a client certificate and answered "handshake failure", which also means "no common cipher or version": give --cert/--key to probe ${version}` };
      }
      return { version, state: 'not-offered', detail: r.reason };
    }
    if (r.kind === 'unsupported') return { version, state: 'unprobeable', detail: `the local OpenSSL ${openssl} cannot offer ${version}: ${r.reason}` };
    return { version, state: 'error', detail: r.reason };
  });
  const broken = protocolProbes.find((p) => p.state === 'error');
  const protocols: Fact<FactTypes['tls.protocols']> = broken
    ? fail(`${broken.version} probe: ${broken.detail}`)
    : { state: 'ok', ms: Math.round(performance.now() - t1), value: { openssl, probes: protocolProbes } };
  // The protocol probes without a client certificate may have been refused only for the missing certificate.
  if (protocols.state === 'ok' && certHandshake && !served.size) for (const der of chainDer) served.add(der.toString('hex'));

  const t2 = performance.now();
  let ciphers: Fact<FactTypes['tls.ciphers']>;
  if (protocols.state !== 'ok') ciphers = fail(`not enumerated: the protocol probes broke (${protocols.error})`);
  else {
    const offered = protocolProbes.filter((p) => p.state === 'offered').map((p) => p.version);
    try {
      // Raw ClientHellos (hello.ts): the suite is chosen in the ServerHello, before any client certificate is asked for.
      const probe = (offer: HelloOffer) => limit(() => probeHello(target, offer));
      const versions = await Promise.all(offered.map((v) => enumerateVersion(v, probe, protocolProbes.find((p) => p.version === v)?.cipher)));
      ciphers = { state: 'ok', ms: Math.round(performance.now() - t2), value: { openssl, versions, unprobeable: unprobeableFamilies(), concurrency: opts.concurrency } };
    } catch (e) {
      if (!(e instanceof EnumerationError)) throw e;
      ciphers = fail(e.message);
    }
  }

  // 3. Mutual TLS with the given client certificate.
  let withCertificate: FactTypes['tls.clientAuth']['withCertificate'];
  if (!(opts.cert && opts.key)) withCertificate = { tested: false, reason: 'no client certificate given (--cert/--key)' };
  else {
    const name = clientCertName(opts.cert);
    const params: HandshakeParams = { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: everything, cert: opts.cert, key: opts.key };
    const r = await run(params);
    if (r.kind === 'ok') withCertificate = { tested: true, certificate: name, ...(await speakMqtt(ep, r.socket, r.protocol, opts.credentials, opts, () => fresh(params))) };
    else if (r.kind === 'refused') withCertificate = { tested: true, certificate: name, outcome: 'refused-handshake', detail: r.reason };
    else withCertificate = { tested: false, reason: `the handshake with the client certificate broke: ${r.reason}`, error: true };
  }
  const clientAuth: Fact<FactTypes['tls.clientAuth']> =
    certificate.state === 'error'
      ? fail(certificate.error)
      : { state: 'ok', ms: certMs, value: { withoutCertificate: withoutCertificate!, withCertificate } };

  // 4. The chain as facts, and revocation.
  let revocation: Fact<FactTypes['tls.revocation']>;
  if (certificate.state === 'ok') {
    const infos: TlsCertInfo[] = chainDer.map((der, i) => {
      return describeCertificate(der, i === 0 || served.has(der.toString('hex')) ? 'served' : 'trust-store');
    });
    certificate.value.chain = infos;
    certificate.ms = certMs;
    const chain = chainDer.map((d) => new x509.X509Certificate(ab(d)));
    const leaf = infos[0]!;
    revocation = await collect(async () => ({
      now,
      online: opts.revocationOnline,
      crlUrls: leaf.crlUrls,
      ocspUrls: leaf.ocspUrls,
      stapled: stapled !== null,
      crlFiles: opts.crlFiles.map((f) => f.name),
      sources: await collectRevocationSources({
        chain,
        anchors: parseCertificates(opts.ca),
        crlFiles: opts.crlFiles,
        online: opts.revocationOnline,
        stapled,
        timeoutMs: opts.timeoutMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
      }),
    }));
  } else {
    revocation = certificate.state === 'skipped' ? certificate : fail(`no certificate to check: ${certificate.error}`);
  }
  return { 'tls.protocols': protocols, 'tls.ciphers': ciphers, 'tls.certificate': certificate, 'tls.revocation': revocation, 'tls.clientAuth': clientAuth };
}

function clientCertName(cert: string | Buffer): string {
  try {
    return new x509.X509Certificate(cert.toString()).subject;
  } catch {
    return 'unparsable certificate';
  }
}
