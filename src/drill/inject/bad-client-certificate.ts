/**
 * bad-client-certificate: mutual TLS with client certificates the broker must not accept, generated on
 * the fly with @peculiar/x509 (nothing is written to disk):
 * - expired: valid from 400 days ago until 10 days ago. Issued by `issuerCert`/`issuerKey` when the
 *   drill names the client CA the broker trusts (a lab or test CA), so that only its dates are wrong
 *   (Mosquitto 2.1's `disable_client_cert_date_checks`, TLS-034); otherwise issued by the throw-away CA
 *   below, and it then proves only what the untrusted one proves;
 * - untrusted: current dates, issued by a throw-away CA made for this run that nobody trusts.
 *
 * Each is presented in a TLS 1.2/1.3 handshake; a completed handshake is followed by an MQTT CONNECT
 * on the same connection (a TLS 1.3 server sends its verdict on the certificate after the client's
 * handshake is done, so only the CONNACK, or its absence, tells).
 */
import { createPrivateKey, webcrypto } from 'node:crypto';
import type * as X509 from '@peculiar/x509';
import { z } from 'zod';
import { readTextFile } from '../../io/read.js';
import type { InjectContext, InjectKind, InjectOutcome, Resistance } from '../model.js';
import { closeSocket, handshake } from '../../collectors/tls/handshake.js';
import { handshakeTargetFor, attemptConnect, attemptText, drillClientId, finish, pause, sourceAt, startOutcome, useSource } from './common.js';

const crypto = webcrypto as unknown as Crypto;
const DAY = 86_400_000;
const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

const KINDS = ['expired', 'untrusted'] as const;
type CertKind = (typeof KINDS)[number];

const Params = z
  .object({
    /** Which bad certificates to present. */
    certificates: z.array(z.enum(KINDS)).min(1).default(['expired', 'untrusted']),
    /** PEM files of the client CA the broker trusts (certificate and private key), to issue the expired certificate with. */
    issuerCert: z.string().min(1).optional(),
    issuerKey: z.string().min(1).optional(),
  })
  .strict()
  .refine((p) => (p.issuerCert === undefined) === (p.issuerKey === undefined), { message: 'issuerCert and issuerKey go together' });
type Params = z.infer<typeof Params>;

interface Presented {
  certificate: CertKind;
  issuer: 'trusted-ca' | 'throw-away-ca';
  result: 'accepted' | 'refused' | 'error';
  /** Where and how: "TLS handshake refused: alert unknown ca", "CONNACK not authorized", "closed without CONNACK", "CONNACK accepted". */
  detail: string;
}

interface Detail {
  presented: Presented[];
}

/** @peculiar/x509 is loaded when a run needs it: `drill list/show/validate` load this registry too. */
type X509Module = typeof X509;
async function loadX509(): Promise<X509Module> {
  await import('reflect-metadata'); // @peculiar/x509 (tsyringe) needs it loaded first
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(crypto);
  return x509;
}

/** The lab's PEM and serial helpers, loaded with @peculiar/x509 (their module imports it). */
const labPki = () => import('../../lab/pki.js');

interface Issuer {
  cert: X509.X509Certificate;
  key: CryptoKey;
  alg: EcdsaParams | RsaHashedImportParams;
}

/** The drill's client CA from PEM files (any key format OpenSSL writes, normalised to PKCS#8 by node:crypto). */
async function loadIssuer(x509: X509Module, certFile: string, keyFile: string): Promise<Issuer> {
  const cert = new x509.X509Certificate(readTextFile(certFile, 'tls', { label: 'issuer certificate' }));
  const key = createPrivateKey(readTextFile(keyFile, 'tls', { label: 'issuer key' }));
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? 'P-384' : 'P-256';
    const alg = { name: 'ECDSA', namedCurve: curve, hash: curve === 'P-384' ? 'SHA-384' : 'SHA-256' };
    return { cert, key: await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'ECDSA', namedCurve: curve }, false, ['sign']), alg };
  }
  if (type === 'rsa') {
    const alg = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
    return { cert, key: await crypto.subtle.importKey('pkcs8', pkcs8, alg, false, ['sign']), alg };
  }
  throw new Error(`${keyFile}: an ${type ?? 'unknown'} key; the issuer key must be EC or RSA`);
}

async function throwAwayCa(x509: X509Module): Promise<Issuer> {
  const { randomSerial } = await labPki();
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=mqtt-warden drill untrusted CA, O=mqtt-warden drill (not a real CA)',
    notBefore: new Date(now - DAY),
    notAfter: new Date(now + DAY),
    signingAlgorithm: EC,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { cert, key: keys.privateKey, alg: EC };
}

