/**
 * The legacy-tls scenario's certificate, made at every start with @peculiar/x509 on WebCrypto (the
 * openssl CLI cannot back-date a certificate, and is not needed): self-signed, expired ten days ago,
 * a 1024-bit RSA key. Each property is one planted weakness (see catalogue.ts).
 * The subject says it is training material.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs it loaded first
import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const crypto = webcrypto as unknown as Crypto;
const DAY = 86_400_000;

export interface LabCertificate {
  certPem: string;
  keyPem: string;
  notAfter: Date;
}

/** A private key as PKCS#8 PEM (what Mosquitto, OpenSSL and Node read), with a final newline. */
export async function pemPrivateKey(key: CryptoKey): Promise<string> {
  return `${x509.PemConverter.encode(await crypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY')}\n`;
}

/** A positive 64-bit serial as 16 hex digits (even length, as OpenSSL's CA index writes them). */
export function randomSerial(): string {
  const b = randomBytes(8);
  b[0] = (b[0]! & 0x7f) | 0x10;
  return b.toString('hex');
}

export async function makeWeakCertificate(host: string, now = new Date()): Promise<LabCertificate> {
  x509.cryptoProvider.set(crypto);
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const notAfter = new Date(now.getTime() - 10 * DAY);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=localhost, O=mqtt-warden lab (TRAINING ONLY - deliberately weak)',
    notBefore: new Date(now.getTime() - 400 * DAY),
    notAfter,
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: host },
      ]),
    ],
  });
  return { certPem: `${cert.toString('pem')}\n`, keyPem: await pemPrivateKey(keys.privateKey), notAfter };
}
