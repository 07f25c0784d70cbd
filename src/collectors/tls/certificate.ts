/**
 * What the certificate checks need to know about each certificate of a chain,
 * read with Node's crypto.X509Certificate (key, validity, names) and
 * @peculiar/x509 / pkijs (signature algorithm OID, CRL distribution points,
 * authority information access), which Node does not expose.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs it loaded first
import { X509Certificate } from 'node:crypto';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import type { TlsCertInfo } from '../../core/facts.js';
import { ab } from './bytes.js';

/** Signature algorithm OIDs → name and hash. */
const SIG_OIDS: Record<string, [string, string]> = {
  '1.2.840.113549.1.1.2': ['md2WithRSAEncryption', 'MD2'],
  '1.2.840.113549.1.1.4': ['md5WithRSAEncryption', 'MD5'],
  '1.2.840.113549.1.1.5': ['sha1WithRSAEncryption', 'SHA-1'],
  '1.2.840.113549.1.1.11': ['sha256WithRSAEncryption', 'SHA-256'],
  '1.2.840.113549.1.1.12': ['sha384WithRSAEncryption', 'SHA-384'],
  '1.2.840.113549.1.1.13': ['sha512WithRSAEncryption', 'SHA-512'],
  '1.2.840.113549.1.1.14': ['sha224WithRSAEncryption', 'SHA-224'],
  '1.2.840.113549.1.1.10': ['rsassaPss', 'RSA-PSS (see parameters)'],
  '1.2.840.10045.4.1': ['ecdsa-with-SHA1', 'SHA-1'],
  '1.2.840.10045.4.3.1': ['ecdsa-with-SHA224', 'SHA-224'],
  '1.2.840.10045.4.3.2': ['ecdsa-with-SHA256', 'SHA-256'],
  '1.2.840.10045.4.3.3': ['ecdsa-with-SHA384', 'SHA-384'],
  '1.2.840.10045.4.3.4': ['ecdsa-with-SHA512', 'SHA-512'],
  '1.2.840.10040.4.3': ['dsa-with-SHA1', 'SHA-1'],
  '2.16.840.1.101.3.4.3.2': ['dsa-with-SHA256', 'SHA-256'],
  '1.3.101.112': ['Ed25519', 'intrinsic'],
  '1.3.101.113': ['Ed448', 'intrinsic'],
};

function dn(text: string): string {
  return text.split('\n').filter(Boolean).join(', ');
}

function sanList(text: string | undefined): { dns: string[]; ip: string[] } {
  const dns: string[] = [];
  const ip: string[] = [];
  for (const part of (text ?? '').split(/,\s*/)) {
    const m = /^(DNS|IP Address):(.*)$/.exec(part.trim());
    if (m?.[1] === 'DNS') dns.push(m[2]!.toLowerCase());
    else if (m?.[1] === 'IP Address') ip.push(m[2]!.toLowerCase());
  }
  return { dns, ip };
}

function urls(ext: x509.Extension | null, pick: (e: x509.Extension) => string[]): string[] {
  try {
    return ext ? pick(ext) : [];
  } catch {
    return [];
  }
}

export function describeCertificate(der: Buffer, source: TlsCertInfo['source']): TlsCertInfo {
  const c = new X509Certificate(der);
  const p = new x509.X509Certificate(ab(der));
  const key = c.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = key.asymmetricKeyType ?? 'unknown';
  const keyBits =
    details.modulusLength ??
    (details.namedCurve ? curveBits(details.namedCurve) : keyType === 'ed25519' ? 256 : keyType === 'ed448' ? 456 : 0);
  const oid = pkijs.Certificate.fromBER(ab(der)).signatureAlgorithm.algorithmId;
  const [sigName, sigHash] = SIG_OIDS[oid] ?? [oid, 'unknown'];
  const cn = /(?:^|\n)CN=([^\n]*)/.exec(c.subject)?.[1];
  let selfSigned = false;
  if (c.subject === c.issuer) {
    try {
      selfSigned = c.verify(c.publicKey);
    } catch {
      selfSigned = false;
    }
  }
  const crlUrls = urls(p.getExtension(x509.CRLDistributionPointsExtension), (e) =>
    (e as x509.CRLDistributionPointsExtension).distributionPoints.flatMap((dp) =>
      (dp.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])),
    ),
  );
  const ocspUrls = urls(p.getExtension(x509.AuthorityInfoAccessExtension), (e) =>
    (e as x509.AuthorityInfoAccessExtension).ocsp.flatMap((n) => (n.type === 'url' ? [n.value] : [])),
  );
  return {
    subject: dn(c.subject),
    issuer: dn(c.issuer),
    ...(cn !== undefined ? { cn } : {}),
    serial: c.serialNumber.toUpperCase(),
    notBefore: new Date(c.validFrom).toISOString(),
    notAfter: new Date(c.validTo).toISOString(),
    keyType,
    keyBits,
    ...(details.namedCurve ? { curve: details.namedCurve } : {}),
    signatureAlgorithm: sigName,
    signatureHash: sigHash,
    isCA: c.ca,
    selfSigned,
    san: sanList(c.subjectAltName),
    crlUrls,
    ocspUrls,
    fingerprint256: c.fingerprint256,
    source,
  };
}

function curveBits(curve: string): number {
  const m = /(\d{3})/.exec(curve);
  if (curve === 'prime256v1') return 256;
  return m ? Number(m[1]) : 0;
}
