import { defineCheck } from '../core/check.js';
import type { Verdict } from '../core/types.js';

export default defineCheck({
  meta: {
    id: 'ACC-022',
    name: 'empty-passwords',
    title: 'Accounts with an empty password',
    strategy: 'access',
    severity: 'high',
    scope: 'system',
    intrusive: false,
    needs: ['sys.accounts'],
    description: 'Reads /etc/shadow (root only: otherwise SKIP) and lists accounts whose password field is empty, which log in without any password wherever PAM allows `nullok`. A locked (`!`, `*`) or hashed field is fine.',
    remediation: 'Lock the account (`passwd -l USER`) or set a password; remove `nullok` from /etc/pam.d/common-auth.',
    references: ['https://manpages.debian.org/bookworm/passwd/shadow.5.en.html', 'https://www.cisecurity.org/benchmark/debian_linux'],
  },
  judge({ 'sys.accounts': a }) {
    if (!a.emptyPassword.length) return { status: 'PASS', message: `no account in ${a.file} has an empty password`, evidence: { withPassword: a.withPassword } };
    return a.emptyPassword.map((e): Verdict => ({ status: 'FAIL', message: `account ${e.user} has an empty password (${a.file}:${e.line})`, evidence: { user: e.user }, location: { file: a.file, line: e.line, column: 1 } }));
  },
});
