/**
 * The one command runner of mqtt-warden's firewall layer and host collectors:
 * `nft`, `iptables`/`ip6tables` (and their -save/-restore), `ipset`, and the
 * read-only commands of the host audit.
 *
 * argv only (never a shell), optional stdin, a timeout, bounded output, and
 * LC_ALL=C so that the tools' messages can be recognised. A failure is a
 * CommandError naming the command and the cause; for the firewall tools the
 * cause is translated (missing kernel support, no permission, object absent,
 * object in use) next to the tool's own message.
 */
import { execFile } from 'node:child_process';

export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_OUTPUT = 32 << 20;

/** Any failure of the firewall layer; the CLI turns it into exit code 2 with the message. */
export class FirewallError extends Error {}

/** Why a command failed, as far as it can be told from the outside. */
export type FailureKind =
  | 'not-installed'
  | 'timeout'
  | 'output-limit'
  | 'permission'
  | 'unsupported'
  | 'absent'
  | 'exists'
  | 'busy'
  | 'failed';

export class CommandError extends FirewallError {
  constructor(
    message: string,
    readonly cmd: string,
    readonly args: readonly string[],
    readonly kind: FailureKind,
    readonly stderr: string,
    /** Exit status when the program ran and failed. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** Written to stdin, which is then closed (stdin is always closed). */
  input?: string;
  timeoutMs?: number;
  /** Bound on stdout and on stderr, each (default 32 MiB). */
  maxOutputBytes?: number;
  /** Environment; default: this process's, with LC_ALL=C and the sbin directories on PATH. */
  env?: NodeJS.ProcessEnv;
}

/** What happened, without throwing: the program's exit status, or why it did not run to its end. */
export type ExecResult =
  | { ok: true; stdout: string; stderr: string; code: number }
  | { ok: false; kind: 'not-installed' | 'timeout' | 'output-limit' | 'failed'; error: string; stdout: string; stderr: string };

function defaultEnv(): NodeJS.ProcessEnv {
  const path = process.env.PATH ? `${process.env.PATH}:${SYSTEM_PATH}` : SYSTEM_PATH;
  return { ...process.env, PATH: path, LC_ALL: 'C' };
}

function commandLine(cmd: string, args: readonly string[]): string {
  const line = [cmd, ...args].join(' ');
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** Run a program; resolves with its exit status (non-zero too), or with why it did not finish. Never rejects. */
export function exec(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<ExecResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBuffer = opts.maxOutputBytes ?? DEFAULT_MAX_OUTPUT;
  return new Promise((resolve) => {
    const child = execFile(cmd, [...args], { timeout: timeoutMs, maxBuffer, encoding: 'utf8', env: opts.env ?? defaultEnv() }, (err, stdout, stderr) => {
      if (!err) return resolve({ ok: true, stdout, stderr, code: 0 });
      const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string | null; code?: string | number };
      const line = commandLine(cmd, args);
      if (e.code === 'ENOENT') return resolve({ ok: false, kind: 'not-installed', error: `${cmd}: not installed (not found on PATH)`, stdout, stderr });
      if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') return resolve({ ok: false, kind: 'output-limit', error: `${line}: output larger than ${maxBuffer} bytes, stopped`, stdout, stderr });
      if (e.killed) return resolve({ ok: false, kind: 'timeout', error: `${line}: no answer within ${timeoutMs} ms, stopped`, stdout, stderr });
      if (e.signal) return resolve({ ok: false, kind: 'failed', error: `${line}: killed by ${e.signal}`, stdout, stderr });
      if (typeof e.code === 'number') return resolve({ ok: true, stdout, stderr, code: e.code });
      resolve({ ok: false, kind: 'failed', error: `${line}: ${e.message}`, stdout, stderr });
    });
    // A program that exits without reading its input must not turn into an EPIPE crash.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(opts.input ?? '');
  });
}

const FIREWALL_TOOLS = /^(?:.*\/)?(?:nft|ip6?tables(?:-legacy|-nft)?(?:-save|-restore)?|ipset)$/;

/** The cause of a failed firewall command in plain words, from its message; undefined when not recognised. */
export function explain(cmd: string, stderr: string): { kind: FailureKind; meaning: string } | undefined {
  if (!FIREWALL_TOOLS.test(cmd)) return undefined;
  const s = stderr;
  const permission = 'no permission: run as root or with CAP_NET_ADMIN';
  if (/Operation not permitted|Permission denied|you must be root/i.test(s)) return { kind: 'permission', meaning: permission };
  if (/Protocol not supported|Address family not supported|do you need to insmod|Cannot open session to kernel|Kernel support protocol versions/i.test(s)) {
    return { kind: 'unsupported', meaning: 'the kernel lacks the firewall module (nf_tables, ip_tables or ip_set not loaded or not built)' };
  }
  if (/Operation not supported/i.test(s)) {
    return { kind: 'unsupported', meaning: 'the kernel refused the operation: a missing kernel module or feature, or an existing chain whose type, hook or priority cannot be changed' };
  }
  if (/No such file or directory|does not exist|No chain\/target\/match by that name|Bad rule \(does a matching rule exist|Couldn't load target/i.test(s)) {
    return { kind: 'absent', meaning: 'the table, chain, set or rule does not exist' };
  }
  if (/File exists|already exists|set with the same name already exists/i.test(s)) return { kind: 'exists', meaning: 'an object of that name already exists' };
  if (/Device or resource busy|in use by a kernel component|is in use/i.test(s)) return { kind: 'busy', meaning: 'the object is in use (referenced by a rule or another object)' };
  return undefined;
}

/**
 * Run a command that must succeed (exit 0): resolves with its output, else
 * rejects with a CommandError that names the command, the cause in plain
 * words when known, and the first lines of the tool's own message.
 */
export async function runCommand(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<{ stdout: string; stderr: string }> {
  const r = await exec(cmd, args, opts);
  if (r.ok && r.code === 0) return { stdout: r.stdout, stderr: r.stderr };
  const line = commandLine(cmd, args);
  if (!r.ok) throw new CommandError(r.error, cmd, args, r.kind, r.stderr);
  const detail = r.stderr.trim().split('\n').filter(Boolean).slice(0, 6).join(' | ') || `exit status ${r.code}`;
  const why = explain(cmd, r.stderr);
  throw new CommandError(`${line}: ${why ? `${why.meaning} (${detail})` : detail}`, cmd, args, why?.kind ?? 'failed', r.stderr, r.code);
}

/** Whether an error says the object (table, chain, set, rule) does not exist. */
export function isAbsent(e: unknown): boolean {
  return e instanceof CommandError && e.kind === 'absent';
}
