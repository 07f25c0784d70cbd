/**
 * Throw-away test PKI generated with the `openssl` CLI (no shell involved).
 *
 * Produces a CA, a server certificate for CN=localhost (SAN DNS:localhost,
 * IP:127.0.0.1) and a client certificate, both signed by the CA. Nothing is
 * cached: every call generates fresh keys in the given directory.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type PkiKeyType = 'ec' | 'rsa';

export interface PkiOptions {
  /** 'ec' (P-256, default, fast) or 'rsa' (2048 bits). */
  keyType?: PkiKeyType;
  /** Common name of the client certificate (default 'warden-client'). */
  clientCn?: string;
  /** Extra subjectAltName entries for the server certificate, e.g. ['DNS:broker.test']. */
  extraServerSans?: string[];
  /** Validity in days (default 2). */
  days?: number;
}

export interface Pki {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

function opensslConfig(serverSans: string[]): string {
  return [
    '[ req ]',
    'distinguished_name = dn',
    'prompt = no',
    '[ dn ]',
    'CN = placeholder',
    '[ v3_ca ]',
    'basicConstraints = critical, CA:TRUE',
    'keyUsage = critical, keyCertSign, cRLSign',
    'subjectKeyIdentifier = hash',
    '[ v3_server ]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = serverAuth',
    `subjectAltName = ${serverSans.join(', ')}`,
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    '[ v3_client ]',
    'basicConstraints = critical, CA:FALSE',
    'keyUsage = critical, digitalSignature, keyEncipherment',
    'extendedKeyUsage = clientAuth',
    'subjectKeyIdentifier = hash',
    'authorityKeyIdentifier = keyid',
    '',
  ].join('\n');
}

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 });
  } catch (err) {
    const e = err as Error & { stderr?: Buffer | string };
    const stderr = e.stderr ? e.stderr.toString() : '';
    throw new Error(`openssl ${args.join(' ')} failed: ${e.message}\n${stderr}`);
  }
}

function newKeyArgs(keyType: PkiKeyType): string[] {
  return keyType === 'rsa'
    ? ['-newkey', 'rsa:2048']
    : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
}

function serial(): string {
  // Positive 64-bit serial (clear the top bit).
  const b = randomBytes(8);
  b[0] = (b[0] ?? 0) & 0x7f;
  return `0x${b.toString('hex')}`;
}

/**
 * Generate a CA, a server certificate and a client certificate in `dir`
 * (created if missing). Returns absolute paths. Keys are mode 0600, owned by
 * the current user.
 */
export function makePki(dir: string, opts: PkiOptions = {}): Pki {
  const keyType = opts.keyType ?? 'ec';
  const days = String(opts.days ?? 2);
  const clientCn = opts.clientCn ?? 'warden-client';
  const sans = ['DNS:localhost', 'IP:127.0.0.1', ...(opts.extraServerSans ?? [])];

  const abs = path.resolve(dir);
  mkdirSync(abs, { recursive: true });
  const p = (name: string): string => path.join(abs, name);
  const cnf = p('openssl.cnf');
  writeFileSync(cnf, opensslConfig(sans));

  const pki: Pki = {
    caCert: p('ca.crt'),
    caKey: p('ca.key'),
    serverCert: p('server.crt'),
    serverKey: p('server.key'),
    clientCert: p('client.crt'),
    clientKey: p('client.key'),
  };

  // CA (self-signed).
  openssl(
    ['req', '-config', cnf, '-x509', '-new', ...newKeyArgs(keyType), '-nodes',
      '-keyout', pki.caKey, '-out', pki.caCert, '-days', days,
      '-subj', '/CN=mqtt-warden test CA', '-extensions', 'v3_ca', '-set_serial', serial()],
    abs,
  );

  const leaf = (cn: string, key: string, cert: string, ext: string): void => {
    const csr = `${cert}.csr`;
    openssl(['req', '-config', cnf, '-new', ...newKeyArgs(keyType), '-nodes',
      '-keyout', key, '-out', csr, '-subj', `/CN=${cn}`], abs);
    openssl(['x509', '-req', '-in', csr, '-CA', pki.caCert, '-CAkey', pki.caKey,
      '-set_serial', serial(), '-days', days, '-extfile', cnf, '-extensions', ext, '-out', cert], abs);
    rmSync(csr, { force: true });
  };
  leaf('localhost', pki.serverKey, pki.serverCert, 'v3_server');
  leaf(clientCn, pki.clientKey, pki.clientCert, 'v3_client');

  for (const key of [pki.caKey, pki.serverKey, pki.clientKey]) chmodSync(key, 0o600);
  return pki;
}
