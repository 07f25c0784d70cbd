/**
 * TLS key material of the brokers: files the configs reference (Mosquitto
 * certfile/keyfile/cafile/crlfile/dhparamfile and the bridge_* forms, EMQX
 * ssl_options) plus the files at the packages' common certificate paths. For
 * each: existence, mode and owner, and what it holds (key type/size/encryption
 * via node:crypto, certificate validity via X509Certificate).
 */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { posix } from 'node:path';
import type { FileLocation } from '../../core/types.js';
import { at, listSys, readSys, type SysRoot } from './sysroot.js';
import type { BrokerProduct, KeyFile, KeyMaterial } from './types.js';

export interface KeyRef {
  path: string;
  role: KeyFile['role'];
  product: BrokerProduct;
  location?: FileLocation;
  passphraseConfigured?: boolean;
  /** Path given outside the audited root (--config file's own directory is not under --root). */
}

export const MOSQUITTO_KEY_DIRECTIVES: Record<string, KeyFile['role']> = {
  keyfile: 'key',
  certfile: 'cert',
  cafile: 'ca',
  crlfile: 'crl',
  dhparamfile: 'dhparam',
  bridge_keyfile: 'key',
  bridge_certfile: 'cert',
  bridge_cafile: 'ca',
};

export const COMMON_KEY_DIRS: { dir: string; product: BrokerProduct }[] = [
  { dir: '/etc/mosquitto/certs', product: 'mosquitto' },
  { dir: '/etc/mosquitto/ca_certificates', product: 'mosquitto' },
  { dir: '/etc/emqx/certs', product: 'emqx' },
  { dir: '/opt/emqx/etc/certs', product: 'emqx' },
  { dir: '/usr/lib/emqx/etc/certs', product: 'emqx' },
];

function roleFromContent(text: string): KeyFile['role'] | undefined {
  if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) return 'key';
  if (/-----BEGIN X509 CRL-----/.test(text)) return 'crl';
  if (/-----BEGIN (X9\.42 )?DH PARAMETERS-----/.test(text)) return 'dhparam';
  if (/-----BEGIN (TRUSTED )?CERTIFICATE-----/.test(text)) return 'cert';
  return undefined;
}

/** Bits of the prime of PEM DH parameters (DER: SEQUENCE { INTEGER p, INTEGER g }). */
export function dhPrimeBits(pem: string): number | undefined {
  const b64 = /-----BEGIN (?:X9\.42 )?DH PARAMETERS-----([\s\S]*?)-----END (?:X9\.42 )?DH PARAMETERS-----/.exec(pem)?.[1];
  if (!b64) return undefined;
  const der = Buffer.from(b64.replace(/\s+/g, ''), 'base64');
  let i = 0;
  const len = () => {
    let l = der[i++]!;
    if (l & 0x80) {
      const n = l & 0x7f;
      l = 0;
      for (let k = 0; k < n; k++) l = (l << 8) | der[i++]!;
    }
    return l;
  };
  if (der[i++] !== 0x30) return undefined;
  len();
  if (der[i++] !== 0x02) return undefined;
  let l = len();
  while (l > 0 && der[i] === 0) {
    i++;
    l--;
  }
  if (l <= 0) return undefined;
  return (l - 1) * 8 + (32 - Math.clz32(der[i]!));
}

function describeKey(text: string): NonNullable<KeyFile['key']> {
  const pemEncrypted = /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text);
  try {
    const k = createPrivateKey({ key: text, format: 'pem' });
    const d = k.asymmetricKeyDetails ?? {};
    return { type: k.asymmetricKeyType ?? 'unknown', ...(d.modulusLength && { bits: d.modulusLength }), ...(d.namedCurve && { curve: d.namedCurve, bits: curveBits(d.namedCurve) }), encrypted: false };
  } catch (e) {
    const msg = (e as Error).message;
    if (pemEncrypted || /passphrase/i.test(msg)) return { type: 'unknown', encrypted: true };
    return { type: 'unknown', encrypted: false, parseError: msg };
  }
}

function curveBits(curve: string): number | undefined {
  const m = /(\d{3})/.exec(curve);
  if (curve === 'Ed25519' || curve === 'X25519') return 256;
  return m ? Number(m[1]) : undefined;
}

