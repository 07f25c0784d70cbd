/** Where the history database is: --history FILE, else the project file's `history:`, else the user's state directory. */
import { defaultHistoryPath } from '../history/paths.js';
import type { ProjectFlags } from './project.js';

export function historyPath(flags: { history?: string | true } & ProjectFlags): string {
  if (typeof flags.history === 'string') return flags.history;
  return flags.project?.history ?? defaultHistoryPath();
}
