/**
 * Offline crack test: which stored Mosquitto hashes fall to a wordlist (plus each
 * user's own name). Bounded in candidates per hash and in total time; the cracked
 * passwords are never kept, only who fell and where.
 */
import type { PasswordFile } from '../config/mosquitto.js';
import { verifyMosquittoHash } from './mosquitto-hash.js';

export interface CrackLimits {
  /** Candidates tried per hash at most. */
  maxCandidates: number;
  /** Wall-clock budget for the whole test. */
  maxSeconds: number;
}

export interface CrackResult {
  wordlist: string;
  /** Hashes tested (formats that can be verified). */
  tested: number;
  /** Candidate verifications done. */
  attempts: number;
  stoppedBy: 'list-exhausted' | 'max-candidates' | 'max-seconds';
  cracked: { file: string; line: number; column: number; username: string; source: 'wordlist' | 'username' }[];
  /** Entries not tested (format not verifiable, or time ran out first). */
  untested: { file: string; line: number; username: string; reason: string }[];
}

export function crackTest(files: readonly PasswordFile[], wordlistName: string, words: readonly string[], limits: CrackLimits, now: () => number = () => performance.now()): CrackResult {
  const deadline = now() + limits.maxSeconds * 1000;
  const result: CrackResult = { wordlist: wordlistName, tested: 0, attempts: 0, stoppedBy: 'list-exhausted', cracked: [], untested: [] };
  const list = words.slice(0, limits.maxCandidates);
  if (words.length > limits.maxCandidates) result.stoppedBy = 'max-candidates';
  for (const f of files) {
    for (const e of f.entries) {
      if (e.scheme !== 'sha512' && e.scheme !== 'sha512-pbkdf2') {
        result.untested.push({ file: e.file, line: e.line, username: e.username, reason: `${e.scheme} entries cannot be tested` });
        continue;
      }
      if (now() > deadline) {
        result.stoppedBy = 'max-seconds';
        result.untested.push({ file: e.file, line: e.line, username: e.username, reason: 'time budget used up' });
        continue;
      }
      result.tested++;
      const candidates: [string, 'wordlist' | 'username'][] = [[e.username, 'username'], ...list.map((w): [string, 'wordlist'] => [w, 'wordlist'])];
      for (const [pw, source] of candidates) {
        if (now() > deadline) {
          result.stoppedBy = 'max-seconds';
          break;
        }
        result.attempts++;
        if (verifyMosquittoHash(pw, e.hash)) {
          result.cracked.push({ file: e.file, line: e.line, column: e.column, username: e.username, source });
          break;
        }
      }
    }
  }
  return result;
}
