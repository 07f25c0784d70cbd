/**
 * One bounded HTTP(S) exchange for the management-interface probes.
 *
 * Why node:http and not a client library (undici's fetch, got, axios): a probe of a
 * possibly hostile peer needs one request per call with no retries, no redirects
 * followed, no keep-alive pool, an overall deadline that also ends a slow drip (not
 * only an idle timeout), a hard cap on the body it keeps, and the served certificate
 * of a self-signed dashboard without trusting it. node:http gives each of these
 * directly; the libraries hide or retry exactly those.
 */
import http from 'node:http';
import https from 'node:https';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { MgmtCertificate, TlsCertInfo } from '../../core/facts.js';
import { describeCertificate } from '../tls/certificate.js';

export interface HttpExchange {
  status: number;
  headers: Record<string, string>;
  /** The body as text (latin1-safe UTF-8), at most `maxBytes`. */
  body: string;
  /** The body was longer than `maxBytes`: the rest was not read (the connection was closed). */
  truncated: boolean;
  bytes: number;
  ms: number;
  certificate?: MgmtCertificate;
}

export interface HttpRequest {
  host: string;
  port: number;
  tls: boolean;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /** Deadline of the whole exchange: connect, headers and body. */
  timeoutMs: number;
  /** Body bytes kept at most (default 64 KiB). */
  maxBytes?: number;
  signal?: AbortSignal;
}

/** A failed exchange: the kind tells a refused port from a peer that broke the exchange. */
export class HttpProbeError extends Error {
  constructor(
    message: string,
    readonly kind: 'closed' | 'timeout' | 'not-http' | 'tls' | 'error',
    /** The TCP connection was established before the failure (a timeout without it: nothing answers). */
    readonly connected = false,
    /** A status line and headers had come back before the failure (the peer speaks HTTP). */
    readonly responded = false,
  ) {
    super(message);
  }
}

export const DEFAULT_MAX_BYTES = 64 * 1024;

/** ISO time of an OpenSSL date, or the text as served when it does not parse (a hostile certificate must not throw). */
function isoDate(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? String(text).slice(0, 40) : d.toISOString();
}

/** At most this many certificates of a chain are read (a hostile peer may send a long one). */
const MAX_CHAIN = 10;

/**
 * The chain of the handshake, leaf first, each certificate read as the TLS checks read theirs.
 * Node gives the chain OpenSSL kept for the connection: with verification off and an issuer
 * no trust store knows, that is the chain the server sent.
 */
function chainOf(leaf: DetailedPeerCertificate): { chain: TlsCertInfo[] } | { chainError: string } {
  const chain: TlsCertInfo[] = [];
  const seen = new Set<string>();
  try {
    for (let c: DetailedPeerCertificate | undefined = leaf; c?.raw && chain.length < MAX_CHAIN && !seen.has(c.fingerprint256); c = c.issuerCertificate) {
      seen.add(c.fingerprint256);
      chain.push(describeCertificate(c.raw, 'served'));
    }
    return { chain };
  } catch (e) {
    return { chainError: `certificate ${chain.length + 1} of the chain could not be read: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200) };
  }
}

function certificateOf(socket: TLSSocket): MgmtCertificate | undefined {
  const c = socket.getPeerCertificate(true);
  if (!c || !Object.keys(c).length) return undefined;
  const name = (o: Record<string, unknown> | undefined) =>
    o ? Object.entries(o).map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`).join(', ') : '';
  const subject = name(c.subject as unknown as Record<string, unknown>);
  const issuer = name(c.issuer as unknown as Record<string, unknown>);
  return {
    subject,
    issuer,
    validFrom: isoDate(c.valid_from),
    validTo: isoDate(c.valid_to),
    fingerprint256: c.fingerprint256,
    selfSigned: subject === issuer,
    authorized: socket.authorized,
    ...(socket.authorizationError ? { authorizationError: String(socket.authorizationError) } : {}),
    ...chainOf(c),
    seenAt: new Date().toISOString(),
  };
}

function classify(e: NodeJS.ErrnoException, tls: boolean): HttpProbeError {
  const code = e.code ?? '';
  if (code === 'ECONNREFUSED') return new HttpProbeError('connection refused', 'closed');
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) return new HttpProbeError(`not an HTTP answer (${code})`, 'not-http');
  if (tls && (code.startsWith('ERR_SSL') || code === 'ECONNRESET' || /SSL|TLS|wrong version/i.test(e.message))) return new HttpProbeError(`TLS handshake failed: ${e.message}`, 'tls');
  return new HttpProbeError(`${code || 'error'}: ${e.message}`, 'error');
}

