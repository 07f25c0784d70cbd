/** Helpers shared by the Mosquitto dynamic-security checks (pure: facts in, verdicts out). */
import type { FileLocation, Verdict } from '../core/types.js';
import type { ConfigDynsecFact, DynsecConfig, DynsecLoc } from '../config/dynsec.js';

/** A verdict's place in a dynamic-security file (the JSON pointer goes in the verdict's key). */
export const dynsecLoc = (l: DynsecLoc): FileLocation => ({ file: l.file, line: l.line, column: l.column });

/** The files that were read and are valid JSON, and a note on those that were not (CFG-080 reports them). */
export function loadedDynsec(f: ConfigDynsecFact): { configs: DynsecConfig[]; unread: string[] } {
  const configs: DynsecConfig[] = [];
  const unread: string[] = [];
  for (const file of f.files) {
    if (file.parsed?.loaded) configs.push(file.parsed);
    else unread.push(`${file.readPath ?? file.path} (${file.error ?? 'not valid JSON'})`);
  }
  return { configs, unread };
}

/**
 * The verdicts of a dynamic-security check: its failures, else a PASS, unless a file
 * could not be judged (unreadable or not JSON): then a SKIP, never a PASS.
 */
export function dynsecVerdicts(fails: Verdict[], unread: readonly string[], pass: string): Verdict[] {
  if (fails.length) return fails;
  if (unread.length) return [{ status: 'SKIP', message: `not judged: ${unread.join(', ')} (see CFG-080)`, evidence: { unread } }];
  return [{ status: 'PASS', message: pass }];
}
