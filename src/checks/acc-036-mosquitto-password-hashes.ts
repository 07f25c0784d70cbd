import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';
import { MOSQUITTO_DEFAULTS, mosquittoSeries } from '../config/mosquitto.js';
import { at, failuresOr } from './config-util.js';

/** Which mosquitto_passwd wrote this iteration count by default, for the message. */
function defaultOf(iterations: number | undefined): string {
  if (iterations === MOSQUITTO_DEFAULTS['2.0'].pbkdf2Iterations) return ' (the default of mosquitto_passwd 2.0)';
  if (iterations === MOSQUITTO_DEFAULTS['2.1'].pbkdf2Iterations) return ' (the default of mosquitto_passwd 2.1)';
  return '';
}

export default defineCheck({
  meta: {
    id: 'ACC-036',
    name: 'mosquitto-password-hashes',
    title: 'Weak or inconsistent entries in a Mosquitto password file',
    strategy: 'access',
    severity: 'medium',
    scope: 'system',
    intrusive: false,
    needs: ['config.passwords', 'policy'],
    description:
      'Reads every password file: `$6$` entries are a single salted SHA-512 (fast to brute-force, legacy), `$7$` entries are PBKDF2-SHA512 whose iteration count must reach the policy (`passwords.mosquittoMinIterations`, default 10,000; mosquitto_passwd 2.0 writes only 101, 2.1 writes 1,000: the message names the release whose default it is), with the target version 2.0 (`lint --mosquitto-version 2.0`, or the installed package) a `$7$` entry with the 64-byte salt of 2.1\'s mosquitto_passwd or an `$argon2id$` entry is one 2.0 cannot use, entries without a hash are plain text, a user listed twice makes the effective password depend on file order, and a malformed line (no colon, an unknown hash scheme, an iteration count that is not a number, 0 or above 10,000,000, a salt or hash that is not base64 of 12 or 64 bytes) is a finding at its line: Mosquitto drops such entries, and an absurd iteration count makes every login cost minutes of CPU. A password file that cannot be read is reported as CFG-033 reports ACL and PSK files, never passed. A file readable by other users (mode o+r) exposes the hashes to offline cracking.',
    remediation:
      'Re-create the reported entries: `mqtt-warden passwd hash USER --file /etc/mosquitto/passwd` writes a PBKDF2-SHA512 entry with the policy\'s iterations (a new password from `mqtt-warden passwd gen`; `mosquitto_passwd /etc/mosquitto/passwd USER` works too, but 2.0 writes only 101 iterations and cannot set the count). Remove duplicate users, `chmod 0640` the file (owner root, group mosquitto), reload the broker (SIGHUP) and re-check with `mqtt-warden passwd audit /etc/mosquitto/passwd`.',
    references: ['https://mosquitto.org/man/mosquitto_passwd-1.html', 'https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html'],
  },
  judge({ 'config.passwords': p, policy }) {
    if (!p.mosquitto.length) return { status: 'SKIP', message: 'no Mosquitto password file given or referenced' };
    const target = p.mosquittoTarget;
    const old = mosquittoSeries(target?.version) === '2.0';
    const fails: Verdict[] = [];
    let entries = 0;
    let judged = 0;
    for (const f of p.mosquitto) {
      if (!f.parsed) {
        // As CFG-033 reports an unreadable ACL or PSK file: never a PASS for a file not read.
        fails.push({ status: 'FAIL', severity: 'low', message: `${f.path} cannot be read (${f.error ?? 'unknown error'}): its entries were not checked`, location: at(f.ref) });
        continue;
      }
      const file = f.readPath ?? f.path;
      if (f.mode !== undefined && f.mode & 0o004) {
        fails.push({ status: 'FAIL', severity: 'medium', message: `${file} is world-readable (mode ${f.mode.toString(8).padStart(4, '0')}): anyone on the host can copy the hashes`, location: { file, line: 1, column: 1 } });
      }
      // Malformed lines are findings in themselves, at their place: Mosquitto drops such entries
      // (or, for an absurd iteration count, spends minutes of CPU on every login).
      for (const i of f.parsed.issues) fails.push({ status: 'FAIL', message: `malformed entry: ${i.message}`, location: at(i) });
      const seen = new Map<string, number>();
      for (const e of f.parsed.entries) {
        entries++;
        const prev = seen.get(e.username);
        if (prev !== undefined) fails.push({ status: 'FAIL', severity: 'low', message: `user "${e.username}" is listed again (first at line ${prev})`, location: at(e) });
        else seen.set(e.username, e.line);
        if (e.problem) continue;
        judged++;
        if (e.scheme === 'plain') fails.push({ status: 'FAIL', severity: 'high', message: `user "${e.username}" has no password hash (plain text or unusable entry)`, location: at(e) });
        else if (e.scheme === 'sha512') fails.push({ status: 'FAIL', message: `user "${e.username}" has a legacy $6$ hash (one round of SHA-512)`, location: at(e) });
        else if (old && e.scheme === 'argon2id') fails.push({ status: 'FAIL', severity: 'high', message: `user "${e.username}": an $argon2id$ hash (Mosquitto 2.1): Mosquitto ${target!.version} cannot verify it, the user cannot log in`, location: at(e) });
        else if (old && e.scheme === 'sha512-pbkdf2' && e.saltBytes === MOSQUITTO_DEFAULTS['2.1'].saltBytes) {
          fails.push({ status: 'FAIL', severity: 'high', message: `user "${e.username}": a 64-byte salt (written by mosquitto_passwd 2.1): Mosquitto ${target!.version} expects 12 bytes and drops the entry`, location: at(e) });
        } else if (e.scheme === 'sha512-pbkdf2' && (e.iterations ?? 0) < policy.passwords.mosquittoMinIterations) {
          fails.push({ status: 'FAIL', message: `user "${e.username}": $7$ with ${e.iterations} PBKDF2 iterations${defaultOf(e.iterations)}, below the policy's ${policy.passwords.mosquittoMinIterations}`, location: at(e), evidence: { iterations: e.iterations, ...(target ? { target: target.version } : {}) } });
        }
      }
    }
    if (!fails.length && !entries) return { status: 'SKIP', message: `no entries in ${p.mosquitto.map((f) => f.readPath ?? f.path).join(', ')}` };
    const argon = p.mosquitto.flatMap((f) => f.parsed?.entries ?? []).filter((e) => e.scheme === 'argon2id').length;
    return failuresOr(fails, `${judged} password entries use ${argon ? `argon2id (${argon}) or ` : ''}PBKDF2-SHA512 with at least ${policy.passwords.mosquittoMinIterations} iterations`);
  },
});
