/**
 * Revocation status of a served chain: local CRL files (always), the CRL
 * distribution points and OCSP responders the certificate names (only with
 * --revocation-online: that contacts third parties), and a stapled OCSP
 * response. CRLs are parsed and their signatures verified with @peculiar/x509,
 * OCSP requests and responses are built and checked with pkijs.
 */
import 'reflect-metadata'; // @peculiar/x509 (tsyringe) needs it loaded first
import http from 'node:http';
import https from 'node:https';
import * as x509 from '@peculiar/x509';
import * as pkijs from 'pkijs';
import type { TlsRevocationSource } from '../../core/facts.js';
import { ab } from './bytes.js';

/** Caps for online fetches. */
export const MAX_CRL_BYTES = 8 * 1024 * 1024;
const MAX_OCSP_BYTES = 256 * 1024;
/** Online sources consulted per certificate at most (a certificate may name many). */
const MAX_URLS = 2;

export interface CrlInput {
  /** File name (for the report). */
  name: string;
  data: Buffer;
}

/** Splits a CRL file (PEM with one or more CRLs, or DER) into CRLs; throws naming the file when none parses. */
export function parseCrls(input: CrlInput): x509.X509Crl[] {
  const text = input.data.toString('latin1');
  // RFC 7468 says "X509 CRL"; some tools write "CRL".
  const pems = text.match(/-----BEGIN (?:X509 )?CRL-----[\s\S]+?-----END (?:X509 )?CRL-----/g);
  try {
    if (pems) return pems.map((p) => new x509.X509Crl(p.replace(/(BEGIN|END) X509 CRL/g, '$1 CRL')));
    return [new x509.X509Crl(ab(input.data))];
  } catch (e) {
    throw new Error(`${input.name}: not a CRL (PEM "X509 CRL" or DER): ${(e as Error).message}`);
  }
}

/** Certificates (PEM bundle) as @peculiar/x509 objects; unparsable blocks are skipped. */
export function parseCertificates(pem: string | Buffer | undefined): x509.X509Certificate[] {
  if (!pem) return [];
  const blocks = pem.toString().match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.flatMap((b) => {
    try {
      return [new x509.X509Certificate(b)];
    } catch {
      return [];
    }
  });
}

const REASONS = ['unspecified', 'keyCompromise', 'cACompromise', 'affiliationChanged', 'superseded', 'cessationOfOperation', 'certificateHold', 'unused', 'removeFromCRL', 'privilegeWithdrawn', 'aACompromise'];

/** Judges one CRL against one certificate: signature against the issuer candidates, then the serial. */
export async function checkCrl(
  crl: x509.X509Crl,
  cert: x509.X509Certificate,
  issuers: x509.X509Certificate[],
  kind: 'crl-file' | 'crl-online',
  where: string,
): Promise<TlsRevocationSource> {
  const base = {
    kind,
    where,
    certificate: cert.subject,
    thisUpdate: crl.thisUpdate.toISOString(),
    ...(crl.nextUpdate ? { nextUpdate: crl.nextUpdate.toISOString() } : {}),
  };
  let signatureValid = false;
  const candidates = issuers.filter((i) => i.subject === crl.issuer);
  for (const issuer of candidates) {
    try {
      if (await crl.verify({ publicKey: issuer.publicKey })) {
        signatureValid = true;
        break;
      }
    } catch {
      // wrong key type for this candidate: try the next
    }
  }
  if (!signatureValid) {
    return {
      ...base,
      status: 'unusable',
      signatureValid: false,
      detail: candidates.length
        ? `the CRL signature does not verify with the key of its issuer ${crl.issuer}`
        : `the issuer of the CRL (${crl.issuer}) is neither in the served chain nor in the trust anchors, so its signature cannot be verified`,
    };
  }
  const entry = crl.findRevoked(cert);
  if (entry) {
    const reasonCode = entry.reason;
    return {
      ...base,
      status: 'revoked',
      signatureValid: true,
      revokedAt: entry.revocationDate.toISOString(),
      ...(reasonCode !== undefined ? { reason: REASONS[reasonCode] ?? String(reasonCode) } : {}),
      detail: `serial ${cert.serialNumber} is on the CRL of ${crl.issuer}`,
    };
  }
  return { ...base, status: 'good', signatureValid: true, detail: `serial ${cert.serialNumber} is not on the CRL of ${crl.issuer} (${crl.entries.length} entries)` };
}

