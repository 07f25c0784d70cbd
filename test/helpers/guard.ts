/** Helpers for the guard tests: the built CLI, waiting on its JSON log, bounded polling. */
import type { Lab } from './netns.js';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';

export const CLI = new URL('../../dist/cli.js', import.meta.url).pathname;

/** The tests run the built CLI (npm test builds first); a missing build is an error, never a skip. */
export function requireBuild(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} missing: run "npm run build" first (npm test does)`);
}

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd} || test -x /usr/sbin/${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** For { skip }: the reason a needed command is missing; in CI missing tools are an error. */
export function needCommands(...cmds: string[]): string | false {
  const missing = cmds.filter((c) => !hasCommand(c));
  if (!missing.length) return false;
  const ci = process.env.CI;
  if (ci && ci !== '0' && ci.toLowerCase() !== 'false') throw new Error(`CI is set but ${missing.join(', ')} missing (see .ci/run)`);
  return `missing: ${missing.join(', ')}`;
}

export function uniqueTable(): string {
  return `mwg${process.pid}${randomBytes(3).toString('hex')}`;
}

/** Collect a child's stderr JSON log lines; `waitFor` resolves on the first record matching. */
export function guardLog(child: ChildProcess) {
  const records: Record<string, unknown>[] = [];
  let text = '';
  let partial = '';
  const waiters: { pred: (r: Record<string, unknown>) => boolean; resolve: (r: Record<string, unknown>) => void }[] = [];
  const onData = (d: Buffer) => {
    text += d.toString();
    partial += d.toString();
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      let r: Record<string, unknown>;
      try {
        r = JSON.parse(l) as Record<string, unknown>;
      } catch {
        continue;
      }
      records.push(r);
      for (const w of [...waiters]) {
        if (w.pred(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    }
  };
  child.stderr?.on('data', onData);
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  return {
    records,
    text: () => text,
    waitFor(pred: (r: Record<string, unknown>) => boolean, timeoutMs: number, what: string): Promise<Record<string, unknown>> {
      const found = records.find(pred);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`timeout (${timeoutMs} ms) waiting for guard log: ${what}\n--- guard output ---\n${text}`)), timeoutMs);
        waiters.push({ pred, resolve: (r) => (clearTimeout(timer), resolve(r)) });
      });
    },
  };
}

/** Poll `fn` every `everyMs` until it returns true; false after `timeoutMs`. */
export async function until(fn: () => Promise<boolean> | boolean, timeoutMs: number, everyMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** Publish once as alice from a lab member with mosquitto_pub (bounded): true when the broker took it. */
export async function publishAs(lab: Lab, role: string, host: string, password: string): Promise<boolean> {
  try {
    await lab.exec(role, 'mosquitto_pub', ['-h', host, '-p', '1883', '-u', 'alice', '-P', password, '-t', 't', '-m', 'x', '-i', `${role}-${Math.random().toString(16).slice(2, 8)}`], { timeoutMs: 5000 });
    return true;
  } catch {
    return false;
  }
}
