/**
 * The one way mqtt-warden reads a file: regular files only, of bounded size.
 *
 * - Non-regular files (FIFOs, character and block devices, sockets, directories) are refused
 *   from a `stat` BEFORE the file is opened: opening a FIFO for reading blocks until a writer
 *   comes, and /dev/zero never ends. The open itself uses O_NONBLOCK and the type and size are
 *   checked again on the descriptor (the path may have been swapped in between).
 * - Every kind of file has a documented size limit (`READ_LIMITS`); a larger file is refused
 *   with its size and the limit, and a file that grows past the limit while it is read too.
 * - Errors are `FileReadError`s whose message names the path, what the file was expected to be
 *   and what it is: "cannot read config file /dev/zero: is a character device, not a regular file".
 *
 * The only other readers of files are streaming ones with their own line limits (the guard's
 * log follower, src/guard/sources/file.ts); `openRegularFile` gives them the same type check.
 * The eslint rule in eslint.config.js keeps direct readFileSync/readFile calls out of src/.
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

const MiB = 1024 * 1024;

/** What a file is read as: its name in messages and its size limit. */
export const READ_LIMITS = {
  /** mosquitto.conf, EMQX HOCON files and their includes: real ones are kilobytes. */
  config: { label: 'config file', maxBytes: 16 * MiB },
  /** Mosquitto password, ACL and PSK files, EMQX ACL and bootstrap files (one line per user). */
  credentials: { label: 'credentials file', maxBytes: 64 * MiB },
  /** Policies, project files, cluster files, guard configs, env files (YAML/KEY=VALUE). */
  settings: { label: 'settings file', maxBytes: 4 * MiB },
  /** `audit --targets`. */
  targets: { label: 'targets file', maxBytes: 16 * MiB },
  /** Crack-test and password wordlists. */
  wordlist: { label: 'wordlist', maxBytes: 64 * MiB },
  /** The advisory database and `advisories update --from` inputs (CVE JSON 5). */
  advisories: { label: 'advisory file', maxBytes: 64 * MiB },
  /** CA bundles, certificates, keys and CRLs. */
  tls: { label: 'TLS file', maxBytes: 16 * MiB },
  /** Lynis reports (lynis-report.dat). */
  report: { label: 'report', maxBytes: 16 * MiB },
  /** Baselines (previous JSON reports). */
  baseline: { label: 'baseline', maxBytes: 64 * MiB },
  /** Files of the audited system read by the host collectors (/etc/passwd, /proc, apt lists). */
  system: { label: 'file', maxBytes: 8 * MiB },
} as const;

export type ReadKind = keyof typeof READ_LIMITS;

export interface ReadOptions {
  /** Override the kind's size limit (e.g. a larger advisory database). */
  maxBytes?: number;
  /** Name of the file in messages (default: the kind's label). */
  label?: string;
  /** Return the first maxBytes instead of refusing a larger file (files of /proc, logs). */
  truncate?: boolean;
}

/** What the file system's error codes mean, for messages: the code stays (scripts match it), the words say it. */
const FS_ERRORS: Record<string, string> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EISDIR: 'is a directory, not a file',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'file name too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
  ERR_STRING_TOO_LONG: 'the file is too large to read as text',
  ERR_FS_FILE_TOO_LARGE: 'the file is too large (2 GiB or more)',
  ERR_INVALID_ARG_VALUE: 'not a valid path',
};

/** `ENOENT (no such file or directory)`: a system error code with its meaning. */
export function codeText(code: string): string {
  return FS_ERRORS[code] ? `${code} (${FS_ERRORS[code]})` : code;
}

/** A file that cannot be read; `reason` is the part after the path ("is a FIFO…", "ENOENT"). */
export class FileReadError extends Error {
  constructor(
    readonly path: string,
    readonly label: string,
    readonly reason: string,
    /** The system error code (ENOENT, EACCES …), when the failure was one. */
    readonly code?: string,
  ) {
    super(`cannot read ${label} ${path}: ${reason}`);
  }
}