/** Bounded HTTP(S) fetch: timeout, abort signal, size cap, no redirects followed. */
export function fetchBounded(
  url: string,
  opts: { timeoutMs: number; signal?: AbortSignal; maxBytes: number; method?: 'GET' | 'POST'; body?: Buffer; contentType?: string },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return reject(new Error(`${url}: not a URL`));
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return reject(new Error(`${url}: only http and https are fetched`));
    const mod = u.protocol === 'https:' ? https : http;
    const req = mod.request(
      u,
      {
        method: opts.method ?? 'GET',
        timeout: opts.timeoutMs,
        ...(opts.signal ? { signal: opts.signal } : {}),
        headers: { 'user-agent': 'mqtt-warden', ...(opts.body ? { 'content-type': opts.contentType ?? 'application/octet-stream', 'content-length': opts.body.length } : {}) },
      },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          return reject(new Error(`${url}: HTTP ${res.statusCode}`));
        }
        const chunks: Buffer[] = [];
        let n = 0;
        res.on('data', (c: Buffer) => {
          n += c.length;
          if (n > opts.maxBytes) {
            req.destroy(new Error(`${url}: more than ${opts.maxBytes} bytes`));
            return;
          }
          chunks.push(c);
        });
        res.on('end', () => resolve(Buffer.concat(chunks)));
        res.on('error', reject);
      },
    );
    const timer = setTimeout(() => req.destroy(new Error(`${url}: no answer within ${opts.timeoutMs} ms`)), opts.timeoutMs);
    req.on('close', () => clearTimeout(timer));
    req.on('timeout', () => req.destroy(new Error(`${url}: no answer within ${opts.timeoutMs} ms`)));
    req.on('error', (e) => reject(new Error(e.message.startsWith(url) ? e.message : `${url}: ${e.message}`)));
    req.end(opts.body);
  });
}

function toPkijs(c: x509.X509Certificate): pkijs.Certificate {
  return pkijs.Certificate.fromBER(c.rawData);
}

/** Reads an OCSP response about `cert`: status, validity window, signature by the issuer or a delegated responder. */
export async function readOcspResponse(
  der: Buffer,
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
  kind: 'ocsp' | 'ocsp-stapled',
  where: string,
): Promise<TlsRevocationSource> {
  const base = { kind, where, certificate: cert.subject };
  let resp: pkijs.OCSPResponse;
  try {
    resp = pkijs.OCSPResponse.fromBER(ab(der));
  } catch (e) {
    return { ...base, status: 'unusable', detail: `not an OCSP response: ${(e as Error).message}` };
  }
  const responseStatus = resp.responseStatus.valueBlock.valueDec;
  if (responseStatus !== 0 || !resp.responseBytes) return { ...base, status: 'unusable', detail: `OCSP responder status ${responseStatus} (not successful)` };
  const basic = pkijs.BasicOCSPResponse.fromBER(ab(resp.responseBytes.response.valueBlock.valueHexView));
  const issuerP = toPkijs(issuer);
  // RFC 6960 4.2.2.2: the issuing CA itself, or a responder it certified for OCSP signing.
  // A response signed by the CA itself often carries no certificate: the issuer is then the candidate.
  if (!basic.certs?.length) basic.certs = [issuerP];
  let signatureValid = false;
  let why = '';
  try {
    signatureValid = await basic.verify({ trustedCerts: [issuerP], trustedResponders: [issuerP], issuerCerts: [issuerP] });
  } catch (e) {
    why = `: ${(e as Error).message}`;
  }
  const certP = toPkijs(cert);
  const st = await basic.getCertificateStatus(certP, issuerP);
  const single = basic.tbsResponseData.responses.find((r) => Buffer.from(r.certID.serialNumber.valueBlock.valueHexView).equals(Buffer.from(certP.serialNumber.valueBlock.valueHexView)));
  const times = {
    ...(single?.thisUpdate ? { thisUpdate: single.thisUpdate.toISOString() } : {}),
    ...(single?.nextUpdate ? { nextUpdate: single.nextUpdate.toISOString() } : {}),
  };
  if (!st.isForCertificate) return { ...base, ...times, status: 'unusable', signatureValid, detail: 'the OCSP response is not about this certificate' };
  if (!signatureValid) return { ...base, ...times, status: 'unusable', signatureValid, detail: `the OCSP response signature does not verify with the issuer or a responder it delegated${why}` };
  const status = st.status === 0 ? 'good' : st.status === 1 ? 'revoked' : 'unknown';
  return { ...base, ...times, status, signatureValid, detail: `OCSP says ${status}` };
}

