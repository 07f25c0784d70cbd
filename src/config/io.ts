/**
 * File access and located problems shared by the config parsers. Parsers never
 * throw for bad content: they return `issues` with the place; only an unreadable
 * top-level file is an exception (naming the path).
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
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
