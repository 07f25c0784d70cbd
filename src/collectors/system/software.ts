/**
 * Versions of OpenSSL, Mosquitto and EMQX in use on the audited system, from
 * every place that can tell: binaries (live only: `openssl version`,
 * `mosquitto -h`), the package database, the libcrypto a running broker maps
 * (its embedded version string), Node's own OpenSSL (live only), EMQX release
 * files. Each component records whether a distribution built it, because
 * distributions backport security fixes without changing the upstream version.
 */
import { openRegularFileAsync } from '../../io/read.js';
import { loadAdvisoryDb } from '../../advisories/db.js';
import { parseDebianVersion, parseVersion } from '../../advisories/version.js';
import type { BrokerDiscovery } from './brokers.js';
import type { PackageDb } from './packages.js';
import { findProgram, listSys, readSys, run, type SysRoot } from './sysroot.js';
import type { SoftwareComponent, SoftwareInventory } from './types.js';

const OPENSSL_PACKAGES = /^(libssl\d[\d.]*[a-z]?(-udeb)?|libssl|openssl|openssl-libs|libopenssl\d.*|libcrypto\d.*)$/;

/** The upstream release of a package version ("3.0.11-1~deb12u2" → 3.0.11, apk "3.1.4-r5" → 3.1.4). */
export function releaseOf(version: string): string | undefined {
  const deb = parseDebianVersion(version);
  if (deb) return deb.release;
  const core = version.replace(/^\d+:/, '').split('-')[0]!;
  return parseVersion(core) ? core : undefined;
}

/** Find "OpenSSL x.y.z[letters]" in a library file without reading it whole into a string. */
export async function opensslVersionInFile(file: string, maxBytes = 16 * 1024 * 1024): Promise<string | undefined> {
  const fh = await openRegularFileAsync(file, 'library');
  try {
    const chunk = Buffer.alloc(1024 * 1024);
    let pos = 0;
    let carry = '';
    while (pos < maxBytes) {
      const { bytesRead } = await fh.read(chunk, 0, chunk.length, pos);
      if (!bytesRead) break;
      pos += bytesRead;
      const text = carry + chunk.subarray(0, bytesRead).toString('latin1');
      const m = /OpenSSL (\d+\.\d+\.\d+[a-z]{0,2})(?:-[a-z]+)? +\d{1,2} [A-Z][a-z]{2} \d{4}/.exec(text);
      if (m) return m[1];
      carry = text.slice(-64);
    }
    return undefined;
  } finally {
    await fh.close();
  }
}

function distroFor(db: PackageDb | undefined, names: RegExp, release: string): SoftwareComponent['distro'] | undefined {
  if (!db) return undefined;
  for (const p of db.packages.values()) {
    if (names.test(p.name) && releaseOf(p.version) === release) return { manager: db.manager, package: p.name, version: p.version };
  }
  return undefined;
}