function describeCerts(text: string): NonNullable<KeyFile['certs']> {
  const out: NonNullable<KeyFile['certs']> = [];
  for (const m of text.matchAll(/-----BEGIN (?:TRUSTED )?CERTIFICATE-----[\s\S]*?-----END (?:TRUSTED )?CERTIFICATE-----/g)) {
    try {
      const c = new X509Certificate(m[0]);
      const pk = c.publicKey;
      const d = pk.asymmetricKeyDetails ?? {};
      const bits = d.modulusLength ?? (d.namedCurve ? curveBits(d.namedCurve) : undefined);
      out.push({
        subject: c.subject.replace(/\n/g, ', '),
        notBefore: new Date(c.validFrom).toISOString(),
        notAfter: new Date(c.validTo).toISOString(),
        ...(pk.asymmetricKeyType && { keyType: pk.asymmetricKeyType }),
        ...(bits && { bits }),
      });
    } catch {
      // not a certificate Node can parse: left out
    }
  }
  return out;
}

async function inspect(r: SysRoot, ref: KeyRef, refs: FileLocation[], names: { users: Map<number, string>; groups: Map<number, string> }): Promise<KeyFile> {
  const file = at(r, ref.path);
  const systemStore = /^\/(etc\/ssl\/certs|etc\/pki\/(tls|ca-trust)|usr\/share\/ca-certificates|etc\/ca-certificates)\//.test(ref.path);
  const base: KeyFile = {
    path: ref.path,
    file,
    role: ref.role,
    product: ref.product,
    refs,
    exists: false,
    ...(ref.passphraseConfigured && { passphraseConfigured: true }),
    ...(systemStore && { systemStore: true }),
  };
  let st;
  try {
    st = await stat(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? base : { ...base, readError: `${file}: ${code}` };
  }
  const meta: KeyFile = {
    ...base,
    exists: true,
    mode: st.mode & 0o7777,
    uid: st.uid,
    gid: st.gid,
    ...(names.users.has(st.uid) && { owner: names.users.get(st.uid)! }),
    ...(names.groups.has(st.gid) && { group: names.groups.get(st.gid)! }),
  };
  if (st.isDirectory()) return meta;
  const res = await readSys(r, ref.path, 1024 * 1024);
  if (!res.ok) return { ...meta, readError: res.error };
  const text = res.text;
  const role = ref.role === 'ca' || ref.role === 'cert' ? ref.role : roleFromContent(text) ?? ref.role;
  if (role === 'key') {
    // A PEM bundle may hold the certificate too.
    const certs = describeCerts(text);
    return { ...meta, role, key: describeKey(text), ...(certs.length && { certs }) };
  }
  if (role === 'cert' || role === 'ca') {
    const certs = describeCerts(text);
    return { ...meta, role, certs, ...(!certs.length && { readError: `${file}: no PEM certificate Node can parse` }) };
  }
  if (role === 'dhparam') {
    const bits = dhPrimeBits(text);
    return { ...meta, role, ...(bits && { key: { type: 'dh', bits, encrypted: false } }) };
  }
  return { ...meta, role };
}

export async function collectKeys(
  r: SysRoot,
  refs: readonly KeyRef[],
  brokerUsers: string[],
  warnDays: number[],
  names: { users: Map<number, string>; groups: Map<number, string> },
): Promise<KeyMaterial> {
  const byPath = new Map<string, { ref: KeyRef; locations: FileLocation[] }>();
  for (const ref of refs) {
    const e = byPath.get(ref.path);
    if (e) {
      if (ref.location) e.locations.push(ref.location);
      if (ref.passphraseConfigured) e.ref.passphraseConfigured = true;
    } else byPath.set(ref.path, { ref: { ...ref }, locations: ref.location ? [ref.location] : [] });
  }
  const searched: string[] = [];
  for (const { dir, product } of COMMON_KEY_DIRS) {
    const names2 = await listSys(r, dir);
    if (!names2.length) continue;
    searched.push(dir);
    for (const n of names2) {
      if (!/\.(pem|key|crt|cer|crl)$/i.test(n) || /^README/i.test(n)) continue;
      const p = posix.join(dir, n);
      if (byPath.has(p)) continue;
      const res = await readSys(r, p, 256 * 1024);
      const role = res.ok ? roleFromContent(res.text) : /\.key$/i.test(n) ? 'key' : undefined;
      if (role) byPath.set(p, { ref: { path: p, role, product }, locations: [] });
    }
  }
  const files = await Promise.all([...byPath.values()].map(({ ref, locations }) => inspect(r, ref, locations, names)));
  return { files, brokerUsers, searched, now: new Date().toISOString(), warnDays };
}
