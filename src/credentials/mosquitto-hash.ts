/**
 * Mosquitto password hashes (mosquitto_passwd, HARDENING-FACTS §3):
 * `$7$<iterations>$<base64 salt>$<base64 hash>` = PBKDF2-HMAC-SHA512, 12-byte salt,
 * 64-byte hash; `$6$<base64 salt>$<base64 hash>` = one SHA-512 of password‖salt (legacy).
 * Node's crypto does the work; comparisons are constant-time.
 */
import { createHash, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

export const SALT_BYTES = 12;
export const HASH_BYTES = 64;
/**
 * `$7$` iteration counts above this are refused up front: one derivation would take
 * seconds to hours (a CPU cost every login pays) and cannot be interrupted.
 */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

/** A `$7$` hash string for a password. */
export function hashPbkdf2(password: string, iterations: number, salt: Buffer = randomBytes(SALT_BYTES)): string {
  if (!Number.isInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) throw new RangeError(`iterations must be a whole number from 1 to ${MAX_PBKDF2_ITERATIONS}`);
  const dk = pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, HASH_BYTES, 'sha512');
  return `$7$${iterations}$${salt.toString('base64')}$${dk.toString('base64')}`;
}

/** Work a hash costs to test one candidate: PBKDF2 iterations, or 1 for a single SHA-512. */
export function hashCost(hash: string): number | undefined {
  const m = /^\$7\$(\d+)\$/.exec(hash);
  if (m) return Number(m[1]);
  return hash.startsWith('$6$') ? 1 : undefined;
}

/** Does the password match the stored hash? undefined for formats this cannot verify ($argon2id$, unknown). */
export function verifyMosquittoHash(password: string, hash: string): boolean | undefined {
  let m = /^\$7\$(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (m) {
    if (Number(m[1]) > MAX_PBKDF2_ITERATIONS) throw new RangeError(`${m[1]} PBKDF2 iterations: above ${MAX_PBKDF2_ITERATIONS}, not derived`);
    const expected = Buffer.from(m[3]!, 'base64');
    const dk = pbkdf2Sync(Buffer.from(password, 'utf8'), Buffer.from(m[2]!, 'base64'), Number(m[1]), expected.length || HASH_BYTES, 'sha512');
    return dk.length === expected.length && timingSafeEqual(dk, expected);
  }
  m = /^\$6\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(hash);
  if (m) {
    const expected = Buffer.from(m[2]!, 'base64');
    const d = createHash('sha512').update(Buffer.from(password, 'utf8')).update(Buffer.from(m[1]!, 'base64')).digest();
    return d.length === expected.length && timingSafeEqual(d, expected);
  }
  return undefined;
}

/** Replace or add `user:hash` in password file text, keeping every other line as it was. */
export function upsertEntry(text: string, username: string, hash: string): string {
  if (!username || username.includes(':') || /[\r\n]/.test(username)) throw new RangeError('a username may not be empty or contain ":" or line breaks');
  const lines = text ? text.split('\n') : [];
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  const entry = `${username}:${hash}`;
  const i = lines.findIndex((l) => l.slice(0, l.indexOf(':')) === username && l.includes(':'));
  if (i >= 0) lines[i] = entry;
  else lines.push(entry);
  return lines.join('\n') + '\n';
}
