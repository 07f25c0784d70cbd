import type { MgmtCertificate, MgmtInterface, TlsCertInfo } from '../../src/core/facts.js';
import type { CheckCases } from './fixtures.js';
import { emqx, mgmt, mosquittoOpen, NOTHING } from './mgmt-fixtures.js';
import { INTERMEDIATE, NOW, cert } from './tls-fixtures.js';

/** The certificate record of an HTTPS dashboard: the chain as served (leaf, intermediate), seen at NOW. */
function served(leaf: Partial<TlsCertInfo> = {}, over: Partial<MgmtCertificate> = {}): MgmtCertificate {
  const chain = [cert(leaf), INTERMEDIATE];
  return {
    subject: chain[0]!.subject,
    issuer: chain[0]!.issuer,
    validFrom: chain[0]!.notBefore,
    validTo: chain[0]!.notAfter,
    fingerprint256: 'AA:BB',
    selfSigned: chain[0]!.selfSigned,
    authorized: false,
    authorizationError: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
    chain,
    seenAt: NOW,
    warnDays: [30, 60],
    ...over,
  };
}

/** EMQX on 18084 over HTTPS, serving `certificate`. */
const https = (certificate: MgmtCertificate | undefined, over: Partial<MgmtInterface> = {}): MgmtInterface =>
  emqx({ port: 18084, sources: [{ kind: 'default', product: 'emqx' }], reach: 'https', ...(certificate && { certificate }), ...over });

const HOST = 'broker.example';

export default {
  good: [
    { name: 'a CA-issued P-256 certificate for the host, valid for months', facts: { 'mgmt.http': mgmt([emqx(), https(served())], HOST) }, message: 'valid until 2027-01-01' },
    {
      name: 'from loopback, the name is not judged (the name administrators use is unknown)',
      facts: { 'mgmt.http': mgmt([https(served({ san: { dns: ['emqx-admin.example'], ip: [] } }))], '127.0.0.1') },
      ctx: { host: '127.0.0.1', subject: '127.0.0.1', loopback: true },
      message: 'not judged from loopback',
    },
  ],
  bad: [
    { name: 'expired', facts: { 'mgmt.http': mgmt([https(served({ notAfter: '2026-05-20T00:00:00.000Z' }))], HOST) }, severity: 'high', message: 'expired 13 day(s) ago (2026-05-20T00:00:00.000Z)' },
    { name: 'not yet valid', facts: { 'mgmt.http': mgmt([https(served({ notBefore: '2026-07-01T00:00:00.000Z' }))], HOST) }, severity: 'high', message: 'not valid before' },
    { name: 'expires within the 30-day warning', facts: { 'mgmt.http': mgmt([https(served({ notAfter: '2026-06-21T12:00:00.000Z' }))], HOST) }, severity: 'medium', message: 'within the 30-day warning' },
    {
      name: 'self-signed',
      facts: { 'mgmt.http': mgmt([https(served({ issuer: 'CN=broker.example', selfSigned: true }))], HOST) },
      severity: 'medium',
      message: 'CN=broker.example is self-signed',
    },
    {
      name: '1024-bit RSA key, below the policy minimum',
      facts: { 'mgmt.http': mgmt([https(served({ keyType: 'rsa', keyBits: 1024, curve: undefined }))], HOST) },
      severity: 'medium',
      message: "1024-bit RSA (< 2048, the policy's tls.minRsaBits)",
    },
    {
      name: 'a certificate for another name',
      facts: { 'mgmt.http': mgmt([https(served({ san: { dns: ['other.example'], ip: [] } }))], HOST) },
      message: 'does not name broker.example',
    },
  ],
  skip: [
    { name: 'no management interface answers', facts: { 'mgmt.http': NOTHING() } },
    { name: 'plain HTTP interfaces only', facts: { 'mgmt.http': mgmt([emqx(), mosquittoOpen()], HOST) } },
  ],
  error: [{ name: 'an HTTPS interface whose certificate could not be read', facts: { 'mgmt.http': mgmt([https(served({}, { chain: undefined, chainError: 'certificate 1 of the chain could not be read: bad DER' }))], HOST) } }],
} satisfies CheckCases;
