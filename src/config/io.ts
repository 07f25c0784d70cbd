/**
 * File access and located problems shared by the config parsers. Parsers never
 * throw for bad content: they return `issues` with the place; only an unreadable
 * top-level file is an exception (naming the path).
 */
import { readdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { FileReadError, readTextFile, type ReadKind } from '../io/read.js';

/** Where something is in a config file (1-based line and column). */
export interface SourceLoc {
  file: string;
  line: number;
  column: number;
}

export interface ConfigIssue extends SourceLoc {
  message: string;
  /**
   * Part of the configuration was not read or not parsed because of this problem (an
   * include that could not be read, a syntax error that drops the rest of a file, a
   * size or nesting limit): what the checks judge is incomplete, so none may PASS.
   */
  incomplete?: true;
}

export interface ConfigIO {
  /** Read a file as text; `kind` sets its size limit (src/io/read.ts READ_LIMITS, default config). */
  readFile(path: string, kind?: ReadKind): string;
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
    readFile: (p, kind) => readTextFile(under(p), kind ?? 'config', kind ? {} : { label: 'config file' }),
    listDir: (p) => readdirSync(under(p)),
    stat: (p) => {
      const st = statSync(under(p));
      return { mode: st.mode & 0o7777, uid: st.uid };
    },
    ...(root ? { root } : {}),
  };
}

/** Failures of the bounded reader that mean "this is not a file to read" rather than "it is missing". */
const REFUSED = new Set(['ENOTREG', 'EISDIR', 'EFBIG']);

/**
 * A ConfigIO that records every file refused by the bounded reader (a FIFO, a device, a directory,
 * a file over its limit), wherever it was referenced from: lint and passwd audit turn those into a
 * usage error naming the path instead of one more finding.
 */
export function recordingIO(base: ConfigIO, refused: string[]): ConfigIO {
  return {
    ...base,
    readFile(p, kind) {
      try {
        return base.readFile(p, kind);
      } catch (e) {
        if (e instanceof FileReadError && e.code && REFUSED.has(e.code) && !refused.includes(e.message)) refused.push(e.message);
        throw e;
      }
    },
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
/** The file does not exist (whatever the message says about it). */
export function isMissing(e: unknown): boolean {
  return (e as NodeJS.ErrnoException)?.code === 'ENOENT';
}

export function errCode(e: unknown): string {
  if (e instanceof FileReadError) return e.reason;
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

/**
 * Read a regular file of at most `maxBytes` as UTF-8 (a leading BOM dropped): the bounded
 * reader of src/io/read.ts with an explicit limit. Throws an Error whose message names the path.
 */
export function readBoundedFile(path: string, maxBytes: number, label = 'file'): string {
  return readTextFile(path, 'settings', { maxBytes, label });
}
