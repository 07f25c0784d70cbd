/** Run the mqtt-warden CLI from source in a child process, bounded in time. */
import { spawn } from 'node:child_process';

export const CLI = new URL('../../src/cli.ts', import.meta.url).pathname;
/** tsx's loader by absolute URL, so the CLI also starts from a working directory outside the project. */
const TSX = import.meta.resolve('tsx');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  stdin?: string;
  timeoutMs?: number;
  cwd?: string;
}

/**
 * Any command, bounded in time (killed after `timeoutMs`, default 60 s), resolving with its exit code
 * whatever it is. NO_COLOR is set; `env` adds to the inherited environment (a value of undefined removes
 * the variable); `stdin` is written and closed; `cwd` is the working directory (default: this process's).
 */
export function runProcess(command: string, args: string[], opts: RunOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(command, args, {
      env,
      ...(opts.cwd && { cwd: opts.cwd }),
      stdio: [opts.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  });
}

/** The CLI from source (through tsx), as runProcess runs a command. */
export function runCli(args: string[], opts: RunOptions = {}): Promise<CliRun> {
  return runProcess(process.execPath, ['--import', TSX, CLI, ...args], opts);
}