async function clientCertificate(x509: X509Module, kind: CertKind, issuer: Issuer): Promise<{ cert: string; key: string }> {
  const { randomSerial, pemPrivateKey } = await labPki();
  const keys = (await crypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
  const now = Date.now();
  const [from, to] = kind === 'expired' ? [now - 400 * DAY, now - 10 * DAY] : [now - DAY, now + DAY];
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${drillClientId(kind)}, O=mqtt-warden drill`,
    issuer: issuer.cert.subject,
    notBefore: new Date(from),
    notAfter: new Date(to),
    signingAlgorithm: issuer.alg,
    publicKey: keys.publicKey,
    signingKey: issuer.key,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ],
  });
  return { cert: `${cert.toString('pem')}\n${issuer.cert.toString('pem')}\n`, key: await pemPrivateKey(keys.privateKey) };
}

async function run(p: Params, ctx: InjectContext): Promise<InjectOutcome> {
  const o = startOutcome(ctx);
  const d: Detail = { presented: [] };
  o.detail = d as unknown as Record<string, unknown>;
  if (ctx.target.scheme !== 'mqtts' && ctx.target.scheme !== 'wss') {
    o.error = `${ctx.target.url} is not a TLS listener (mqtts:// or wss://): no client certificate can be presented`;
    return finish(ctx, o);
  }
  const x509 = await loadX509();
  let trusted: Issuer | undefined;
  try {
    if (p.issuerCert && p.issuerKey) trusted = await loadIssuer(x509, p.issuerCert, p.issuerKey);
  } catch (e) {
    o.error = `the issuer could not be loaded: ${(e as Error).message}`;
    return finish(ctx, o);
  }
  const untrusted = await throwAwayCa(x509);
  let i = 0;
  for (const kind of p.certificates) {
    if (ctx.signal.aborted) break;
    if (i > 0 && !(await pause(50, ctx.signal))) break;
    const issuer = kind === 'expired' && trusted ? trusted : untrusted;
    const material = await clientCertificate(x509, kind, issuer);
    if (!(await ctx.budget.connection())) {
      o.stoppedBy = ctx.signal.aborted ? 'abort' : 'budget';
      break;
    }
    const source = sourceAt(ctx, i++);
    useSource(o, source);
    o.connections++;
    o.firstAttackAt ??= ctx.now();
    const entry: Presented = { certificate: kind, issuer: issuer === trusted ? 'trusted-ca' : 'throw-away-ca', result: 'error', detail: '' };
    const hs = await handshake(
      handshakeTargetFor(ctx, source),
      { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.3', ciphers: 'DEFAULT', cert: material.cert, key: material.key, ...(ctx.tls?.ca ? { ca: [ctx.tls.ca] } : {}) },
    );
    if (hs.kind === 'refused') {
      entry.result = 'refused';
      entry.detail = `TLS handshake refused: ${hs.reason}`;
    } else if (hs.kind !== 'ok') {
      if (hs.kind === 'error' && hs.aborted) break;
      entry.detail = `TLS handshake ${hs.kind}: ${hs.reason}`;
    } else {
      const a = await attemptConnect(ctx, source, { clientId: drillClientId('cert'), version: 4, socket: hs.socket });
      if (a.kind === 'accepted') {
        a.channel.close();
        entry.result = 'accepted';
        entry.detail = `TLS ${hs.protocol} handshake completed and CONNACK accepted`;
      } else if (a.kind === 'refused' || a.kind === 'dropped') {
        entry.result = 'refused';
        entry.detail = `TLS ${hs.protocol} handshake completed, then ${attemptText(a)}`;
      } else {
        closeSocket(hs.socket);
        if (a.kind === 'aborted') break;
        entry.detail = `TLS ${hs.protocol} handshake completed, then ${attemptText(a)}`;
      }
    }
    if (entry.result === 'refused') o.firstBlockedAt ??= ctx.now();
    ctx.log(`${kind} client certificate: ${entry.result}`);
    d.presented.push(entry);
  }
  return finish(ctx, o);
}

/**
 * yes: every bad certificate was refused (in the TLS handshake, or by the broker closing or refusing the
 *      session that followed);
 * no: a session with a bad certificate was accepted (CONNACK success);
 * unknown: some could not be presented (timeouts, errors), none were, or the target is not TLS.
 */
function resisted(p: Params, o: InjectOutcome): Resistance {
  const ps = (o.detail as unknown as Partial<Detail>).presented ?? [];
  const accepted = ps.filter((x) => x.result === 'accepted');
  if (accepted.length) return { resisted: 'no', detail: `the broker accepted a session with the ${accepted.map((x) => x.certificate).join(' and ')} client certificate` };
  const refused = ps.filter((x) => x.result === 'refused');
  if (refused.length === p.certificates.length) return { resisted: 'yes', detail: ps.map((x) => `${x.certificate}: ${x.detail}`).join('; ') };
  return { resisted: 'unknown', detail: o.error ?? (ps.length ? ps.filter((x) => x.result === 'error').map((x) => `${x.certificate}: ${x.detail}`).join('; ') || 'not every certificate was presented' : 'no certificate was presented') };
}

export const badClientCertificate: InjectKind<Params> = {
  kind: 'bad-client-certificate',
  title: 'Expired and untrusted client certificates',
  mqtt5: [],
  params: Params,
  describe: (p) => `mutual TLS with ${p.certificates.map((c) => `an ${c}`).join(' and ')} client certificate${p.issuerCert ? ` (expired one issued by ${p.issuerCert})` : ''}`,
  demand: (p) => ({ connections: p.certificates.length, failedLogins: 0 }),
  run,
  resisted,
};
