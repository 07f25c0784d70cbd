/** Builders of TLS fact fixtures for the check tests: a hardened endpoint plus overrides. */
import type {
  TlsAttempt,
  TlsCertInfo,
  TlsCertificate,
  TlsCipherInfo,
  TlsCipherScan,
  TlsClientAuth,
  TlsProtocolProbe,
  TlsProtocols,
  TlsRevocation,
  TlsRevocationSource,
  TlsVersion,
} from '../../src/core/facts.js';

export const NOW = '2026-06-01T12:00:00.000Z';

export function protocols(states: Partial<Record<TlsVersion, TlsProtocolProbe['state']>> = {}): TlsProtocols {
  const base: Record<TlsVersion, TlsProtocolProbe['state']> = { SSLv3: 'not-offered', TLSv1: 'not-offered', 'TLSv1.1': 'not-offered', 'TLSv1.2': 'offered', 'TLSv1.3': 'offered', ...states };
  return {
    openssl: '3.0.19',
    probes: (Object.keys(base) as TlsVersion[]).map((version) => ({
      version,
      state: base[version],
      detail: base[version] === 'unprobeable' ? 'not probed' : base[version] === 'error' ? 'no TLS handshake within 2000 ms' : base[version],
      ...(base[version] === 'offered' ? { cipher: version === 'TLSv1.3' ? 'TLS_AES_256_GCM_SHA384' : 'ECDHE-ECDSA-AES128-SHA' } : {}),
    })),
  };
}

export function suite(name: string, weaknesses: TlsCipherInfo['weaknesses'] = [], over: Partial<TlsCipherInfo> = {}): TlsCipherInfo {
  return { name, kex: 'ECDHE', enc: 'AES128-GCM', mac: 'AEAD', forwardSecrecy: !weaknesses.includes('no-forward-secrecy'), weaknesses, ...over };
}

export function ciphers(tls12: TlsCipherInfo[] = [suite('ECDHE-ECDSA-AES256-GCM-SHA384'), suite('ECDHE-ECDSA-AES128-GCM-SHA256')], over: Partial<TlsCipherScan> = {}, serverOrder: boolean | null = true): TlsCipherScan {
  return {
    openssl: '3.0.19',
    versions: [
      { version: 'TLSv1.2', accepted: tls12, serverOrder: tls12.length >= 2 ? serverOrder : null, handshakes: tls12.length + 2 },
      { version: 'TLSv1.3', accepted: [suite('TLS_AES_256_GCM_SHA384'), suite('TLS_AES_128_GCM_SHA256')], serverOrder: true, handshakes: 4 },
    ],
    unprobeable: ['EXPORT', 'RC4', 'DES', '3DES'],
    concurrency: 4,
    ...over,
  };
}

export function cert(over: Partial<TlsCertInfo> = {}): TlsCertInfo {
  return {
    subject: 'CN=broker.example',
    issuer: 'CN=Example Intermediate, O=Example',
    cn: 'broker.example',
    serial: '1A2B',
    notBefore: '2026-01-01T00:00:00.000Z',
    notAfter: '2027-01-01T00:00:00.000Z',
    keyType: 'ec',
    keyBits: 256,
    curve: 'prime256v1',
    signatureAlgorithm: 'ecdsa-with-SHA256',
    signatureHash: 'SHA-256',
    isCA: false,
    selfSigned: false,
    san: { dns: ['broker.example'], ip: [] },
    crlUrls: ['http://pki.example/int.crl'],
    ocspUrls: [],
    fingerprint256: 'AA:BB',
    source: 'served',
    ...over,
  };
}

export const INTERMEDIATE = cert({
  subject: 'CN=Example Intermediate, O=Example',
  cn: 'Example Intermediate',
  issuer: 'CN=Example Root, O=Example',
  isCA: true,
  san: { dns: [], ip: [] },
  notAfter: '2030-01-01T00:00:00.000Z',
});
export const ROOT = cert({
  subject: 'CN=Example Root, O=Example',
  cn: 'Example Root',
  issuer: 'CN=Example Root, O=Example',
  isCA: true,
  selfSigned: true,
  san: { dns: [], ip: [] },
  source: 'trust-store',
  notAfter: '2036-01-01T00:00:00.000Z',
});

export function certificate(leaf: Partial<TlsCertInfo> = {}, over: Partial<TlsCertificate> = {}): TlsCertificate {
  return {
    host: 'broker.example',
    now: NOW,
    warnDays: [30, 60],
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    chain: [cert(leaf), INTERMEDIATE, ROOT],
    trust: { verified: true, anchors: 'system roots and --ca' },
    ...over,
  };
}

export function source(over: Partial<TlsRevocationSource> = {}): TlsRevocationSource {
  return {
    kind: 'crl-file',
    where: 'int.crl',
    certificate: 'CN=broker.example',
    status: 'good',
    detail: 'serial 1A2B is not on the CRL',
    signatureValid: true,
    thisUpdate: '2026-05-30T00:00:00.000Z',
    nextUpdate: '2026-06-07T00:00:00.000Z',
    ...over,
  };
}

export function revocation(sources: TlsRevocationSource[] = [source()], over: Partial<TlsRevocation> = {}): TlsRevocation {
  return { now: NOW, online: false, crlUrls: ['http://pki.example/int.crl'], ocspUrls: [], stapled: false, crlFiles: ['int.crl'], sources, ...over };
}

export const CONNACK_REFUSED = { protocolVersion: 5 as const, code: 0x87, codeName: 'not authorized', accepted: false, refusal: 'not-authorized' as const };
export const CONNACK_OK = { protocolVersion: 5 as const, code: 0, codeName: 'success', accepted: true };

export function clientAuth(without: Partial<TlsAttempt> = {}, withCert: TlsClientAuth['withCertificate'] = { tested: false, reason: 'no client certificate given (--cert/--key)' }): TlsClientAuth {
  return {
    withoutCertificate: { outcome: 'refused-after-handshake', protocol: 'TLSv1.3', detail: 'tlsv13 alert certificate required', ...without },
    withCertificate: withCert,
  };
}
