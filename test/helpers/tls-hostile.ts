/**
 * Hostile TLS peers on 127.0.0.1 for the TLS robustness tests: a server that
 * stalls in the handshake, one that sends a plausible ServerHello followed by
 * garbage, and a real TLS server whose certificate chain is far larger than
 * any client accepts.
 */
import net from 'node:net';
import tls from 'node:tls';
import { randomBytes } from 'node:crypto';
import { serveServer, type HostileServer } from './hostile.js';

export type HostileTlsServer = HostileServer;

const serve = serveServer;

/** Accepts TCP, reads the ClientHello, never answers. */
export function stallingTlsServer(): Promise<HostileTlsServer> {
  return serve(net.createServer((s) => s.on('data', () => undefined)));
}

/**
 * A TLS 1.2 ServerHello (cipher ECDHE-RSA-AES128-GCM-SHA256, which every
 * probe that allows TLS 1.2 offers, secure renegotiation), then random bytes where
 * the Certificate message should be.
 */
export function serverHelloThenGarbageServer(): Promise<HostileTlsServer> {
  return serve(
    net.createServer((s) => {
      let answered = false;
      s.on('data', () => {
        if (answered) return;
        answered = true;
        // version, random, empty session id, cipher, no compression, extensions: renegotiation_info (OpenSSL 3 clients insist on it).
        const ext = Buffer.from([0xff, 0x01, 0x00, 0x01, 0x00]);
        const body = Buffer.concat([Buffer.from([0x03, 0x03]), randomBytes(32), Buffer.from([0x00, 0xc0, 0x2f, 0x00, 0x00, ext.length]), ext]);
        const hs = Buffer.concat([Buffer.from([0x02, 0x00, 0x00, body.length]), body]);
        const record = Buffer.concat([Buffer.from([0x16, 0x03, 0x03, 0x00, hs.length]), hs]);
        // Then a record header announcing 65535 bytes (the limit is 16 KiB + 2048) and random bytes.
        s.write(Buffer.concat([record, Buffer.from([0x16, 0x03, 0x03, 0xff, 0xff]), randomBytes(4096)]));
      });
    }),
  );
}

/**
 * A real TLS server whose chain repeats its issuer certificate until the
 * Certificate message exceeds `bytes` (OpenSSL clients accept 100 KiB).
 */
export function hugeChainTlsServer(leafPem: string, keyPem: string, filler: string, bytes = 300 * 1024): Promise<HostileTlsServer> {
  const copies = Math.ceil(bytes / filler.length);
  const chain = leafPem + filler.repeat(copies);
  const server = tls.createServer({ cert: chain, key: keyPem, minVersion: 'TLSv1', ciphers: 'ALL:@SECLEVEL=0' }, (s) => {
    s.on('error', () => undefined);
  });
  server.on('tlsClientError', () => undefined);
  return serve(server);
}
