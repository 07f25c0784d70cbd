/**
 * Pending updates and reboot-required state. APT is simulated (`apt-get -s
 * dist-upgrade`: read-only, no lock); offline roots are simulated by this host's
 * apt-get against the root's own dpkg status, sources and package lists
 * (`-o Dir=ROOT`), which reads those files only. dnf/yum/zypper/apk are queried
 * on the live host only.
 */
import { readdir, stat } from 'node:fs/promises';
import { release } from 'node:os';
import { aptPendingFromData } from './apt-data.js';
import { at, existsSys, findProgram, listSys, readSys, run, type SysRoot } from './sysroot.js';
import type { PendingUpdate, RebootStatus, UpdateStatus } from './types.js';

/** `Inst name [old] (new origin, origin [arch])` lines of an APT simulation. */
export function parseAptSimulation(text: string): PendingUpdate[] {
  const out: PendingUpdate[] = [];
  for (const line of text.split('\n')) {
    const m = /^Inst (\S+) (?:\[([^\]]+)\] )?\((\S+) (.*?)(?: \[[^\]]*\])?\)/.exec(line);
    if (!m) continue;
    const origin = m[4]!;
    out.push({ name: m[1]!, ...(m[2] && { from: m[2] }), to: m[3]!, security: /security/i.test(origin), origin });
  }
  return out;
}

async function listsAge(r: SysRoot): Promise<number | undefined> {
  const dir = at(r, '/var/lib/apt/lists');
  let newest = 0;
  for (const f of await readdir(dir).catch(() => [] as string[])) {
    if (!/Release$|_Packages/.test(f)) continue;
    const st = await stat(`${dir}/${f}`).catch(() => undefined);
    if (st && st.mtimeMs > newest) newest = st.mtimeMs;
  }
  return newest ? Math.floor((Date.now() - newest) / 86_400_000) : undefined;
}

const PACKAGES_LIST = /_Packages(\.(lz4|gz|xz|zst|bz2))?$/;
const noCompression = (f: string) => f.replace(/\.(lz4|gz|xz|zst|bz2)$/, '');
/** The archive, suite and component a list belongs to (`host_path_dists_suite_component`). */
const listSuite = (f: string) => noCompression(f).replace(/_binary-[^_]+_Packages$/, '');

/**
 * Which package lists apt uses: `apt-get indextargets` names the list files of the
 * configured sources that exist. A list on disk that apt does not use (an architecture
 * it does not know, a source no longer configured) whose suite has no usable list
 * beside it means apt sees nothing of that suite. `usable` false: apt uses no list at all.
 */
export function aptListUse(onDisk: readonly string[], indexTargets: string): { used: string[]; unused: string[] } {
  const used = new Set(
    indexTargets
      .split('\n')
      .map((l) => l.split('\t'))
      .filter(([by, file]) => by === 'Packages' && file)
      .map(([, file]) => noCompression(file!.slice(file!.lastIndexOf('/') + 1))),
  );
  const lists = onDisk.filter((f) => PACKAGES_LIST.test(f));
  const usedSuites = new Set([...used].map(listSuite));
  return { used: lists.filter((f) => used.has(noCompression(f))), unused: lists.filter((f) => !used.has(noCompression(f)) && !usedSuites.has(listSuite(f))) };
}

async function apt(r: SysRoot): Promise<UpdateStatus | { skipped: string }> {
  const data = await aptPendingFromData(r);
  if ('pending' in data) {
    const age = await listsAge(r);
    const source = `${at(r, '/var/lib/dpkg/status')} against ${data.lists.length} package list(s) in ${at(r, '/var/lib/apt/lists')}, highest version per installed package (APT's candidate: no pins, no NotAutomatic suite)`;
    return { manager: 'apt', source, pending: data.pending, ...(age !== undefined && { listsAgeDays: age }) };
  }
  const simulated = await aptSimulation(r);
  return 'skipped' in simulated ? simulated : { ...simulated, source: `${simulated.source} (APT's data not used: ${data.fallback})` };
}

