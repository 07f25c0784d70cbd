/**
 * File and command access of the host collectors, relative to the audited root:
 * '/' is this host; any other directory is an offline image or container root,
 * where paths resolve under it and no command inspects the live system.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';
import { exec, SYSTEM_PATH } from '../../firewall/run.js';
import { FileReadError, readTextFileAsync } from '../../io/read.js';

export interface SysRoot {
  root: string;
  live: boolean;
  /** Timeout of quick commands and reads. */
  timeoutMs: number;
  /** Timeout of package-manager simulations (slow where APT's cache is disabled). */
  slowTimeoutMs: number;
}

export function makeRoot(root: string, timeoutMs: number, slowTimeoutMs = Math.max(timeoutMs, 60_000)): SysRoot {
  return { root, live: root === '/', timeoutMs, slowTimeoutMs };
}

/** The real path of a path inside the audited system. */
export function at(r: SysRoot, path: string): string {
  return r.live ? path : join(r.root, path);
}

export type ReadResult = { ok: true; text: string } | { ok: false; missing: boolean; error: string };

const MAX_READ = 8 * 1024 * 1024;

/**
 * Read a text file of the audited system: its first `maxBytes` (files of /proc have no size),
 * through the bounded reader, so a FIFO, a device or a directory at that path is an error naming
 * the real path and what it is, never a blocked read.
 */
export async function readSys(r: SysRoot, path: string, maxBytes = MAX_READ): Promise<ReadResult> {
  const file = at(r, path);
  try {
    return { ok: true, text: await readTextFileAsync(file, 'system', { maxBytes, truncate: true }) };
  } catch (e) {
    const code = (e as FileReadError).code;
    const why = e instanceof FileReadError ? e.reason : (code ?? (e as Error).message);
    return { ok: false, missing: code === 'ENOENT' || code === 'ENOTDIR', error: `${file}: ${why}` };
  }
}

export async function existsSys(r: SysRoot, path: string): Promise<boolean> {
  try {
    await stat(at(r, path));
    return true;
  } catch {
    return false;
  }
}

export async function listSys(r: SysRoot, path: string): Promise<string[]> {
  try {
    return (await readdir(at(r, path))).sort();
  } catch {
    return [];
  }
}

const BIN_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

/** Where a program is installed in the audited system (searched in the standard directories). */
export async function findProgram(r: SysRoot, name: string, extra: string[] = []): Promise<string | undefined> {
  for (const d of [...BIN_DIRS, ...extra]) {
    const p = posix.join(d, name);
    try {
      const st = await stat(at(r, p));
      if (st.isFile()) return p;
    } catch {
      // not there
    }
  }
  return undefined;
}

export type RunResult = { ok: true; stdout: string; stderr: string; code: number } | { ok: false; error: string; missing?: boolean; timedOut?: boolean };

/**
 * Run a program of this host (never of an offline root) with a timeout; no shell. The shared runner of
 * src/firewall/run.ts underneath, with a fixed PATH and LC_ALL=C (the audit does not trust the caller's PATH).
 */
export async function run(cmd: string, args: string[], timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  const r = await exec(cmd, args, { timeoutMs, env: { PATH: SYSTEM_PATH, LC_ALL: 'C', ...env } });
  if (r.ok) return r;
  return { ok: false, error: r.error, ...(r.kind === 'not-installed' && { missing: true }), ...(r.kind === 'timeout' && { timedOut: true }) };
}

/** uid → name and gid → name from the audited system's passwd/group files. */
export async function accounts(r: SysRoot): Promise<{ users: Map<number, string>; groups: Map<number, string>; uids: Map<string, number> }> {
  const users = new Map<number, string>();
  const uids = new Map<string, number>();
  const groups = new Map<number, string>();
  const pw = await readSys(r, '/etc/passwd', 4 * 1024 * 1024);
  if (pw.ok) {
    for (const line of pw.text.split('\n')) {
      const f = line.split(':');
      if (f.length >= 4 && /^\d+$/.test(f[2]!)) {
        if (!users.has(Number(f[2]))) users.set(Number(f[2]), f[0]!);
        uids.set(f[0]!, Number(f[2]));
      }
    }
  }
  const gr = await readSys(r, '/etc/group', 4 * 1024 * 1024);
  if (gr.ok) {
    for (const line of gr.text.split('\n')) {
      const f = line.split(':');
      if (f.length >= 3 && /^\d+$/.test(f[2]!) && !groups.has(Number(f[2]))) groups.set(Number(f[2]), f[0]!);
    }
  }
  return { users, groups, uids };
}