/** Asks an OCSP responder about `cert` (POST, SHA-1 CertID as RFC 5019 profiles require). */
export async function queryOcsp(
  url: string,
  cert: x509.X509Certificate,
  issuer: x509.X509Certificate,
  opts: { timeoutMs: number; signal?: AbortSignal },
): Promise<TlsRevocationSource> {
  const req = new pkijs.OCSPRequest();
  await req.createForCertificate(toPkijs(cert), { hashAlgorithm: 'SHA-1', issuerCertificate: toPkijs(issuer) });
  const body = Buffer.from(req.toSchema(true).toBER(false));
  try {
    const der = await fetchBounded(url, { ...opts, maxBytes: MAX_OCSP_BYTES, method: 'POST', body, contentType: 'application/ocsp-request' });
    return await readOcspResponse(der, cert, issuer, 'ocsp', url);
  } catch (e) {
    return { kind: 'ocsp', where: url, certificate: cert.subject, status: 'unusable', detail: (e as Error).message };
  }
}

export interface RevocationInput {
  /** Leaf first; each certificate's issuer follows it where known. */
  chain: x509.X509Certificate[];
  /** Extra trust anchors (--ca) that may have issued CRLs. */
  anchors: x509.X509Certificate[];
  crlFiles: CrlInput[];
  online: boolean;
  stapled: Buffer | null;
  timeoutMs: number;
  signal?: AbortSignal;
}

/** Every revocation source about the leaf (and, for CRLs, the intermediates). */
export async function collectRevocationSources(input: RevocationInput): Promise<TlsRevocationSource[]> {
  const { chain, anchors } = input;
  const issuers = [...chain, ...anchors];
  const leaf = chain[0]!;
  const issuerOf = (c: x509.X509Certificate) => issuers.find((i) => i.subject === c.issuer && i !== c);
  const out: TlsRevocationSource[] = [];
  const notRoots = chain.filter((c) => c.subject !== c.issuer);
  for (const file of input.crlFiles) {
    for (const crl of parseCrls(file)) {
      const about = notRoots.filter((c) => c.issuer === crl.issuer);
      if (!about.length) {
        out.push({ kind: 'crl-file', where: file.name, certificate: '-', status: 'unusable', detail: `the CRL is issued by ${crl.issuer}, which issued no certificate of the served chain` });
        continue;
      }
      for (const c of about) out.push(await checkCrl(crl, c, issuers, 'crl-file', file.name));
    }
  }
  const leafIssuer = issuerOf(leaf);
  if (input.stapled) {
    out.push(
      leafIssuer
        ? await readOcspResponse(input.stapled, leaf, leafIssuer, 'ocsp-stapled', 'stapled to the handshake')
        : { kind: 'ocsp-stapled', where: 'stapled to the handshake', certificate: leaf.subject, status: 'unusable', detail: 'the issuer of the leaf is unknown, so the stapled response cannot be verified' },
    );
  }
  if (input.online) {
    const ext = leaf.getExtension(x509.CRLDistributionPointsExtension);
    const crlUrls = (ext?.distributionPoints ?? [])
      .flatMap((dp) => (dp.distributionPoint?.fullName ?? []).flatMap((n) => (n.uniformResourceIdentifier ? [n.uniformResourceIdentifier] : [])))
      .filter((u) => /^https?:/i.test(u))
      .slice(0, MAX_URLS);
    for (const url of crlUrls) {
      try {
        const data = await fetchBounded(url, { timeoutMs: input.timeoutMs, ...(input.signal ? { signal: input.signal } : {}), maxBytes: MAX_CRL_BYTES });
        for (const crl of parseCrls({ name: url, data })) out.push(await checkCrl(crl, leaf, issuers, 'crl-online', url));
      } catch (e) {
        out.push({ kind: 'crl-online', where: url, certificate: leaf.subject, status: 'unusable', detail: (e as Error).message });
      }
    }
    const aia = leaf.getExtension(x509.AuthorityInfoAccessExtension);
    const ocspUrls = (aia?.ocsp ?? []).flatMap((n) => (n.type === 'url' ? [n.value] : [])).slice(0, MAX_URLS);
    for (const url of ocspUrls) {
      out.push(
        leafIssuer
          ? await queryOcsp(url, leaf, leafIssuer, { timeoutMs: input.timeoutMs, ...(input.signal ? { signal: input.signal } : {}) })
          : { kind: 'ocsp', where: url, certificate: leaf.subject, status: 'unusable', detail: 'the issuer of the leaf is unknown, so no OCSP request can be built' },
      );
    }
  }
  return out;
}
