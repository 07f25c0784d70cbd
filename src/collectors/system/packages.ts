/**
 * Installed-package databases read as files (so that an offline root works the
 * same as this host): dpkg's status file and apk's installed database. The
 * formats are plain RFC 822-style stanzas; a library would add nothing.
 * (rpm's database is SQLite/BerkeleyDB: on RPM systems, versions come from the
 * binaries instead.)
 */
import { readSys, type SysRoot } from './sysroot.js';

export interface InstalledPackage {
  name: string;
  version: string;
  source?: string;
  manager: 'dpkg' | 'apk';
}

export interface PackageDb {
  manager: 'dpkg' | 'apk';
  file: string;
  packages: Map<string, InstalledPackage>;
}

/** Parse /var/lib/dpkg/status: installed packages only ("install ok installed"). */
export function parseDpkgStatus(text: string): Map<string, InstalledPackage> {
  const out = new Map<string, InstalledPackage>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    for (const line of stanza.split('\n')) {
      const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.*)$/.exec(line);
      if (m) fields.set(m[1]!.toLowerCase(), m[2]!.trim());
    }
    const name = fields.get('package');
    const version = fields.get('version');
    const status = fields.get('status') ?? '';
    if (!name || !version || status.split(/\s+/).pop() !== 'installed') continue;
    const arch = fields.get('architecture');
    const src = fields.get('source')?.split(' ')[0];
    const pkg: InstalledPackage = { name, version, manager: 'dpkg', ...(src && { source: src }) };
    out.set(name, pkg);
    if (arch && arch !== 'all') out.set(`${name}:${arch}`, pkg);
  }
  return out;
}

/** Parse /lib/apk/db/installed: `P:` name, `V:` version. */
export function parseApkInstalled(text: string): Map<string, InstalledPackage> {
  const out = new Map<string, InstalledPackage>();
  for (const stanza of text.split(/\n\s*\n/)) {
    const name = /^P:(.+)$/m.exec(stanza)?.[1]?.trim();
    const version = /^V:(.+)$/m.exec(stanza)?.[1]?.trim();
    const origin = /^o:(.+)$/m.exec(stanza)?.[1]?.trim();
    if (name && version) out.set(name, { name, version, manager: 'apk', ...(origin && { source: origin }) });
  }
  return out;
}

/** The package database of the audited system, if it has one we read. */
export async function readPackageDb(r: SysRoot): Promise<PackageDb | { error: string } | undefined> {
  const dpkg = await readSys(r, '/var/lib/dpkg/status', 64 * 1024 * 1024);
  if (dpkg.ok) return { manager: 'dpkg', file: '/var/lib/dpkg/status', packages: parseDpkgStatus(dpkg.text) };
  if (!dpkg.missing) return { error: dpkg.error };
  const apk = await readSys(r, '/lib/apk/db/installed', 64 * 1024 * 1024);
  if (apk.ok) return { manager: 'apk', file: '/lib/apk/db/installed', packages: parseApkInstalled(apk.text) };
  if (!apk.missing) return { error: apk.error };
  return undefined;
}
