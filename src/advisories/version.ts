/**
 * Version comparison for advisory matching.
 *
 * Hand-written on purpose: semver libraries reject OpenSSL letter releases
 * (1.0.1g, 1.0.2zd) and Mosquitto's 2.0.18a, and no npm package both compares
 * those and splits Debian package versions the way advisory matching needs.
 *
 * A version is a list of segments `<number><letters>` separated by dots
 * ("1.0.2zd" → 1 · 0 · 2zd). Segments compare by number, then by letters; letters
 * compare by length first, then alphabetically, which is OpenSSL's order
 * (… 0.9.8x < 0.9.8y < 0.9.8za < 0.9.8zb …). A missing segment counts as 0 with
 * no letters, so 3.2 = 3.2.0 and 1.1.1 < 1.1.1a. A pre-release or build suffix
 * after '-' or '+' is ignored (advisory ranges name releases).
 */

interface Segment {
  n: number;
  letters: string;
}

/** Parsed version, or undefined when the text is not a dotted version. */
export function parseVersion(v: string): Segment[] | undefined {
  const core = v.trim().replace(/^v/i, '').split(/[-+~]/)[0]!;
  if (!/^\d+[a-z]*(\.\d+[a-z]*)*$/i.test(core)) return undefined;
  return core.split('.').map((s) => {
    const m = /^(\d+)([a-z]*)$/i.exec(s)!;
    return { n: Number(m[1]), letters: m[2]!.toLowerCase() };
  });
}

function compareLetters(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare two upstream versions: negative, 0, positive. Throws on text that is not a version. */
export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a);
  const pb = parseVersion(b);
  if (!pa) throw new Error(`not a version: "${a}"`);
  if (!pb) throw new Error(`not a version: "${b}"`);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? { n: 0, letters: '' };
    const y = pb[i] ?? { n: 0, letters: '' };
    if (x.n !== y.n) return x.n - y.n;
    const l = compareLetters(x.letters, y.letters);
    if (l) return l;
  }
  return 0;
}

/** A half-open range [introduced, lessThan); an absent bound is open. */
export interface VersionRange {
  introduced?: string;
  lessThan?: string;
  /** Inclusive upper bound, used when a record says "through X" instead of "before X". */
  lessThanOrEqual?: string;
}

export function inRange(version: string, r: VersionRange): boolean {
  if (r.introduced !== undefined && compareVersions(version, r.introduced) < 0) return false;
  if (r.lessThan !== undefined && compareVersions(version, r.lessThan) >= 0) return false;
  if (r.lessThanOrEqual !== undefined && compareVersions(version, r.lessThanOrEqual) > 0) return false;
  return true;
}

export interface DebianVersion {
  epoch: number;
  /** The upstream part, as packaged (may carry +dfsg, ~rc, …). */
  upstream: string;
  /** The Debian revision ("1~deb12u2"), empty for native packages. */
  revision: string;
  /** The upstream release the package is built from, comparable with advisory ranges ("3.0.11"). */
  release: string;
}

/**
 * Split a Debian package version `[epoch:]upstream[-revision]` (Debian Policy 5.6.12):
 * the revision starts after the last hyphen. `release` drops repacking suffixes
 * (`+dfsg`, `+really…`, `~…`) so that `3.0.11-1~deb12u2` compares as 3.0.11 and
 * `1.1.1n-0+deb11u5` as 1.1.1n.
 */
export function parseDebianVersion(v: string): DebianVersion | undefined {
  const m = /^(?:(\d+):)?([0-9][A-Za-z0-9.+~:-]*?)(?:-([A-Za-z0-9.+~]+))?$/.exec(v.trim());
  if (!m) return undefined;
  const upstream = m[2]!;
  const really = /\+really([0-9][A-Za-z0-9.]*)/.exec(upstream);
  // The leading dotted release ("1.2.13.dfsg" → 1.2.13, "3.0.11+ds" → 3.0.11).
  const release = /^\d+[a-z]{0,2}(?:\.\d+[a-z]{0,2})*/i.exec((really ? really[1]! : upstream).split(/[+~]/)[0]!)?.[0];
  if (!release || !parseVersion(release)) return undefined;
  return { epoch: Number(m[1] ?? 0), upstream, revision: m[3] ?? '', release };
}

/**
 * dpkg's version order (Debian Policy 5.6.12): epoch numerically, then upstream
 * and revision with the "~ sorts before everything" string rule. Used to order
 * distro package versions among themselves, never against upstream releases.
 */
export function compareDebianVersions(a: string, b: string): number {
  const pa = /^(?:(\d+):)?(.*?)(?:-([^-]*))?$/.exec(a.trim())!;
  const pb = /^(?:(\d+):)?(.*?)(?:-([^-]*))?$/.exec(b.trim())!;
  const e = Number(pa[1] ?? 0) - Number(pb[1] ?? 0);
  if (e) return e;
  return verrevcmp(pa[2]!, pb[2]!) || verrevcmp(pa[3] ?? '', pb[3] ?? '');
}

function order(c: string | undefined): number {
  if (c === undefined) return 0;
  if (c === '~') return -1;
  if (/[0-9]/.test(c)) return 0;
  if (/[A-Za-z]/.test(c)) return c.charCodeAt(0);
  return c.charCodeAt(0) + 256;
}

function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !/[0-9]/.test(a[i]!)) || (j < b.length && !/[0-9]/.test(b[j]!))) {
      const ac = order(i < a.length && !/[0-9]/.test(a[i]!) ? a[i] : undefined);
      const bc = order(j < b.length && !/[0-9]/.test(b[j]!) ? b[j] : undefined);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (i < a.length && /[0-9]/.test(a[i]!) && j < b.length && /[0-9]/.test(b[j]!)) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (i < a.length && /[0-9]/.test(a[i]!)) return 1;
    if (j < b.length && /[0-9]/.test(b[j]!)) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}
