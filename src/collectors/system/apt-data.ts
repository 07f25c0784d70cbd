/**
 * Pending APT updates from APT's and dpkg's own data, without spawning the simulated upgrade
 * (`apt-get -s dist-upgrade` rebuilds APT's whole package cache in memory, several seconds on a small
 * machine): the installed packages of /var/lib/dpkg/status against the package lists of
 * /var/lib/apt/lists, the candidate of each installed package being its highest version in those lists
 * (APT's choice where every source has the default priority 500). Compressed lists are read through
 * APT's own decompressor (`apt-helper cat-file`: gz, xz, lz4, zst, bz2).
 *
 * Where APT's choice can differ from "the highest version", this returns `{ fallback: why }` and the
 * caller runs the simulation: pins in /etc/apt/preferences(.d) that can match a list, APT::Default-Release,
 * a suite whose Release says NotAutomatic or ButAutomaticUpgrades (backports, experimental), source files
 * changed after the newest list (apt-get update not run since), a list of an architecture dpkg does not
 * have, a list too large to read. Held packages are left out, as dist-upgrade keeps them back; new
 * packages a dist-upgrade would pull in as dependencies are not pending updates of installed software
 * and are not listed. test/apt-data.test.ts compares both methods on the machine it runs on.
 */
import { stat } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { SYSTEM_PATH } from '../../firewall/run.js';
import { FileReadError, openRegularFileAsync } from '../../io/read.js';
import { at, findProgram, listSys, readSys, type SysRoot } from './sysroot.js';
import type { PendingUpdate } from './types.js';

/**
 * Debian version comparison (Debian Policy §5.6.12: epoch, then upstream version and Debian revision,
 * each compared as alternating non-digit parts, where '~' sorts before everything, even the end, and
 * letters before other characters, and digit parts compared as numbers). Hand-written: the npm registry
 * offers no maintained library for it (the Debian-related packages there build .deb files), and
 * `dpkg --compare-versions` would be one process per comparison.
 */
export function compareDebianVersions(a: string, b: string): number {
  const split = (v: string) => {
    const colon = v.indexOf(':');
    const epoch = colon > 0 && /^\d+$/.test(v.slice(0, colon)) ? Number(v.slice(0, colon)) : 0;
    const rest = colon > 0 ? v.slice(colon + 1) : v;
    const dash = rest.lastIndexOf('-');
    return { epoch, upstream: dash >= 0 ? rest.slice(0, dash) : rest, revision: dash >= 0 ? rest.slice(dash + 1) : '' };
  };
  const x = split(a);
  const y = split(b);
  if (x.epoch !== y.epoch) return x.epoch < y.epoch ? -1 : 1;
  return comparePart(x.upstream, y.upstream) || comparePart(x.revision, y.revision);
}

/** The sort weight of one character of a non-digit part: '~' lowest, the end next, then letters, then the rest. */
function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function comparePart(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // The non-digit prefix, character by character.
    while ((i < a.length && !isDigit(a[i]!)) || (j < b.length && !isDigit(b[j]!))) {
      const ca = i < a.length && !isDigit(a[i]!) ? a[i] : undefined;
      const cb = j < b.length && !isDigit(b[j]!) ? b[j] : undefined;
      const d = order(ca) - order(cb);
      if (d) return d < 0 ? -1 : 1;
      i++;
      j++;
    }
    // The digit part, as a number (leading zeros do not count).
    let na = '';
    let nb = '';
    while (i < a.length && isDigit(a[i]!)) na += a[i++];
    while (j < b.length && isDigit(b[j]!)) nb += b[j++];
    na = na.replace(/^0+/, '');
    nb = nb.replace(/^0+/, '');
    if (na.length !== nb.length) return na.length < nb.length ? -1 : 1;
    if (na !== nb) return na < nb ? -1 : 1;
  }
  return 0;
}

const isDigit = (c: string) => c >= '0' && c <= '9';

export interface InstalledPackage {
  name: string;
  arch: string;
  version: string;
  hold: boolean;
}

