/**
 * Password strength against the policy: length, character classes, the bundled
 * common-password list and a guess-based entropy estimate (zxcvbn-ts with its common
 * dictionaries: a maintained estimator instead of a hand-written one). Never returns
 * or logs the password itself.
 */
import { randomInt } from 'node:crypto';
import { createRequire } from 'node:module';
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import type { Policy } from '../config/policy.js';

let estimator: ZxcvbnFactory | undefined;
/**
 * The estimator and its dictionaries (half a megabyte of code and word lists) are loaded on the first
 * password to judge, not with the module: most runs judge none. Loaded synchronously (the config
 * parsers score passwords inside synchronous callbacks); the CLI bundle keeps these packages external.
 */
function zxcvbn(): ZxcvbnFactory {
  if (!estimator) {
    const load = createRequire(import.meta.url);
    const { ZxcvbnFactory: Factory } = load('@zxcvbn-ts/core') as typeof import('@zxcvbn-ts/core');
    const common = load('@zxcvbn-ts/language-common') as typeof import('@zxcvbn-ts/language-common');
    estimator = new Factory({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
  }
  return estimator;
}

export interface StrengthReport {
  ok: boolean;
  length: number;
  classes: number;
  /** log2 of the estimated guesses an attacker needs. */
  entropyBits: number;
  /** The whole password is (a variant of) an entry of the common-password list. */
  common: boolean;
  problems: string[];
}

export function characterClasses(pw: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((re) => re.test(pw)).length;
}

export function checkPassword(pw: string, policy: Policy['passwords']): StrengthReport {
  const length = [...pw].length;
  const classes = characterClasses(pw);
  // zxcvbn's cost grows with length: estimate on the first 256 characters (long enough to be strong anyway).
  const r = zxcvbn().check(pw.slice(0, 256));
  const entropyBits = Math.round(r.guessesLog10 * Math.log2(10) * 10) / 10;
  const seq = r.sequence as { pattern: string; dictionaryName?: string }[];
  const isCommon = seq.length === 1 && seq[0]!.pattern === 'dictionary' && seq[0]!.dictionaryName === 'passwords-common';
  const problems = [
    ...(length < policy.minLength ? [`${length} characters, the policy wants at least ${policy.minLength}`] : []),
    ...(classes < policy.minClasses ? [`${classes} character classes (lower, upper, digit, symbol), the policy wants ${policy.minClasses}`] : []),
    ...(isCommon ? ['it is in the common-password list'] : []),
    ...(entropyBits < policy.minEntropyBits ? [`about ${entropyBits} bits of guessing entropy, the policy wants ${policy.minEntropyBits}`] : []),
  ];
  return { ok: problems.length === 0, length, classes, entropyBits, common: isCommon, problems };
}

const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const DIGITS = '23456789';
const SYMBOLS = '!#%+-=?@^_~';

/** A random password with every character class, from crypto.randomInt (no look-alike characters). */
export function generatePassword(length: number, symbols = true): string {
  if (length < 8 || length > 1024) throw new RangeError('length must be between 8 and 1024');
  const sets = [LOWER, UPPER, DIGITS, ...(symbols ? [SYMBOLS] : [])];
  const all = sets.join('');
  for (;;) {
    const pw = Array.from({ length }, () => all[randomInt(all.length)]).join('');
    if (sets.every((s) => [...pw].some((c) => s.includes(c)))) return pw;
  }
}

/** Bits of a generated password: length × log2(alphabet). */
export function generatedBits(length: number, symbols = true): number {
  const n = LOWER.length + UPPER.length + DIGITS.length + (symbols ? SYMBOLS.length : 0);
  return Math.floor(length * Math.log2(n));
}