/** The pending updates as `apt-get -s dist-upgrade` sees them (the path where APT's data alone cannot tell). */
export async function aptSimulation(r: SysRoot): Promise<UpdateStatus | { skipped: string }> {
  const aptGet = await findProgram({ ...r, root: '/', live: true }, 'apt-get');
  if (!aptGet) throw new Error('apt-get is not installed on this host');
  const common = ['-q', '-o', 'Debug::NoLocking=true', '-o', 'Dir::Cache::pkgcache=', '-o', 'Dir::Cache::srcpkgcache=', '-o', 'Dir::Log=/dev/null', '-o', 'Dir::Log::Planner=/dev/null', '-o', 'Dir::Log::Solver=/dev/null'];
  const onDisk = await listSys(r, '/var/lib/apt/lists');
  if (!r.live) {
    if (!onDisk.some((f) => /_Packages$/.test(f))) {
      throw new Error(`${at(r, '/var/lib/apt/lists')}: no uncompressed package lists to compare the installed versions with`);
    }
    common.push('-o', `Dir=${r.root}/`, '-o', `Dir::State::status=${at(r, '/var/lib/dpkg/status')}`, '-o', 'Dir::Etc::SourceParts=-');
  }
  // "apt saw no lists" must not read as "nothing pending": ask apt which lists it uses.
  const targets = await run(aptGet, [...common, 'indextargets', '--format', '$(CREATED_BY)\t$(FILENAME)'], r.slowTimeoutMs);
  if (!targets.ok) throw new Error(targets.error);
  if (targets.code !== 0) throw new Error(`apt-get indextargets exited ${targets.code}: ${targets.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  const { used, unused } = aptListUse(onDisk, targets.stdout);
  const dir = at(r, '/var/lib/apt/lists');
  if (!used.length) {
    return {
      skipped: `apt cannot use the package lists in ${dir}: it ignores ${unused.slice(0, 3).join(', ')}${unused.length > 3 ? ', …' : ''} (not lists of the sources and architectures this apt-get is configured for), so it knows no newer version; run apt-get update${r.live ? '' : ' in that system'}`,
    };
  }
  const res = await run(aptGet, ['-s', ...common, 'dist-upgrade'], r.slowTimeoutMs);
  if (!res.ok) throw new Error(res.error);
  if (res.code !== 0) throw new Error(`apt-get -s dist-upgrade exited ${res.code}: ${res.stderr.trim().split('\n').slice(-1)[0] ?? ''}`);
  const age = await listsAge(r);
  return { manager: 'apt', source: `apt-get -s dist-upgrade${r.live ? '' : ` -o Dir=${r.root}/`}`, pending: parseAptSimulation(res.stdout), ...(age !== undefined && { listsAgeDays: age }), ...(unused.length && { unusedLists: unused }) };
}

/**
 * `dnf/yum check-update` lists "name.arch version repo"; `updateinfo list --security`
 * lists "ADVISORY severity/Sec. name-version-release.arch".
 */
export function parseDnfUpdates(checkUpdate: string, securityList: string): PendingUpdate[] {
  const secNames = new Set(
    securityList
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[2]?.replace(/\.[^.]+$/, '').replace(/-[^-]+-[^-]+$/, ''))
      .filter((x): x is string => Boolean(x)),
  );
  return checkUpdate
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .filter((f) => f.length === 3 && /\./.test(f[0]!) && /\d/.test(f[1]!))
    .map(([pkg, to, repo]) => {
      const name = pkg!.replace(/\.[^.]+$/, '');
      return { name, to: to!, security: secNames.has(name), origin: repo! };
    });
}

/** `zypper list-updates` table rows: "v | repo | name | current | available | arch". */
export function parseZypperUpdates(text: string): PendingUpdate[] {
  return text
    .split('\n')
    .filter((l) => /^v\s*\|/.test(l))
    .map((l) => l.split('|').map((x) => x.trim()))
    .map((f): PendingUpdate => ({ name: f[2]!, from: f[3]!, to: f[4]!, security: false, origin: f[1]! }));
}

/** `apk version -l '<'`: "name-version < newversion". */
export function parseApkUpdates(text: string): PendingUpdate[] {
  return text
    .split('\n')
    .map((l) => /^(\S+?)-(\d\S*)\s+<\s+(\S+)/.exec(l.trim()))
    .filter((m): m is RegExpExecArray => Boolean(m))
    .map((m) => ({ name: m[1]!, from: m[2]!, to: m[3]!, security: false }));
}

async function dnf(tool: 'dnf' | 'yum', r: SysRoot): Promise<UpdateStatus> {
  const all = await run(tool, ['-q', '-C', 'check-update'], r.slowTimeoutMs);
  if (!all.ok) throw new Error(all.error);
  if (all.code !== 0 && all.code !== 100) throw new Error(`${tool} check-update exited ${all.code}`);
  const sec = await run(tool, ['-q', '-C', 'updateinfo', 'list', '--security'], r.slowTimeoutMs);
  return { manager: tool, source: `${tool} check-update (cached metadata)`, pending: parseDnfUpdates(all.stdout, sec.ok ? sec.stdout : '') };
}

async function zypper(r: SysRoot): Promise<UpdateStatus> {
  const all = await run('zypper', ['-q', '--no-refresh', 'list-updates'], r.slowTimeoutMs);
  if (!all.ok) throw new Error(all.error);
  const sec = await run('zypper', ['-q', '--no-refresh', 'list-patches', '--category', 'security'], r.slowTimeoutMs);
  const securityPatches = sec.ok ? sec.stdout.split('\n').filter((l) => /\|\s*security\s*\|/.test(l)).length : 0;
  const pending = parseZypperUpdates(all.stdout);
  if (securityPatches) pending.push({ name: `${securityPatches} security patch(es)`, to: 'zypper list-patches --category security', security: true });
  return { manager: 'zypper', source: 'zypper list-updates', pending };
}

async function apk(r: SysRoot): Promise<UpdateStatus> {
  const res = await run('apk', ['version', '-l', '<'], r.slowTimeoutMs);
  if (!res.ok) throw new Error(res.error);
  const pending = parseApkUpdates(res.stdout);
  return { manager: 'apk', source: 'apk version -l "<" (apk has no security classification)', pending };
}

export async function collectUpdates(r: SysRoot): Promise<UpdateStatus | { skipped: string }> {
  if (await existsSys(r, '/var/lib/dpkg/status')) {
    // Without package lists apt knows no newer version: that is not "up to date".
    if (!(await listSys(r, '/var/lib/apt/lists')).some((f) => /_Packages(\.(lz4|gz|xz|zst|bz2))?$/.test(f))) {
      return { skipped: `no APT package lists in ${at(r, '/var/lib/apt/lists')}: run apt-get update to learn which updates are pending` };
    }
    return apt(r);
  }
  if (!r.live) return { skipped: `offline root ${r.root}: only APT systems (var/lib/dpkg/status) can be simulated offline` };
  for (const tool of ['dnf', 'yum'] as const) if (await findProgram(r, tool)) return dnf(tool, r);
  if (await findProgram(r, 'zypper')) return zypper(r);
  if (await findProgram(r, 'apk')) return apk(r);
  return { skipped: 'no supported package manager found (looked for dpkg/apt, dnf, yum, zypper, apk)' };
}

export async function collectReboot(r: SysRoot): Promise<RebootStatus> {
  for (const f of ['/run/reboot-required', '/var/run/reboot-required']) {
    if (await existsSys(r, f)) {
      const pkgs = await readSys(r, `${f}.pkgs`);
      return { required: true, packages: pkgs.ok ? [...new Set(pkgs.text.split('\n').map((l) => l.trim()).filter(Boolean))] : [], source: f };
    }
  }
  // The running kernel: uname on a live host; on an offline root only a captured proc/sys/kernel/osrelease tells.
  let running: string | undefined;
  if (r.live) running = release();
  else {
    const captured = await readSys(r, '/proc/sys/kernel/osrelease');
    if (captured.ok && captured.text.trim()) running = captured.text.trim();
  }
  if (running) {
    // A kernel newer than the running one is installed: its modules directory exists.
    const kernels = (await listSys(r, '/lib/modules')).filter((k) => /^\d/.test(k));
    const newer = kernels.filter((k) => k !== running && compareKernel(k, running) > 0);
    if (newer.length && kernels.includes(running)) return { required: true, packages: newer.map((k) => `kernel ${k} installed, ${running} running`), source: `${at(r, '/lib/modules')} vs ${r.live ? 'uname -r' : at(r, '/proc/sys/kernel/osrelease')}` };
    if (kernels.includes(running)) return { required: false, packages: [], source: `no reboot-required flag; running kernel ${running} is the newest of ${at(r, '/lib/modules')}` };
    if (r.live) return { required: false, packages: [], source: `no /run/reboot-required; running kernel ${running} (not among ${at(r, '/lib/modules')}: a container sharing its host's kernel)` };
  }
  // Offline, /run is a tmpfs that an image or a copied tree rarely holds: the flag's absence proves nothing.
  return {
    required: false,
    packages: [],
    source: `no ${at(r, '/var/run/reboot-required')}`,
    unknown: `offline root ${r.root}: no reboot-required flag and no captured proc/sys/kernel/osrelease to compare with ${at(r, '/lib/modules')}`,
  };
}

function compareKernel(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  const pb = b.split(/[.-]/).map((x) => Number.parseInt(x, 10) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