/** The installed packages of a dpkg status file (Status: "<want> ok installed"). */
export function installedPackages(text: string): InstalledPackage[] {
  const out: InstalledPackage[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.*)$`, 'mi').exec(stanza)?.[1]?.trim();
    const status = field('Status');
    const name = field('Package');
    const version = field('Version');
    if (!status || !name || !version || !/ installed$/.test(status)) continue;
    out.push({ name, arch: field('Architecture') ?? 'all', version, hold: status.startsWith('hold ') });
  }
  return out;
}

/**
 * The versions of the wanted packages in one Packages list: `wanted` holds "name:arch" (arch "all"
 * folded into the list's architecture, as APT does); `found` hears each version listed. Scans for "Package:" lines and reads a stanza only when its package is installed.
 */
export function scanPackagesList(text: string, listArch: string, wanted: ReadonlySet<string>, found: (key: string, version: string) => void): void {
  let pos = text.startsWith('Package:') ? 0 : text.indexOf('\nPackage:');
  while (pos >= 0) {
    const start = text[pos] === '\n' ? pos + 1 : pos;
    const eol = text.indexOf('\n', start);
    const name = text.slice(start + 8, eol < 0 ? undefined : eol).trim();
    const next = text.indexOf('\nPackage:', start + 8);
    if (wanted.has(`${name}:${listArch}`)) {
      const end = text.indexOf('\n\n', start);
      const stanza = text.slice(start, end < 0 ? text.length : end);
      const version = /^Version:[ \t]*(\S+)/m.exec(stanza)?.[1];
      const arch = /^Architecture:[ \t]*(\S+)/m.exec(stanza)?.[1] ?? listArch;
      if (version && (arch === 'all' || arch === listArch)) found(`${name}:${listArch}`, version);
    }
    pos = next < 0 ? -1 : next;
  }
}

/** `host_path_dists_suite_component_binary-ARCH_Packages[.ext]` → its suite, architecture and origin words. */
export function describeList(file: string): { suite: string; arch: string; origin: string } | undefined {
  const m = /^(.*)_dists_(.+?)_([^_]+)_binary-([^_]+)_Packages(?:\.(?:lz4|gz|xz|zst|bz2))?$/.exec(file);
  if (!m) return undefined;
  return { suite: m[2]!.replace(/_/g, '/'), arch: m[4]!, origin: `${m[2]!.replace(/_/g, '/')}/${m[3]!} (${m[1]!.replace(/_/g, '/')})` };
}

/** Pins that can matter: every stanza except `Pin: origin X` for a host that no list comes from. */
export function relevantPins(text: string, listHosts: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const stanza of text.split(/\n\s*\n/)) {
    const pin = /^Pin:[ \t]*(.*)$/m.exec(stanza)?.[1]?.trim();
    if (!pin) continue;
    const origin = /^origin\s+"?([^"\s]*)"?$/.exec(pin);
    if (origin && !listHosts.has(origin[1]!)) continue;
    out.push(pin);
  }
  return out;
}

export type AptDataResult = { pending: PendingUpdate[]; lists: string[] } | { fallback: string };

const MAX_LIST = 512 * 1024 * 1024;

/**
 * Hands a Packages list to `scan` in batches of whole stanzas (cut at the last blank line of what has
 * arrived), so that memory holds a read chunk and one stanza rather than the list: the main list of a
 * Debian release is about 90 MB decompressed, and all lists read side by side as whole strings made the
 * host audit's peak (about 250 MB).
 */
export class StanzaBatches {
  private rest = '';
  constructor(private readonly scan: (text: string) => void) {}
  push(chunk: string): void {
    const text = this.rest ? this.rest + chunk : chunk;
    const cut = text.lastIndexOf('\n\n');
    if (cut < 0) {
      this.rest = text;
      return;
    }
    this.scan(text.slice(0, cut + 1));
    this.rest = text.slice(cut + 2);
  }
  end(): void {
    if (this.rest) this.scan(this.rest);
    this.rest = '';
  }
}

const READ_CHUNK = 4 * 1024 * 1024;

/**
 * Streams one package list into `batches`: uncompressed through the bounded reader's checked file
 * handle, compressed through APT's own decompressor of this host (`apt-helper cat-file`; it only
 * decompresses, so an offline root's files stay data). Decoded as latin1 (per byte, so chunk borders
 * cannot split a character): the fields read (names, versions, architectures) are ASCII, and latin1
 * decoding of tens of megabytes costs a fraction of UTF-8's. Resolves to a fallback reason, or undefined.
 */
async function streamList(r: SysRoot, file: string, batches: StanzaBatches): Promise<{ fallback: string } | undefined> {
  const path = at(r, `/var/lib/apt/lists/${file}`);
  if (/_Packages$/.test(file)) {
    try {
      const fh = await openRegularFileAsync(path, 'APT package list');
      try {
        const size = (await fh.stat()).size;
        if (size > MAX_LIST) return { fallback: `${path}: larger than ${MAX_LIST} bytes` };
        const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, Math.max(1, size)));
        for (let got = 0; got < size; ) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - got), got);
          if (!bytesRead) break;
          got += bytesRead;
          batches.push(buf.toString('latin1', 0, bytesRead));
        }
        batches.end();
        return undefined;
      } finally {
        await fh.close();
      }
    } catch (e) {
      return { fallback: e instanceof FileReadError ? e.message : `${path}: ${(e as Error).message}` };
    }
  }
  const helper = await findProgram({ ...r, root: '/', live: true }, 'apt-helper', ['/usr/lib/apt']);
  if (!helper) return { fallback: `${path}: compressed, and this host has no apt-helper to decompress it` };
  return new Promise((resolve) => {
    const child = spawn(helper, ['cat-file', path], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: SYSTEM_PATH, LC_ALL: 'C' } });
    let total = 0;
    let stderr = '';
    let done = false;
    const finish = (v: { fallback: string } | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(v);
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      finish({ fallback: `${helper} cat-file ${path}: no end within ${r.slowTimeoutMs} ms` });
    }, r.slowTimeoutMs);
    child.stdout.on('data', (c: Buffer) => {
      if (done) return;
      total += c.length;
      if (total > MAX_LIST) {
        child.kill('SIGKILL');
        finish({ fallback: `${path}: more than ${MAX_LIST} bytes decompressed` });
      } else batches.push(c.toString('latin1'));
    });
    child.stderr.on('data', (c: Buffer) => (stderr = (stderr + c.toString('utf8')).slice(-500)));
    child.on('error', (e) => finish({ fallback: `${helper}: ${e.message}` }));
    child.on('close', (code) => {
      if (code === 0 && !done) batches.end();
      finish(code === 0 ? undefined : { fallback: `${helper} cat-file ${path} exited ${code}: ${stderr.trim().split('\n').pop() ?? ''}` });
    });
  });
}

export async function aptPendingFromData(r: SysRoot): Promise<AptDataResult> {
  const listsDir = at(r, '/var/lib/apt/lists');
  const onDisk = await listSys(r, '/var/lib/apt/lists');
  const lists = onDisk.flatMap((f) => {
    const d = describeList(f);
    return d ? [{ file: f, ...d }] : [];
  });
  if (!lists.length) return { fallback: `no package lists named as APT names them in ${listsDir}` };

  const statusText = await readSys(r, '/var/lib/dpkg/status', 256 * 1024 * 1024);
  if (!statusText.ok) return { fallback: statusText.error };
  const installed = installedPackages(statusText.text);
  const native = installed.find((p) => p.name === 'dpkg')?.arch;
  if (!native || native === 'all') return { fallback: `${at(r, '/var/lib/dpkg/status')}: no installed dpkg to tell the native architecture` };
  const foreign = await readSys(r, '/var/lib/dpkg/arch');
  const archs = new Set([native, ...(foreign.ok ? foreign.text.split('\n').map((l) => l.trim()).filter(Boolean) : [])]);
  const stray = lists.find((l) => !archs.has(l.arch));
  if (stray) return { fallback: `${listsDir}/${stray.file}: a list of architecture ${stray.arch}, which dpkg does not have` };

  // Configuration that makes APT's candidate differ from the highest version.
  const hosts = new Set(lists.map((l) => l.file.split('_')[0]!));
  const prefFiles = ['/etc/apt/preferences', ...(await listSys(r, '/etc/apt/preferences.d')).filter((f) => /^[\w.-]+$/.test(f) && (!f.includes('.') || f.endsWith('.pref'))).map((f) => `/etc/apt/preferences.d/${f}`)];
  for (const f of prefFiles) {
    const t = await readSys(r, f);
    if (!t.ok) continue;
    const pins = relevantPins(t.text, hosts);
    if (pins.length) return { fallback: `${at(r, f)}: pin "${pins[0]}" may change APT's candidate versions` };
  }
  const confFiles = ['/etc/apt/apt.conf', ...(await listSys(r, '/etc/apt/apt.conf.d')).map((f) => `/etc/apt/apt.conf.d/${f}`)];
  for (const f of confFiles) {
    const t = await readSys(r, f);
    if (t.ok && /Default-Release/i.test(t.text.replace(/(^|\n)\s*(\/\/|#).*/g, ''))) return { fallback: `${at(r, f)}: APT::Default-Release changes APT's candidate versions` };
  }
  for (const release of onDisk.filter((f) => /_(In)?Release$/.test(f))) {
    const t = await readSys(r, `/var/lib/apt/lists/${release}`, 64 * 1024 * 1024);
    const header = t.ok ? t.text.split(/\n\s*\n/).find((s) => /^(Origin|Suite|Codename):/m.test(s)) ?? '' : '';
    if (/^(NotAutomatic|ButAutomaticUpgrades):\s*yes/im.test(header)) return { fallback: `${listsDir}/${release}: the suite is NotAutomatic (priority 1 or 100, not 500)` };
  }
  const newestList = Math.max(...(await Promise.all(lists.map((l) => stat(`${listsDir}/${l.file}`).then((s) => s.mtimeMs, () => 0)))));
  const sources = ['/etc/apt/sources.list', ...(await listSys(r, '/etc/apt/sources.list.d')).filter((f) => /\.(list|sources)$/.test(f)).map((f) => `/etc/apt/sources.list.d/${f}`)];
  for (const s of sources) {
    const m = await stat(at(r, s)).then((x) => x.mtimeMs, () => 0);
    if (m > newestList) return { fallback: `${at(r, s)} changed after the newest package list: apt-get update has not run since` };
  }

  // name:arch of every upgradable installed package → the highest version seen so far.
  const key = (p: InstalledPackage) => `${p.name}:${p.arch === 'all' ? native : p.arch}`;
  const byKey = new Map(installed.filter((p) => !p.hold).map((p) => [key(p), p]));
  const wanted = new Set(byKey.keys());
  const best = new Map<string, string>();
  const seenIn = new Map<string, Set<string>>(); // "key version" → origins
  // The lists are streamed side by side; what a list adds (the highest version, the origins of each
  // version) does not depend on the order in which lists or stanzas arrive.
  const failed = await Promise.all(
    lists.map((l) =>
      streamList(
        r,
        l.file,
        new StanzaBatches((text) =>
          scanPackagesList(text, l.arch, wanted, (k, version) => {
            const cur = best.get(k);
            if (!cur || compareDebianVersions(version, cur) > 0) best.set(k, version);
            const id = `${k} ${version}`;
            if (!seenIn.has(id)) seenIn.set(id, new Set());
            seenIn.get(id)!.add(l.origin);
          }),
        ),
      ),
    ),
  );
  const fallback = failed.find((f) => f !== undefined);
  if (fallback) return fallback;
  const pending: PendingUpdate[] = [];
  for (const [k, p] of byKey) {
    const to = best.get(k);
    if (!to || compareDebianVersions(to, p.version) <= 0) continue;
    const origins = [...(seenIn.get(`${k} ${to}`) ?? [])];
    const foreign = p.arch !== native && p.arch !== 'all';
    pending.push({ name: foreign ? `${p.name}:${p.arch}` : p.name, from: p.version, to, security: origins.some((o) => /^[^/ ]+-security\//.test(o)), origin: origins.join(', ') });
  }
  pending.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { pending, lists: lists.map((l) => l.file) };
}
