/**
 * A throw-away PKI for the TLS tests, made in-process with @peculiar/x509 and
 * WebCrypto (dates in the past, SHA-1, 1024-bit RSA and CRLs are awkward with
 * the openssl CLI): root CA → intermediate CA → leaves of every kind the TLS
 * checks judge, a CRL of the intermediate revoking one of them, and a client
 * certificate. Files are written into `dir` (PEM; keys 0600).
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs it loaded first
import { webcrypto } from 'node:crypto';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as x509 from '@peculiar/x509';
import { pemPrivateKey, randomSerial } from '../../src/lab/pki.js';

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;

export interface TlsPkiFiles {
  cert: string;
  key: string;
  /** cert + intermediate (what a server should send). */
  chain: string;
}

export const LEAF_KINDS = ['good', 'expired', 'notYetValid', 'soon', 'weak', 'wrongHost', 'cnOnly', 'selfSigned', 'caLeaf', 'revoked', 'client'] as const;
export type LeafKind = (typeof LEAF_KINDS)[number];

export interface TlsPki {
  dir: string;
  rootCert: string;
  intermediateCert: string;
  intermediateKey: string;
  /** CRL of the intermediate (revokes the "revoked" leaf), current. */
  crl: string;
  /** The same CRL content but stale (nextUpdate in the past). */
  staleCrl: string;
  /** A CRL claiming the intermediate as issuer but signed by another key. */
  forgedCrl: string;
  leaves: Record<LeafKind, TlsPkiFiles>;
  /** Serial (hex, upper case) of each leaf. */
  serials: Record<LeafKind, string>;
  /** PEM texts, keyed like the files. */
  pem: { root: string; intermediate: string; crl: string };
}

/** A positive 64-bit serial as 16 upper-case hex digits (as the tests compare them). */
const serial = (): string => randomSerial().toUpperCase();

export interface TlsPkiOptions {
  /** URL written into the leaves' CRL distribution points extension. */
  crlUrl?: string;
  /** URL written into the leaves' OCSP (authority information access) extension. */
  ocspUrl?: string;
  /** Reference time (default now). */
  now?: Date;
}

export async function makeTlsPki(dir: string, opts: TlsPkiOptions = {}): Promise<TlsPki> {
  mkdirSync(dir, { recursive: true });
  const now = opts.now ?? new Date();
  const at = (days: number) => new Date(now.getTime() + days * DAY);
  const gen = (alg: RsaHashedKeyGenParams | EcKeyGenParams) => crypto.subtle.generateKey(alg, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;

  const rootKeys = await gen(EC);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name: 'CN=mqtt-warden TLS test root, O=mqtt-warden tests',
    notBefore: at(-30),
    notAfter: at(3650),
    signingAlgorithm: EC,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 1, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const intKeys = await gen(EC);
  const intermediate = await x509.X509CertificateGenerator.create({
    serialNumber: serial(),
    subject: 'CN=mqtt-warden TLS test intermediate, O=mqtt-warden tests',
    issuer: root.subject,
    notBefore: at(-30),
    notAfter: at(1825),
    signingAlgorithm: EC,
    publicKey: intKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(intKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(root),
    ],
  });

  const files = {} as Record<LeafKind, TlsPkiFiles>;
  const serials = {} as Record<LeafKind, string>;
  const write = (name: string, text: string, secret = false) => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    if (secret) chmodSync(p, 0o600);
    return p;
  };
  const rootPem = root.toString('pem') + '\n';
  const intPem = intermediate.toString('pem') + '\n';
  const rootCert = write('root.crt', rootPem);
  const intermediateCert = write('intermediate.crt', intPem);
  const intermediateKey = write('intermediate.key', await pemPrivateKey(intKeys.privateKey), true);

  const sans = [
    { type: 'dns' as const, value: 'localhost' },
    { type: 'ip' as const, value: '127.0.0.1' },
  ];
  for (const kind of LEAF_KINDS) {
    const weak = kind === 'weak';
    const keys = await gen(weak ? { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-1' } : EC);
    const sn = serial();
    serials[kind] = sn;
    const selfSigned = kind === 'selfSigned';
    const subject = kind === 'cnOnly' ? 'CN=127.0.0.1' : kind === 'client' ? 'CN=warden-client' : `CN=${kind === 'wrongHost' ? 'other.example' : 'localhost'}`;
    const extensions: x509.Extension[] = [
      new x509.BasicConstraintsExtension(kind === 'caLeaf', undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment | (kind === 'caLeaf' ? x509.KeyUsageFlags.keyCertSign : 0), true),
      new x509.ExtendedKeyUsageExtension([kind === 'client' ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
    ];
    if (kind === 'wrongHost') extensions.push(new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: 'other.example' }]));
    else if (kind !== 'cnOnly' && kind !== 'client') extensions.push(new x509.SubjectAlternativeNameExtension(sans));
    if (!selfSigned) {
      extensions.push(await x509.AuthorityKeyIdentifierExtension.create(intermediate));
      if (opts.crlUrl) extensions.push(new x509.CRLDistributionPointsExtension([opts.crlUrl]));
      if (opts.ocspUrl) extensions.push(new x509.AuthorityInfoAccessExtension({ ocsp: [opts.ocspUrl] }));
    }
    const validity =
      kind === 'expired' ? [at(-400), at(-10)] : kind === 'notYetValid' ? [at(10), at(400)] : kind === 'soon' ? [at(-300), at(20)] : [at(-1), at(365)];
    const common = {
      serialNumber: sn,
      notBefore: validity[0]!,
      notAfter: validity[1]!,
      extensions,
    };
    const cert = selfSigned
      ? await x509.X509CertificateGenerator.createSelfSigned({ ...common, name: subject, signingAlgorithm: EC, keys })
      : await x509.X509CertificateGenerator.create({
          ...common,
          subject,
          issuer: intermediate.subject,
          signingAlgorithm: weak ? { name: 'ECDSA', hash: 'SHA-1' } : EC,
          publicKey: keys.publicKey,
          signingKey: intKeys.privateKey,
        });
    const certPem = cert.toString('pem') + '\n';
    files[kind] = {
      cert: write(`${kind}.crt`, certPem),
      key: write(`${kind}.key`, await pemPrivateKey(keys.privateKey), true),
      chain: write(`${kind}.chain.crt`, selfSigned ? certPem : certPem + intPem),
    };
  }

  const crlOf = async (thisUpdate: Date, nextUpdate: Date, key: CryptoKey) =>
    (
      await x509.X509CrlGenerator.create({
        issuer: intermediate.subject,
        thisUpdate,
        nextUpdate,
        signingAlgorithm: EC,
        signingKey: key,
        entries: [{ serialNumber: serials.revoked, revocationDate: at(-2), reason: x509.X509CrlReason.keyCompromise }],
      })
    ).toString('pem').replace(/(BEGIN|END) CRL/g, '$1 X509 CRL') + '\n'; // RFC 7468 label, which OpenSSL requires
  const crlPem = await crlOf(at(-1), at(7), intKeys.privateKey);
  const crl = write('intermediate.crl', crlPem);
  const staleCrl = write('intermediate-stale.crl', await crlOf(at(-20), at(-5), intKeys.privateKey));
  const other = await gen(EC);
  const forgedCrl = write('intermediate-forged.crl', await crlOf(at(-1), at(7), other.privateKey));
  return { dir, rootCert, intermediateCert, intermediateKey, crl, staleCrl, forgedCrl, leaves: files, serials, pem: { root: rootPem, intermediate: intPem, crl: crlPem } };
}