/** One request, one answer (or a classified HttpProbeError); never follows a redirect, never hangs past `timeoutMs`. */
export function httpExchange(r: HttpRequest): Promise<HttpExchange> {
  const started = performance.now();
  const maxBytes = r.maxBytes ?? DEFAULT_MAX_BYTES;
  const lib = r.tls ? https : http;
  return new Promise((resolve, reject) => {
    let settled = false;
    let certificate: MgmtCertificate | undefined;
    const headers: Record<string, string> = { host: r.host.includes(':') ? `[${r.host}]:${r.port}` : `${r.host}:${r.port}`, 'user-agent': 'mqtt-warden', accept: '*/*', connection: 'close', ...r.headers };
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = lib.request({
      host: r.host,
      port: r.port,
      method: r.method,
      path: r.path,
      headers,
      agent: false,
      // A dashboard's self-signed certificate must not stop the probe; it is recorded, not trusted.
      ...(r.tls ? { rejectUnauthorized: false, ...(/^[\d.]+$|:/.test(r.host) ? {} : { servername: r.host }) } : {}),
      // Header floods end the exchange as a parse error.
      maxHeaderSize: 16 * 1024,
    });
    const done = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      r.signal?.removeEventListener('abort', onAbort);
      fn();
      req.destroy();
    };
    let connected = false;
    let responded = false;
    const fail = (e: HttpProbeError) => done(() => reject(new HttpProbeError(e.message, e.kind, connected, responded)));
    const timer = setTimeout(() => fail(new HttpProbeError(`no complete answer within ${r.timeoutMs} ms`, 'timeout')), r.timeoutMs);
    const onAbort = () => fail(new HttpProbeError('aborted: the target deadline was reached', 'timeout'));
    if (r.signal?.aborted) return onAbort();
    r.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('socket', (s) => {
      s.once('connect', () => (connected = true));
      if (r.tls)
        s.once('secureConnect', () => {
          try {
            certificate = certificateOf(s as TLSSocket);
          } catch {
            // An unreadable certificate is not recorded; the exchange goes on.
          }
        });
    });
    req.on('error', (e) => fail(classify(e, r.tls)));
    req.on('response', (res) => {
      responded = true;
      const chunks: Buffer[] = [];
      let kept = 0;
      let bytes = 0;
      const finish = (truncated: boolean) =>
        done(() => {
          const h: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            headers: h,
            body: Buffer.concat(chunks).toString('utf8'),
            truncated,
            bytes,
            ms: Math.round(performance.now() - started),
            ...(certificate ? { certificate } : {}),
          });
        });
      res.on('data', (c: Buffer) => {
        bytes += c.length;
        if (kept < maxBytes) {
          const part = c.subarray(0, maxBytes - kept);
          chunks.push(part);
          kept += part.length;
        }
        // An endless body ends here: what was kept is the answer, marked truncated.
        if (bytes > maxBytes) finish(true);
      });
      res.on('end', () => finish(false));
      res.on('error', (e) => fail(classify(e as NodeJS.ErrnoException, r.tls)));
      res.on('aborted', () => fail(new HttpProbeError('the peer closed the connection in the middle of the body', 'error')));
    });
    req.end(r.body);
  });
}
