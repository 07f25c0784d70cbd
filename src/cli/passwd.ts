/**
 * `passwd`: the commands and their options. The implementation (password strength with the zxcvbn
 * dictionaries, hashing, the password checks) is in ./impl/passwd.ts, loaded when a command runs.
 */
import type { Command } from 'commander';
import { REPORT_FORMATS } from '../reporters/formats.js';
import { int, UsageError } from './common.js';
import { judgeOptions, legacyOption, type JudgeFlags } from './options.js';
import type { SetExit } from './commands.js';

export interface PasswdAuditFlags extends JudgeFlags {
  policy?: string;
  crackTest?: string;
  maxCandidates: number;
  maxSeconds: number;
}

export function register(program: Command, setExit: SetExit): void {
  const passwd = program.command('passwd').description('Mosquitto password files: audit, check a password against the policy, generate, hash ($7$ PBKDF2-SHA512)');

  const audit = passwd
    .command('audit')
    .description('Audit Mosquitto password files (or the password_file of a mosquitto.conf) and EMQX built-in database bootstrap CSV files: legacy $6$ hashes, $7$ iterations below the policy, plain or weak passwords, duplicate users, file mode; optionally a bounded crack test')
    .argument('<files...>', 'password files, mosquitto.conf files, or EMQX bootstrap CSV files')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--crack-test <wordlist>', 'test every hash against this wordlist (one password per line) and the username')
    .option('--max-candidates <n>', 'crack test: candidates per hash at most', int('--max-candidates', 1, 10_000_000), 10_000)
    .option('--max-seconds <s>', 'crack test: total seconds at most', int('--max-seconds', 1, 3600), 30);
  judgeOptions(audit, { formats: REPORT_FORMATS, what: 'report' });
  legacyOption(audit, '-r, --report <format>', 'format', 'use -f/--format');
  audit.action(async (files: string[], flags: PasswdAuditFlags) => {
    // A modifier without the option it modifies is a mistake, not a no-op.
    const given = (k: string) => audit.getOptionValueSource(k) === 'cli';
    if (!flags.crackTest && (given('maxCandidates') || given('maxSeconds'))) throw new UsageError('--max-candidates and --max-seconds go with --crack-test');
    const { passwdAudit } = await import('./impl/passwd.js');
    setExit(await passwdAudit(files, flags));
  });

  passwd
    .command('check')
    .description('Score passwords read from standard input (one per line; hidden prompt on a terminal) against the policy: length, character classes, common-password list, entropy estimate. Passwords are never printed.')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--json', 'one JSON object per password')
    .action(async (flags: { policy?: string; json?: boolean }) => {
      const { passwdCheck } = await import('./impl/passwd.js');
      setExit(await passwdCheck(flags));
    });

  passwd
    .command('gen')
    .description('Print strong random passwords (crypto.randomInt; lower, upper, digits, symbols; no look-alike characters)')
    .option('-l, --length <n>', 'characters', int('--length', 8, 1024), 24)
    .option('-n, --count <n>', 'how many', int('--count', 1, 1000), 1)
    .option('--no-symbols', 'letters and digits only')
    .action(async (flags: { length: number; count: number; symbols: boolean }) => {
      const { passwdGen } = await import('./impl/passwd.js');
      setExit(passwdGen(flags));
    });

  passwd
    .command('hash')
    .description('Hash a password read from standard input (hidden prompt, asked twice, on a terminal) as a Mosquitto $7$ PBKDF2-SHA512 entry; print it, or write it into --file (atomically, other users kept)')
    .argument('<username>', 'the user')
    .option('-i, --iterations <n>', 'PBKDF2 iterations (default: the policy\'s passwords.hashIterations)', int('--iterations', 1000, 10_000_000))
    .option('--file <file>', 'password file to add the user to or update in (created with mode 0640)')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--allow-weak', 'hash even a password that fails the policy')
    .action(async (username: string, flags: { iterations?: number; file?: string; policy?: string; allowWeak?: boolean }) => {
      const { passwdHash } = await import('./impl/passwd.js');
      setExit(await passwdHash(username, flags));
    });
  // -f is the output format in every command; here it was the password file.
  legacyOption(passwd.commands.find((c) => c.name() === 'hash')!, '-f <file>', 'file', 'use --file (-f is the output format in every command)');
}
