/**
 * `mqtt-warden passwd audit|check|gen|hash`: credential hygiene for Mosquitto password
 * files. Passwords are read from standard input (hidden on a terminal) and never printed,
 * except the ones `gen` makes for you.
 */
import { existsSync, statSync, writeFileSync, chmodSync, renameSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { CATALOGUE } from '../../checks/index.js';
import type { ConfigInput } from '../../collectors/config.js';
import { runChecks, selectChecks } from '../../core/engine.js';
import type { Report, Severity } from '../../core/types.js';
import { DEFAULT_POLICY, type Policy } from '../../config/policy.js';
import { parseMosquittoPasswd } from '../../config/mosquitto.js';
import { hashPbkdf2, upsertEntry } from '../../credentials/mosquitto-hash.js';
import { checkPassword, generatePassword, generatedBits } from '../../credentials/strength.js';
import { readText, UsageError } from '../common.js';
import { emitReport } from '../emit.js';
import type { PasswdAuditFlags } from '../passwd.js';
import { loadPolicyFile, policyOf, refuseUnreadable } from './lint.js';
import { fsIO, recordingIO } from '../../config/io.js';
import { disabledChecks } from '../project.js';
import { detectFormat, notConfigReason } from '../../collectors/config.js';


/** Read secrets: hidden prompt on a terminal, else every line of standard input. */
async function readSecrets(prompt: string, confirm = false): Promise<string[]> {
  if (process.stdin.isTTY) {
    const muted = new Writable({ write: (_c, _e, cb) => cb() });
    const ask = (q: string) =>
      new Promise<string>((resolve) => {
        process.stderr.write(q);
        const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
        rl.question('', (a) => {
          rl.close();
          process.stderr.write('\n');
          resolve(a);
        });
      });
    const a = await ask(prompt);
    if (confirm && (await ask('again: ')) !== a) throw new UsageError('the passwords do not match');
    return [a];
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  const lines = Buffer.concat(chunks).toString('utf8').split('\n').map((l) => l.replace(/\r$/, ''));
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function policyFrom(file?: string): Policy {
  return file ? loadPolicyFile(file) : DEFAULT_POLICY;
}

/** Write a file atomically (temp file + rename), keeping its mode, or 0640 for a new file. */
function writeAtomic(file: string, text: string) {
  const mode = existsSync(file) ? statSync(file).mode & 0o7777 : 0o640;
  const tmp = join(dirname(file), `.${basename(file)}.mqtt-warden-${process.pid}`);
  writeFileSync(tmp, text, { mode });
  chmodSync(tmp, mode);
  renameSync(tmp, file);
}

export interface PasswdAuditOptions {
  policy: Policy;
  crackWordlist?: string;
  maxCandidates: number;
  maxSeconds: number;
  failOn: Severity | 'none';
  disabled?: readonly string[];
}

/** The checks of `passwd audit`: those that judge credential stores and nothing else. */
export const PASSWD_CHECKS = selectChecks(CATALOGUE, { scopes: ['system'], requires: 'config.passwords', within: ['config.passwords', 'policy'] });

/** Audit password files (or the password files of mosquitto.conf files) and report like lint. */
export async function runPasswdAudit(files: readonly string[], opts: PasswdAuditOptions): Promise<Report> {
  const inputs: ConfigInput[] = files.map((f) => {
    const text = readText(f, 'password file', 'credentials');
    const not = notConfigReason(text);
    if (not) throw new UsageError(`${f}: not a password file or Mosquitto config (${not})`);
    const format = detectFormat(f, text);
    if (format === 'mosquitto' || format === 'emqx-bootstrap') return { path: f, format };
    if (format && format !== 'mosquitto-passwd') throw new UsageError(`${f}: not a Mosquitto password file (looks like ${format})`);
    return { path: f, format: 'mosquitto-passwd' };
  });
  const crack = opts.crackWordlist && {
    name: basename(opts.crackWordlist),
    words: readText(opts.crackWordlist, 'wordlist', 'wordlist')
      .split('\n')
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.length > 0),
    limits: { maxCandidates: opts.maxCandidates, maxSeconds: opts.maxSeconds },
  };
  const refused: string[] = [];
  const report = await runChecks({
    command: 'passwd',
    checks: PASSWD_CHECKS,
    system: { root: '/', timeoutMs: 10_000, policy: opts.policy, inputs: { files: inputs, load: { fileModes: true, io: recordingIO(fsIO(), refused) }, ...(crack && { crack }) } },
    options: { intrusive: false, host: false, network: false, failOn: opts.failOn, identity: 'none (password file audit)' },
    ...(opts.disabled && { disabled: opts.disabled }),
  });
  refuseUnreadable(refused);
  return report;
}

/** `passwd audit FILES…` after its options are parsed; returns the exit code. */
export async function passwdAudit(files: string[], flags: PasswdAuditFlags): Promise<number> {
  const report = await runPasswdAudit(files, {
    policy: policyOf(flags).policy ?? DEFAULT_POLICY,
    disabled: disabledChecks(flags),
    ...(flags.crackTest ? { crackWordlist: flags.crackTest } : {}),
    maxCandidates: flags.maxCandidates,
    maxSeconds: flags.maxSeconds,
    failOn: flags.failOn,
  });
  return emitReport(report, flags, PASSWD_CHECKS.map((c) => c.meta));
}

/** `passwd check` after its options are parsed; returns the exit code. */
export async function passwdCheck(flags: { policy?: string; json?: boolean }): Promise<number> {
  const policy = policyFrom(flags.policy);
  const secrets = await readSecrets('password: ');
  if (!secrets.length) throw new UsageError('no password on standard input');
  let bad = 0;
  secrets.forEach((s, i) => {
    const r = checkPassword(s, policy.passwords);
    if (!r.ok) bad++;
    if (flags.json) process.stdout.write(JSON.stringify({ line: i + 1, ...r }) + '\n');
    else process.stdout.write(`line ${i + 1}: ${r.ok ? 'ok' : 'FAIL'} (${r.length} characters, ${r.classes} classes, ~${r.entropyBits} bits)${r.problems.length ? `: ${r.problems.join('; ')}` : ''}\n`);
  });
  return bad ? 1 : 0;
}

/** `passwd gen` after its options are parsed; returns the exit code. */
export function passwdGen(flags: { length: number; count: number; symbols: boolean }): number {
  for (let i = 0; i < flags.count; i++) process.stdout.write(generatePassword(flags.length, flags.symbols) + '\n');
  process.stderr.write(`mqtt-warden: ${flags.count} password(s) of ${flags.length} characters, ${generatedBits(flags.length, flags.symbols)} bits each\n`);
  return 0;
}

/** `passwd hash USERNAME` after its options are parsed; returns the exit code. */
export async function passwdHash(username: string, flags: { iterations?: number; file?: string; policy?: string; allowWeak?: boolean }): Promise<number> {
  const policy = policyFrom(flags.policy);
  if (!username || username.includes(':') || /\s/.test(username)) throw new UsageError('the username may not be empty or contain ":" or blanks');
  const [pw] = await readSecrets(`password for ${username}: `, true);
  if (pw === undefined || pw === '') throw new UsageError('no password on standard input');
  const strength = checkPassword(pw, policy.passwords);
  if (!strength.ok && !flags.allowWeak) {
    process.stderr.write(`mqtt-warden: the password fails the policy: ${strength.problems.join('; ')} (--allow-weak to hash it anyway)\n`);
    return 1;
  }
  const entry = hashPbkdf2(pw, flags.iterations ?? policy.passwords.hashIterations);
  if (flags.file) {
    const text = existsSync(flags.file) ? readText(flags.file, 'password file', 'credentials') : '';
    const parsed = parseMosquittoPasswd(text, flags.file);
    if (parsed.issues.length) throw new UsageError(`${flags.file} has problems, not changed:\n${parsed.issues.map((i) => `  ${i.file}:${i.line}: ${i.message}`).join('\n')}`);
    const existed = parsed.entries.some((e) => e.username === username);
    writeAtomic(flags.file, upsertEntry(text, username, entry));
    process.stderr.write(`mqtt-warden: ${existed ? 'updated' : 'added'} ${username} in ${flags.file} (PBKDF2-SHA512, ${flags.iterations ?? policy.passwords.hashIterations} iterations); reload mosquitto (SIGHUP) to use it\n`);
  } else {
    process.stdout.write(`${username}:${entry}\n`);
  }
  return 0;
}
