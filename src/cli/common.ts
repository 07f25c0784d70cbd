/**
 * Helpers shared by the CLI commands: argument parsers and the usage error that
 * src/cli.ts turns into exit code 2.
 */
import { InvalidArgumentError } from 'commander';
import { readTextFile, type ReadKind, type ReadOptions } from '../io/read.js';

/** A problem with the command line or its input files: exit 2 with the message. */
export class UsageError extends Error {
  /**
   * `secretFree`: the message holds no credentials, so `name@host` in it (an
   * Erlang node name) is printed as is instead of being redacted like user@host.
   */
  constructor(
    message: string,
    readonly secretFree = false,
  ) {
    super(message);
  }
}

export function int(name: string, min: number, max: number) {
  return (v: string) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${name} must be a whole number`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${name} must be between ${min} and ${max}`);
    return n;
  };
}

export function num(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number between ${min} and ${max}`);
    return n;
  };
}

/** What Node's error codes mean, for messages: the code stays (scripts match it), the words say it. */
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

/** `ENOENT (no such file or directory)`: a file system error as a message part, never a bare code. */
export function fsErrorText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  if (code && FS_ERRORS[code]) return `${code} (${FS_ERRORS[code]})`;
  return code ?? (e as Error)?.message ?? String(e);
}

/**
 * Read an input file named on the command line through the bounded reader (src/io/read.ts):
 * a FIFO, a device, a directory or a file over the kind's limit is a usage error (exit 2)
 * naming the path, `what` it should be and what it is.
 */
export function readText(file: string, what: string, kind: ReadKind, opts: Omit<ReadOptions, 'label'> = {}): string {
  try {
    return readTextFile(file, kind, { ...opts, label: what });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

