/**
 * `passwd`: the commands and their options. The implementation (password strength with the zxcvbn
 * dictionaries, hashing, the password checks) is in ./impl/passwd.ts, loaded when a command runs.
 */
import { Option, type Command } from 'commander';
import { SEVERITIES, type Severity } from '../core/types.js';
import { REPORT_FORMATS, type ReportFormat } from '../reporters/formats.js';
import { int } from './common.js';
import type { SetExit } from './commands.js';

export function register(program: Command, setExit: SetExit): void {
  const passwd = program.command('passwd').description('Mosquitto password files: audit, check a password against the policy, generate, hash ($7$ PBKDF2-SHA512)');

  passwd
    .command('audit')
    .description('Audit Mosquitto password files (or the password_file of a mosquitto.conf) and EMQX built-in database bootstrap CSV files: legacy $6$ hashes, $7$ iterations below the policy, plain or weak passwords, duplicate users, file mode; optionally a bounded crack test')
    .argument('<files...>', 'password files, mosquitto.conf files, or EMQX bootstrap CSV files')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--crack-test <wordlist>', 'test every hash against this wordlist (one password per line) and the username')
    .option('--max-candidates <n>', 'crack test: candidates per hash at most', int('--max-candidates', 1, 10_000_000), 10_000)
    .option('--max-seconds <s>', 'crack test: total seconds at most', int('--max-seconds', 1, 3600), 30)
    .addOption(new Option('-r, --report <format>', 'report format').choices([...REPORT_FORMATS]).default('terminal'))
    .option('-o, --output <file>', 'write the report to a file')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a FAIL at or above this severity exists').choices([...SEVERITIES, 'none']).default('medium'))
    .option('--no-color', 'no colours')
    .action(async (files: string[], flags: { policy?: string; crackTest?: string; maxCandidates: number; maxSeconds: number; report: ReportFormat; output?: string; failOn: Severity | 'none'; color: boolean }) => {
      const { passwdAudit } = await import('./impl/passwd.js');
      passwdAudit(files, flags, setExit);
    });

  passwd
    .command('check')
    .description('Score passwords read from standard input (one per line; hidden prompt on a terminal) against the policy: length, character classes, common-password list, entropy estimate. Passwords are never printed.')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--json', 'one JSON object per password')
    .action(async (flags: { policy?: string; json?: boolean }) => {
      const { passwdCheck } = await import('./impl/passwd.js');
      await passwdCheck(flags, setExit);
    });

  passwd
    .command('gen')
    .description('Print strong random passwords (crypto.randomInt; lower, upper, digits, symbols; no look-alike characters)')
    .option('-l, --length <n>', 'characters', int('--length', 8, 1024), 24)
    .option('-n, --count <n>', 'how many', int('--count', 1, 1000), 1)
    .option('--no-symbols', 'letters and digits only')
    .action(async (flags: { length: number; count: number; symbols: boolean }) => {
      const { passwdGen } = await import('./impl/passwd.js');
      passwdGen(flags, setExit);
    });

  passwd
    .command('hash')
    .description('Hash a password read from standard input (hidden prompt, asked twice, on a terminal) as a Mosquitto $7$ PBKDF2-SHA512 entry; print it, or write it into --file (atomically, other users kept)')
    .argument('<username>', 'the user')
    .option('-i, --iterations <n>', 'PBKDF2 iterations (default: the policy\'s passwords.hashIterations)', int('--iterations', 1000, 10_000_000))
    .option('-f, --file <file>', 'password file to add the user to or update in (created with mode 0640)')
    .option('--policy <file>', 'security policy (YAML or JSON)')
    .option('--allow-weak', 'hash even a password that fails the policy')
    .action(async (username: string, flags: { iterations?: number; file?: string; policy?: string; allowWeak?: boolean }) => {
      const { passwdHash } = await import('./impl/passwd.js');
      await passwdHash(username, flags, setExit);
    });
}