/** What a file is, for messages: "a FIFO (named pipe)", "a character device" … */
export function describeFileType(st: Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

/** "2.1 GB", "16 MiB", "512 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} GB`;
  if (n % MiB === 0 && n >= MiB) return `${n / MiB} MiB`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
  if (n % 1024 === 0 && n >= 1024) return `${n / 1024} KiB`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
  return `${n} bytes`;
}

interface Resolved {
  label: string;
  maxBytes: number;
  truncate: boolean;
}

function resolveKind(kind: ReadKind, opts: ReadOptions): Resolved {
  const k = READ_LIMITS[kind];
  return { label: opts.label ?? k.label, maxBytes: opts.maxBytes ?? k.maxBytes, truncate: opts.truncate ?? false };
}

function sysError(path: string, r: Resolved, e: unknown): FileReadError {
  if (e instanceof FileReadError) return e;
  const code = (e as NodeJS.ErrnoException)?.code;
  return new FileReadError(path, r.label, code ? codeText(code) : ((e as Error)?.message ?? String(e)), code);
}

/** Refuse a non-regular file, or a regular one over the limit (unless truncating). */
function check(path: string, r: Resolved, st: Stats): void {
  if (!st.isFile()) throw new FileReadError(path, r.label, `is ${describeFileType(st)}, not a regular file`, st.isDirectory() ? 'EISDIR' : 'ENOTREG');
  if (!r.truncate && st.size > r.maxBytes) throw tooLarge(path, r, st.size);
}

function tooLarge(path: string, r: Resolved, size?: number): FileReadError {
  const what = size === undefined ? `grew past ${formatBytes(r.maxBytes)} while being read` : `is ${formatBytes(size)}, over the ${formatBytes(r.maxBytes)} limit for a ${r.label}`;
  return new FileReadError(path, r.label, what, 'EFBIG');
}

const CHUNK = 256 * 1024;

function decode(chunks: Buffer[], total: number): string {
  return Buffer.concat(chunks, total).toString('utf8').replace(/^\uFEFF/, '');
}

/** Read a regular file as UTF-8 (a leading BOM dropped), synchronously. Throws FileReadError. */
export function readTextFile(path: string, kind: ReadKind, opts: ReadOptions = {}): string {
  return readFileBytes(path, kind, opts, decode);
}

/** Read a regular file's bytes, synchronously. Throws FileReadError. */
export function readBinaryFile(path: string, kind: ReadKind, opts: ReadOptions = {}): Buffer {
  return readFileBytes(path, kind, opts, (chunks, total) => Buffer.concat(chunks, total));
}

/** The chunks of one bounded read, shared by the sync and the async reader: what to read next, and the size limit. */
class Chunks {
  readonly chunks: Buffer[] = [];
  total = 0;
  constructor(
    private readonly path: string,
    private readonly r: Resolved,
  ) {}

  /** The buffer for the next read, or undefined when a truncating read has its fill. */
  next(): Buffer | undefined {
    const want = this.r.truncate ? Math.min(CHUNK, this.r.maxBytes - this.total) : CHUNK;
    return want > 0 ? Buffer.allocUnsafe(want) : undefined;
  }

  /** Keep the `n` bytes read into `buf`; false at the end of the file. Throws past the limit of a non-truncating read. */
  took(buf: Buffer, n: number): boolean {
    if (n <= 0) return false;
    this.chunks.push(n === buf.length ? buf : buf.subarray(0, n));
    this.total += n;
    if (!this.r.truncate && this.total > this.r.maxBytes) throw tooLarge(this.path, this.r);
    return true;
  }
}

function readFileBytes<T>(path: string, kind: ReadKind, opts: ReadOptions, done: (chunks: Buffer[], total: number) => T): T {
  const r = resolveKind(kind, opts);
  let fd: number;
  try {
    check(path, r, statSync(path));
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw sysError(path, r, e);
  }
  try {
    check(path, r, fstatSync(fd));
    const acc = new Chunks(path, r);
    for (let buf = acc.next(); buf; buf = acc.next()) if (!acc.took(buf, readSync(fd, buf, 0, buf.length, null))) break;
    return done(acc.chunks, acc.total);
  } catch (e) {
    throw sysError(path, r, e);
  } finally {
    closeSync(fd);
  }
}

/** Read a regular file as UTF-8 without blocking the event loop (timeouts stay alive). Throws FileReadError. */
export async function readTextFileAsync(path: string, kind: ReadKind, opts: ReadOptions = {}): Promise<string> {
  const r = resolveKind(kind, opts);
  try {
    check(path, r, await stat(path));
    const fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    try {
      check(path, r, await fh.stat());
      const acc = new Chunks(path, r);
      for (let buf = acc.next(); buf; buf = acc.next()) if (!acc.took(buf, (await fh.read(buf, 0, buf.length, null)).bytesRead)) break;
      return decode(acc.chunks, acc.total);
    } finally {
      await fh.close();
    }
  } catch (e) {
    throw sysError(path, r, e);
  }
}

/**
 * Open a regular file for a streaming reader (which bounds its lines itself): the type is
 * checked before the open and on the descriptor. Returns the descriptor; throws FileReadError.
 */
export function openRegularFile(path: string, label: string): number {
  const r: Resolved = { label, maxBytes: Number.MAX_SAFE_INTEGER, truncate: true };
  let fd: number | undefined;
  try {
    check(path, r, statSync(path));
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    check(path, r, fstatSync(fd));
    return fd;
  } catch (e) {
    if (fd !== undefined) closeSync(fd);
    throw sysError(path, r, e);
  }
}

/** Whether a path is a regular file (no open, never blocks). */
export function isRegularFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** `openRegularFile` without blocking the event loop: a FileHandle of a checked regular file. */
export async function openRegularFileAsync(path: string, label: string): Promise<FileHandle> {
  const r: Resolved = { label, maxBytes: Number.MAX_SAFE_INTEGER, truncate: true };
  let fh: FileHandle | undefined;
  try {
    check(path, r, await stat(path));
    fh = await open(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
    check(path, r, await fh.stat());
    return fh;
  } catch (e) {
    await fh?.close();
    throw sysError(path, r, e);
  }
}

/**
 * A small file of /proc (size 0 in stat, generated on read): its first `maxBytes` as text,
 * or '' when it cannot be read (the process ended).
 */
export async function readProcText(path: string, maxBytes = MiB): Promise<string> {
  try {
    return await readTextFileAsync(path, 'system', { maxBytes, truncate: true });
  } catch {
    return '';
  }
}
