/**
 * The light part of the history: its error and default place, without loading SQLite,
 * for the commands that only pass --history on.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export class HistoryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HistoryError';
  }
}

/** $XDG_STATE_HOME/mqtt-warden/history.db, else ~/.local/state/mqtt-warden/history.db. */
export function defaultHistoryPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'mqtt-warden', 'history.db');
}
