/**
 * Offline crack test: which stored Mosquitto hashes fall to a wordlist (plus each
 * user's own name). Bounded in candidates per hash and in total time; the cracked
 * passwords are never kept, only who fell and where. A hash counts as "not found"
 * only when every candidate was tried against it: a hash cut short by a bound is
 * reported as unfinished, with how far it got. One derivation cannot be interrupted,
 * so absurd iteration counts are refused by the parser and a derivation that would
 * not fit in the time left is not started.
 */
import { pbkdf2Sync } from 'node:crypto';
import type { PasswordFile } from '../config/mosquitto.js';
import { hashCost, verifyMosquittoHash } from './mosquitto-hash.js';

export interface CrackLimits {
  /** Candidates tried per hash at most. */
  maxCandidates: number;
  /** Wall-clock budget for the whole test. */
  maxSeconds: number;
}

interface Where {
  file: string;
  line: number;
  column: number;
  username: string;
}

export interface CrackResult {
  wordlist: string;
  /** Candidates per hash: the username and every word of the list. */
  candidates: number;
  /** Hashes started (formats that can be verified). */
  tested: number;
  /** Hashes tried against every candidate without a hit. */
  finished: number;
  /** Candidate verifications done. */
  attempts: number;
  stoppedBy: 'list-exhausted' | 'max-candidates' | 'max-seconds';
  cracked: (Where & { source: 'wordlist' | 'username' })[];
  /** Hashes started but cut short by a bound: how many candidates were tried, and why it stopped. */
  unfinished: (Where & { tried: number; reason: string })[];
  /** Entries not started (format not verifiable, malformed, or time ran out first). */
  untested: (Where & { reason: string })[];
}

export interface CrackOptions {
  now?: () => number;
  /**
   * Milliseconds one PBKDF2-SHA512 iteration takes here, to decide whether a derivation
   * fits in the time left (measured once when not given).
   */
  msPerIteration?: number;
}

function measureMsPerIteration(now: () => number): number {
  const n = 20_000;
  const t0 = now();
  pbkdf2Sync('mqtt-warden', 'calibration.', n, 64, 'sha512');
  return Math.max(now() - t0, 0.01) / n;
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

export function crackTest(files: readonly PasswordFile[], wordlistName: string, words: readonly string[], limits: CrackLimits, opts: CrackOptions | (() => number) = {}): CrackResult {
  const o: CrackOptions = typeof opts === 'function' ? { now: opts } : opts;
  const now = o.now ?? (() => performance.now());
  const start = now();
  const deadline = start + limits.maxSeconds * 1000;
  const total = 1 + words.length;
  const list = words.slice(0, limits.maxCandidates);
  const result: CrackResult = { wordlist: wordlistName, candidates: total, tested: 0, finished: 0, attempts: 0, stoppedBy: 'list-exhausted', cracked: [], unfinished: [], untested: [] };
  let msPerIteration = o.msPerIteration;
  const timeLeft = () => deadline - now();
  for (const f of files) {
    for (const e of f.entries) {
      const where: Where = { file: e.file, line: e.line, column: e.column, username: e.username };
      if (e.problem) {
        result.untested.push({ ...where, reason: `malformed entry, not derived: ${e.problem}` });
        continue;
      }
      if (e.scheme !== 'sha512' && e.scheme !== 'sha512-pbkdf2') {
        result.untested.push({ ...where, reason: `${e.scheme} entries cannot be tested` });
        continue;
      }
      if (timeLeft() <= 0) {
        result.stoppedBy = 'max-seconds';
        result.untested.push({ ...where, reason: `not started: the ${limits.maxSeconds} s limit was used up` });
        continue;
      }
      const cost = hashCost(e.hash) ?? 1;
      if (cost > 1) msPerIteration ??= measureMsPerIteration(now);
      const estimate = cost > 1 ? cost * msPerIteration! : 0;
      result.tested++;
      const candidates: [string, 'wordlist' | 'username'][] = [[e.username, 'username'], ...list.map((w): [string, 'wordlist'] => [w, 'wordlist'])];
      let tried = 0;
      let hit = false;
      let stopped: string | undefined;
      for (const [pw, source] of candidates) {
        const left = timeLeft();
        if (left <= 0 || estimate > left) {
          result.stoppedBy = 'max-seconds';
          stopped = estimate > left && left > 0 ? `: one derivation (${cost} iterations) takes about ${seconds(estimate)}, more than the ${seconds(left)} left of the ${limits.maxSeconds} s limit` : ` before the ${limits.maxSeconds} s limit`;
          break;
        }
        tried++;
        result.attempts++;
        if (verifyMosquittoHash(pw, e.hash)) {
          result.cracked.push({ ...where, source });
          hit = true;
          break;
        }
      }
      if (hit) continue;
      if (!stopped && total > candidates.length) {
        if (result.stoppedBy === 'list-exhausted') result.stoppedBy = 'max-candidates';
        stopped = `: the --max-candidates bound (${limits.maxCandidates} of the list's ${words.length} words)`;
      }
      if (stopped) result.unfinished.push({ ...where, tried, reason: `tried ${tried} of ${total} candidates${stopped}` });
      else result.finished++;
    }
  }
  return result;
}
