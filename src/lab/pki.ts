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

function pemKey(der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN PRIVATE KEY-----\n${b64}${b64.endsWith('\n') ? '' : '\n'}-----END PRIVATE KEY-----\n`;
}

export async function makeWeakCertificate(host: string, now = new Date()): Promise<LabCertificate> {
  x509.cryptoProvider.set(crypto);
  const alg = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 1024, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const keys = (await crypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as CryptoKeyPair;
  const serial = randomBytes(8);
  serial[0] = (serial[0]! & 0x7f) | 0x10;
  const notAfter = new Date(now.getTime() - 10 * DAY);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial.toString('hex'),
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
  return { certPem: `${cert.toString('pem')}\n`, keyPem: pemKey(await crypto.subtle.exportKey('pkcs8', keys.privateKey)), notAfter };
}
