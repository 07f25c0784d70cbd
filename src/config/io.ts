/**
 * File access and located problems shared by the config parsers. Parsers never
 * throw for bad content: they return `issues` with the place; only an unreadable
 * top-level file is an exception (naming the path).
 */
import { closeSync, constants as fsConstants, fstatSync, openSync, readFileSync, readSync, readdirSync, statSync, type Stats } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** Where something is in a config file (1-based line and column). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface ConfigIssue extends SourceLoc {
  message: string;
}

export interface ConfigIO {
  readFile(path: string): string;
  listDir(path: string): string[];
  /** Permission bits and owner of a file (optional: in-memory configs have none). */
  stat?(path: string): { mode: number; uid: number };
  /**
   * Filesystem root the config's absolute paths live under (an offline image, --root DIR).
   * Paths in configs and in reports stay as written; only the reads are redirected.
   */
  root?: string;
}

/** The real filesystem, optionally under a root directory. */
export function fsIO(root?: string): ConfigIO {
  const under = (p: string) => (root && root !== '/' && isAbsolute(p) ? join(root, p) : p);
  return {
    readFile: (p) => readFileSync(under(p), 'utf8'),
    listDir: (p) => readdirSync(under(p)),
    stat: (p) => {
      const st = statSync(under(p));
      return { mode: st.mode & 0o7777, uid: st.uid };
    },
    ...(root ? { root } : {}),
  };
}

/** An in-memory filesystem (tests, and configs given as strings). */
export function memoryIO(files: Record<string, string>): ConfigIO {
  return {
    readFile(p) {
      const text = files[p];
      if (text === undefined) throw Object.assign(new Error(`ENOENT: no such file: ${p}`), { code: 'ENOENT' });
      return text;
    },
    listDir(p) {
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const names = Object.keys(files)
        .filter((f) => f.startsWith(prefix) && !f.slice(prefix.length).includes('/'))
        .map((f) => f.slice(prefix.length));
      if (!names.length && !Object.keys(files).some((f) => f.startsWith(prefix))) {
        throw Object.assign(new Error(`ENOENT: no such directory: ${p}`), { code: 'ENOENT' });
      }
      return names;
    },
  };
}

/** "ENOENT" etc. from a failed read, for messages. */
export function errCode(e: unknown): string {
  return (e as NodeJS.ErrnoException)?.code ?? (e as Error)?.message ?? String(e);
}

/** Thrown only when the top-level file itself cannot be read. */
export class ConfigReadError extends Error {
  constructor(
    readonly path: string,
    cause: unknown,
  ) {
    super(`cannot read ${path}: ${errCode(cause)}`);
  }
}

/** What a non-regular file is, for messages. */
function fileKind(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  return 'not a regular file';
}

/**
 * Read a regular file of at most `maxBytes` as UTF-8 (a leading BOM dropped). Directories,
 * pipes and devices are refused before they are opened (a FIFO would block the read), and
 * the size is checked again on the open descriptor. Throws an Error whose message names the path.
 */
export function readBoundedFile(path: string, maxBytes: number): string {
  const refuse = (st: Stats) => {
    if (!st.isFile()) throw new Error(`${path} is ${fileKind(st)}, not a regular file`);
    if (st.size > maxBytes) throw new Error(`${path} is larger than ${formatBytes(maxBytes)} (${st.size} bytes)`);
  };
  try {
    refuse(statSync(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw new Error(`cannot read ${path}: ${errCode(e)}`);
    throw e;
  }
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${errCode(e)}`);
  }
  try {
    refuse(fstatSync(fd));
    // Chunks, not one buffer of maxBytes: the file may grow while it is read.
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const r = readSync(fd, chunk, 0, chunk.length, null);
      if (r <= 0) break;
      chunks.push(chunk.subarray(0, r));
      total += r;
      if (total > maxBytes) throw new Error(`${path} is larger than ${formatBytes(maxBytes)}`);
    }
    return Buffer.concat(chunks, total).toString('utf8').replace(/^\uFEFF/, '');
  } finally {
    closeSync(fd);
  }
}

function formatBytes(n: number): string {
  return n % (1024 * 1024) === 0 ? `${n / (1024 * 1024)} MiB` : n % 1024 === 0 ? `${n / 1024} KiB` : `${n} bytes`;
}
