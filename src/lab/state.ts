/**
 * Where a running lab is recorded: `$XDG_STATE_HOME/mqtt-warden/lab/` (default
 * `~/.local/state/mqtt-warden/lab/`) holds `state.json` (pid, bind address, ports, log path), the lab's
 * broker log and the files the lab generates (certificate, real Mosquitto configs). `lab status` and
 * `lab stop` find the lab through it.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { readTextFile } from '../io/read.js';

export function labDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'mqtt-warden', 'lab');
}

export const stateFile = (dir: string) => join(dir, 'state.json');

const LabStateSchema = z.object({
  pid: z.number().int().positive(),
  startedAt: z.string(),
  detached: z.boolean(),
  bind: z.string(),
  portBase: z.number().int(),
  dir: z.string(),
  logFile: z.string(),
  brokers: z.array(
    z.object({
      scenario: z.string(),
      port: z.number().int(),
      url: z.string(),
      kind: z.enum(['aedes', 'mosquitto']),
      pid: z.number().int().positive().optional(),
      config: z.string().optional(),
    }),
  ),
});

export type LabState = z.infer<typeof LabStateSchema>;

export class LabStateError extends Error {}

/** The recorded lab, or undefined when none is recorded; a damaged state file is an error naming it. */
export function readState(dir: string): LabState | undefined {
  const file = stateFile(dir);
  let text: string;
  try {
    text = readTextFile(file, 'settings', { label: 'lab state file' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new LabStateError((e as Error).message);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LabStateError(`${file}: not JSON (${(e as Error).message}); remove it if no lab runs`);
  }
  const parsed = LabStateSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new LabStateError(`${file}: ${issue.path.join('.') || '(top)'}: ${issue.message}; remove it if no lab runs`);
  }
  return parsed.data;
}

export function writeState(dir: string, state: LabState): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = stateFile(dir);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Removes the state file if it still describes this process's lab (a newer lab may have replaced it). */
export function removeState(dir: string, pid: number): void {
  try {
    if (readState(dir)?.pid !== pid) return;
  } catch {
    // a damaged file of ours: remove it all the same
  }
  rmSync(stateFile(dir), { force: true });
}

export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether the pid is still a lab process (not a pid the kernel has reused for something else since):
 * its command line holds `lab` and `start`. False when the process is gone.
 */
export function isLabProcess(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  let cmdline: string;
  try {
    cmdline = readTextFile(`/proc/${pid}/cmdline`, 'system', { truncate: true, maxBytes: 64 * 1024 });
  } catch {
    // no /proc (not Linux): trust the pid
    return true;
  }
  const args = cmdline.split('\0');
  const lab = args.indexOf('lab');
  return lab >= 0 && args[lab + 1] === 'start';
}