export async function collectSoftware(r: SysRoot, db: PackageDb | undefined, brokers: BrokerDiscovery, advisoriesFile?: string): Promise<SoftwareInventory> {
  const components: SoftwareComponent[] = [];
  const looked: string[] = [];
  const add = (c: SoftwareComponent) => {
    if (!components.some((x) => x.product === c.product && x.source === c.source && x.where === c.where)) components.push(c);
  };

  // Package database.
  if (db) {
    looked.push(`${db.manager} database ${db.file}`);
    const seen = new Set<string>();
    for (const p of db.packages.values()) {
      if (seen.has(p.name)) continue;
      seen.add(p.name);
      const product = OPENSSL_PACKAGES.test(p.name) ? 'openssl' : p.name === 'mosquitto' ? 'mosquitto' : p.name === 'emqx' || p.name === 'emqx-enterprise' ? 'emqx' : undefined;
      const release = releaseOf(p.version);
      if (!product || !release || /-dev$|-doc$/.test(p.name)) continue;
      add({ product, version: p.version, release, source: 'package', where: `${db.manager} package ${p.name}`, distro: { manager: db.manager, package: p.name, version: p.version } });
    }
  } else {
    looked.push('package database (none found: /var/lib/dpkg/status, /lib/apk/db/installed)');
  }

  if (r.live) {
    // The openssl binary.
    const openssl = await findProgram(r, 'openssl');
    looked.push(openssl ? `${openssl} version` : 'openssl binary (not installed)');
    if (openssl) {
      const res = await run(openssl, ['version'], r.timeoutMs);
      const m = res.ok ? /^OpenSSL (\d+\.\d+\.\d+[a-z]*)/.exec(res.stdout) : null;
      if (m) {
        const distro = distroFor(db, /^openssl$/, m[1]!);
        add({ product: 'openssl', version: m[1]!, release: m[1]!, source: 'binary', where: openssl, ...(distro && { distro }) });
        const lib = res.ok ? /Library: OpenSSL (\d+\.\d+\.\d+[a-z]*)/.exec(res.stdout) : null;
        if (lib && lib[1] !== m[1]) {
          const d2 = distroFor(db, OPENSSL_PACKAGES, lib[1]!);
          add({ product: 'openssl', version: lib[1]!, release: lib[1]!, source: 'binary', where: `library loaded by ${openssl}`, ...(d2 && { distro: d2 }) });
        }
      }
    }
    // The libcrypto each running broker maps.
    for (const p of brokers.setup.processes ?? []) {
      const libs = p.libs.filter((l) => /libcrypto/.test(l.path));
      looked.push(`/proc/${p.pid}/maps (${p.product})`);
      for (const l of libs) {
        const file = l.deleted ? `/proc/${p.pid}/map_files/${l.range}` : `/proc/${p.pid}/root${l.path}`;
        const v = await opensslVersionInFile(file).catch(() => undefined);
        if (!v) continue;
        const distro = /^\/(usr\/)?lib/.test(l.path) ? distroFor(db, OPENSSL_PACKAGES, v) : undefined;
        add({ product: 'openssl', version: v, release: v, source: 'process', where: `${p.product} (pid ${p.pid}) maps ${l.path}${l.deleted ? ' (deleted)' : ''}`, ...(distro && { distro }), ...(l.deleted && { deleted: true }) });
      }
    }
    // Node's own OpenSSL (Aedes and other Node brokers run on it).
    const nodeSsl = process.versions.openssl?.replace(/\+.*$/, '');
    if (nodeSsl && parseVersion(nodeSsl)) {
      const shared = (process.config.variables as Record<string, unknown>).node_shared_openssl === true || (process.config.variables as Record<string, unknown>).node_shared_openssl === 'true';
      const distro = shared ? distroFor(db, OPENSSL_PACKAGES, nodeSsl) : undefined;
      add({ product: 'openssl', version: nodeSsl, release: nodeSsl, source: 'node', where: `Node.js ${process.version} (${process.execPath})${shared ? ', shared system library' : ', bundled'}`, ...(distro && { distro }) });
    }
    // The Mosquitto binary.
    const mosq = await findProgram(r, 'mosquitto');
    looked.push(mosq ? `${mosq} -h` : 'mosquitto binary (not installed)');
    if (mosq) {
      const res = await run(mosq, ['-h'], r.timeoutMs);
      const m = res.ok ? /mosquitto version (\d+\.\d+\.\d+[a-z]*)/.exec(res.stdout + res.stderr) : null;
      if (m) {
        const distro = distroFor(db, /^mosquitto$/, m[1]!);
        add({ product: 'mosquitto', version: m[1]!, release: m[1]!, source: 'binary', where: mosq, ...(distro && { distro }) });
      }
    }
  } else {
    looked.push(`binaries and processes not run/inspected: offline root ${r.root}`);
  }

  // EMQX release files.
  for (const home of brokers.emqxHomes) {
    looked.push(`${home}/releases`);
    const startErl = await readSys(r, `${home}/releases/start_erl.data`);
    const vars = await readSys(r, `${home}/releases/emqx_vars`);
    let v = startErl.ok ? startErl.text.trim().split(/\s+/)[1] : undefined;
    if (!v && vars.ok) v = /^REL_VSN="?([^"\s]+)"?/m.exec(vars.text)?.[1];
    if (!v) v = (await listSys(r, `${home}/releases`)).filter((d) => /^\d+\.\d+\.\d+/.test(d)).sort().pop();
    const release = v ? v.replace(/^v/, '').split('-')[0] : undefined;
    if (v && release && parseVersion(release)) {
      const distro = distroFor(db, /^emqx(-enterprise)?$/, release);
      add({ product: 'emqx', version: v, release, source: 'release-files', where: `${home}/releases`, ...(distro && { distro }) });
    }
  }
  const adb = loadAdvisoryDb(advisoriesFile);
  return { components, looked, db: { snapshot: adb.snapshot, file: adb.file, advisories: adb.advisories } };
}
